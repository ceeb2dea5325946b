// Damaged inputs, end to end on dist/index.js: each ends in a clear message, and a run never loses
// its own results to someone else's damage.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredArtifact } from '../harness/servers/artifact-store.ts';
import { tempDir } from '../harness/temp.ts';
import {
  buildDataZip,
  buildLayoutFiles,
  makeJpeg,
  writeTree,
  zipFiles,
} from '../harness/servers/hub.ts';
import { pullRequestEvent, pushEvent, startStack, type Stack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const DATA_ZIP = 'yuangpeng/dreambench_plus@main/data.zip';

describe("a self-hosted runner's tool cache", () => {
  it('keeps no broken dataset, and the run after the hub is fixed uses the fixed one', async () => {
    const files = await buildLayoutFiles({ perCategory: 3 });
    files['data/captions/style/01.txt'] = Buffer.from('Ink Wash 1\nonly one prompt\n');
    stack.hub.publish(DATA_ZIP, zipFiles(files));
    const broken = await stack.run({ runId: 9101, event: pushEvent(), inputs: { samples: '12' } });
    expect(broken.exitCode).toBe(1);
    expect(broken.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /captions\/style\/01\.txt": needs exactly 9 non-empty prompt lines/,
    );

    stack.hub.publish(DATA_ZIP, await buildDataZip({ perCategory: 3 }));
    const fixed = await stack.run({ runId: 9102, event: pushEvent(), inputs: { samples: '12' } });
    expect(fixed.exitCode).toBe(0);
    expect(fixed.outputs['samples-scored']).toBe('12');
  });
});

/** results.json of a real baseline run, damaged by `damage`, as the artifact a PR run downloads. */
function damageBaseline(artifact: StoredArtifact, damage: (results: Record<string, any>) => void) {
  const store = stack.actions.store;
  const files = unzipSync((original ??= store.blobContent(artifact)!));
  const results = JSON.parse(Buffer.from(files['results.json']!).toString('utf8'));
  damage(results);
  files['results.json'] = Buffer.from(JSON.stringify(results));
  const zip = zipSync(files);
  store.replaceContent(artifact, zip);
  // As if the baseline run had uploaded these bytes: the digest check passes.
  artifact.digest = `sha256:${createHash('sha256').update(zip).digest('hex')}`;
}
let original: Buffer | undefined;

/** The comment's text as a reader sees it: without markdown escapes and HTML entities. */
const visible = (body: string) =>
  body
    .replace(/\\/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('a malformed baseline', () => {
  let baseline: StoredArtifact;
  beforeAll(async () => {
    const push = pushEvent();
    const r = await stack.run({ runId: 9201, event: push, inputs: { samples: '12' } });
    expect(r.exitCode).toBe(0);
    stack.finishRun(9201, push);
    baseline = stack.actions.store.artifacts.find((a) => a.runId === 9201)!;
    expect(JSON.parse(readFileSync(r.outputs['results-file']!, 'utf8')).history).toHaveLength(1);
  });

  /** A PR run against the damaged baseline: it ends well, uploads its own results, and comments. */
  async function prRun(runId: number, number: number) {
    const r = await stack.run({
      runId,
      event: pullRequestEvent({ number }),
      inputs: { samples: '12' },
    });
    expect(r.exitCode).toBe(0);
    expect(stack.actions.store.artifacts.some((a) => a.runId === runId)).toBe(true);
    const [comment] = stack.actions.github.state.commentsOf(stack.actions.repository, number);
    return { outputs: r.outputs, comment: comment!.body };
  }

  // Each of these ended the PR run in exit 1 with no comment, no outputs and no artifact.
  const cases: [string, (results: Record<string, any>) => void, RegExp][] = [
    [
      'a null record',
      (r) => (r.records[0] = null),
      /1 unusable entry .* left out \(record 0 is null\)/,
    ],
    [
      'a score of 400',
      (r) => (r.records[1].cp.score = 400),
      /1 unusable entry .* left out \(record 1 \([^)]+\): cp\.score is 400\)/,
    ],
    [
      'a duplicate id',
      (r) => r.records.push(structuredClone(r.records[2])),
      /2 unusable entries .* left out \(record [^:]+: the id appears 2 times/,
    ],
    [
      "a category that is not this run's",
      (r) => {
        const concept = r.records[3].concept;
        for (const x of r.records)
          if (x.concept === concept) x.category = x.category === 'style' ? 'object' : 'style';
      },
      /unusable entr(y|ies) .* left out \(record [^:]+: category "\w+" is not this run's "\w+"/,
    ],
    [
      'a numeric sha in history',
      (r) => (r.history[0].sha = 1234567),
      /history point 0: sha is 1234567/,
    ],
    ['history: {}', (r) => (r.history = {}), /history is \{\}, not a list/],
  ];
  it.each(cases)(
    'with %s: its bad entries are left out and counted, the run reports as usual',
    async (_, damage, line) => {
      damageBaseline(baseline, damage);
      const number = 70 + cases.findIndex((c) => c[1] === damage);
      const { outputs, comment } = await prRun(9210 + number, number);
      expect(outputs.verdict).toBe('pass');
      expect(outputs['samples-scored']).toBe('12');
      expect(visible(comment)).toMatch(line);
    },
  );

  it('whose bytes do not match their recorded digest is refused, and the run reports absolute numbers', async () => {
    damageBaseline(baseline, (r) => (r.summary.cp = 0.99));
    baseline.digest = `sha256:${'0'.repeat(64)}`; // what the baseline run recorded, say
    const { outputs, comment } = await prRun(9231, 81);
    expect(outputs.verdict).toBe('no-baseline');
    expect(comment).toMatch(
      /No baseline to compare with: Baseline artifact \d+ does not match its recorded digest/,
    );
  });

  it('with fingerprint: null is refused with the reason, and the run reports absolute numbers', async () => {
    damageBaseline(baseline, (r) => (r.fingerprint = null));
    const { outputs, comment } = await prRun(9230, 80);
    expect(outputs.verdict).toBe('no-baseline');
    expect(comment).toContain(
      'No baseline to compare with: the baseline&#39;s results.json (run 9201) is not usable: its fingerprint is null, not an object.',
    );
  });
});

describe('sample ids that make poor file names', () => {
  it('give the artifact files safe names derived from them, and keep the ids in results.json', async () => {
    const workspace = tempDir('dreambench-odd-ids-');
    const files = await buildLayoutFiles({ perCategory: 2, prefix: '' });
    const prompts = Array.from({ length: 9 }, (_, i) => `a teapot, take ${i}`).join('\n');
    // A file stem with every character artifact uploads refuse, and a 280-character subject.
    const stem = 'odd: what? *|"<>';
    files[`images/object/${stem}.jpg`] = await makeJpeg(7);
    files[`captions/object/${stem}.txt`] = Buffer.from(`Teapot\n${prompts}\n`);
    files['images/object/07.jpg'] = await makeJpeg(8);
    files['captions/object/07.txt'] = Buffer.from(
      `${'very long subject '.repeat(16)}\n${prompts}\n`,
    );
    await writeTree(path.join(workspace, 'concepts'), files);
    const push = pushEvent();
    const r = await stack.run({
      runId: 9301,
      event: push,
      workspace,
      inputs: { dataset: 'concepts', samples: 'all', 'artifact-name': 'odd-ids' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['samples-failed']).toBe('0');
    const results = JSON.parse(readFileSync(r.outputs['results-file']!, 'utf8'));
    const ids: string[] = results.records.map((x: { id: string }) => x.id);
    const odd = ids.filter((id) => id.startsWith('object_odd: what? *|"<>_teapot-p'));
    const long = ids.filter((id) => id.length > 250);
    expect(odd).toHaveLength(9);
    expect(long).toHaveLength(9);

    const artifact = stack.actions.store.artifacts.find((a) => a.runId === 9301)!;
    const names = Object.keys(unzipSync(stack.actions.store.blobContent(artifact)!));
    const images = names.filter((n) => n.startsWith('images/'));
    expect(images).toHaveLength(ids.length);
    for (const name of names) {
      expect(name).toMatch(/^[A-Za-z0-9._/-]+$/);
      expect(path.basename(name).length).toBeLessThanOrEqual(120);
    }
    // Ids that were good names stay as they were, so older baselines' images are still found.
    expect(images).toContain('images/object_00_red_teapot_0-p0.jpg');
  });
});

describe('a damaged event file', () => {
  // @actions/github parses GITHUB_EVENT_PATH as it loads: a bare stack, before run() could speak.
  it.each([
    ['not JSON', '{"action": "synchronize", ', /is not valid JSON \(/],
    ['JSON but no object', '[1, 2]', /holds no JSON object \(an array\)/],
  ])('(%s) fails the step with a clear message, not a stack trace', async (_, text, why) => {
    const dir = tempDir('dreambench-event-');
    const file = path.join(dir, 'event.json');
    writeFileSync(file, text);
    const r = await stack.run({
      runId: 9401,
      event: pullRequestEvent(),
      env: { GITHUB_EVENT_PATH: file },
    });
    expect(r.exitCode).toBe(1);
    const errors = r.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(`The event file GITHUB_EVENT_PATH (${file}) `);
    expect(errors[0]!.message).toMatch(why);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('noise', () => {
  // unzip-stream (inside @actions/artifact's download) still calls the Buffer() constructor, and
  // Node warns for calls outside node_modules, which every call in a bundle is.
  it('a run that downloads a baseline prints no DEP0005 Buffer() deprecation warning', async () => {
    const push = pushEvent();
    const base = await stack.run({ runId: 9501, event: push, inputs: { samples: '12' } });
    expect(base.exitCode).toBe(0);
    stack.finishRun(9501, push);
    const r = await stack.run({
      runId: 9502,
      event: pullRequestEvent({ number: 90 }),
      inputs: { samples: '12' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Baseline: run 9501');
    expect(r.stderr).not.toContain('DEP0005');
    expect(r.stderr).not.toContain('DeprecationWarning');
  });
});
