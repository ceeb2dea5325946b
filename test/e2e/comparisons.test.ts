// Comparisons that stay valid (issue 13), end to end on dist/index.js: a PR with another judge
// against an older baseline judges the baseline's stored images again and reports paired deltas;
// `rejudge-baseline: false` reports absolute numbers and names the field; another served snapshot
// behind the same alias counts as another judge; a prompts-dir in the upstream layout gets
// upstream's turns exactly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIDER_FIELDS } from '../../src/results/fingerprint-upgrade.ts';
import { repoRoot } from '../harness/action-yml.ts';
import { dataUrlBytes, imagesInRequest, type RecordedRequest } from '../harness/servers/openai.ts';
import { standinScore } from '../harness/standin-judge.ts';
import {
  expectExit,
  pullRequestEvent,
  pushEvent,
  resultsOf,
  runMerge,
  runShards,
  startStack,
  type Stack,
} from './stack.ts';

const TOY = `node ${path.join(repoRoot, 'demo/toy-model.ts')} {manifest}`;
const OLD_JUDGE = 'gpt-4o-2024-08-06';
const NEW_JUDGE = 'gpt-4o-2024-11-20';
const UPSTREAM_PROMPTS = path.join(repoRoot, 'test/fixtures/upstream-layout-prompts');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  // The newer judge is one point more generous on everything: compared with the older judge's
  // baseline as it stands, a worse model would pass.
  stack.judge.set({
    score: async (request) => {
      const score = await standinScore(request);
      return request.body.model === NEW_JUDGE ? Math.min(4, score + 1) : score;
    },
  });
});
afterAll(async () => {
  await stack?.close();
});

const commentOf = (pr: number): string => {
  const body = stack.actions.github.state.commentsOf(stack.actions.repository, pr)[0]!.body;
  if (process.env.E2E_LOG) console.log(body);
  return body;
};

function artifactFiles(runId: number, name: string): Record<string, Uint8Array> {
  const a = stack.actions.store.artifacts.find((x) => x.runId === runId && x.name === name)!;
  return unzipSync(stack.actions.store.blobContent(a)!);
}

/** The artifact as a version 1 action wrote it: schema 1, the narrow fingerprint, no upstream keys. */
function asVersion1(files: Record<string, Uint8Array>): Record<string, Uint8Array> {
  const r = JSON.parse(strFromU8(files['results.json']!));
  const older = {
    ...r,
    schemaVersion: 1,
    fingerprint: Object.fromEntries(
      Object.entries(r.fingerprint).filter(([k]) => !WIDER_FIELDS.includes(k)),
    ),
    samples: r.samples.map(({ upstreamKey: _, ...s }: Record<string, unknown>) => s),
    records: r.records.map(({ upstreamKey: _, ...x }: Record<string, unknown>) => x),
  };
  const { 'scores.csv': _, ...rest } = files;
  return { ...rest, 'results.json': strToU8(JSON.stringify(older, null, 2)) };
}

/** Publishes a baseline (push to main) and returns its run id. */
async function publishBaseline(runId: number, inputs: Record<string, string>, quality = '1') {
  const push = pushEvent();
  const r = await stack.run({ runId, event: push, inputs, env: { TOY_QUALITY: quality } });
  expectExit(r, 0);
  stack.finishRun(runId, push);
  return r;
}

/** The generated image (the last one) of each of this run's requests, by the model asked. */
function judgedImages(requests: readonly RecordedRequest[], model: string): Buffer[] {
  return requests
    .filter((q) => q.body.model === model)
    .map((q) => dataUrlBytes(imagesInRequest(q.body).at(-1)!));
}

const storedImages = (files: Record<string, Uint8Array>) =>
  Object.entries(files)
    .filter(([name]) => name.startsWith('images/'))
    .map(([, bytes]) => Buffer.from(bytes));

describe('a PR with another judge-model against an older baseline', () => {
  const inputs = { 'generate-command': TOY, 'artifact-name': 'judge-upgrade' };

  beforeAll(async () => {
    await publishBaseline(6001, { ...inputs, 'judge-model': OLD_JUDGE });
    // The same artifact as an older version of the action would have written it, as run 6002.
    stack.actions.store.seed({
      name: 'judge-upgrade',
      repo: stack.actions.repository,
      runId: 6002,
      zip: zipSync(asVersion1(artifactFiles(6001, 'judge-upgrade'))),
    });
    stack.finishRun(6002, pushEvent());
  });

  it("judges the baseline's stored images again and reports paired deltas, the verdict and the re-judge line", async () => {
    const before = stack.judge.requests.length;
    const r = await stack.run({
      runId: 6003,
      event: pullRequestEvent({ number: 31 }),
      inputs: { ...inputs, 'judge-model': NEW_JUDGE },
      env: { TOY_QUALITY: '0.5' },
    });
    // The worse model is caught: judged by one judge, both sides drop; the generous new judge
    // against the old judge's numbers would have hidden it.
    expectExit(r, 1);
    expect(r.outputs.verdict).toBe('regression');
    expect(Number(r.outputs['concept-preservation-delta'])).toBeLessThan(-0.05);
    const body = commentOf(31);
    expect(body).toContain('against baseline');
    expect(body).toContain("The baseline was judged again with this run's judge");
    expect(body).toContain(`judge-model ${OLD_JUDGE} → ${NEW_JUDGE}`);
    expect(body).toMatch(
      /24 stored baseline images judged again \(24 scored; \d+ calls, \d+ cache hits/,
    );
    expect(body).toMatch(/\$\d+\.\d+\), so both sides above are scored by the same judge/);
    // Its original numbers beside the new ones.
    const first = /as first judged: CP \d\.\d{3}, PF (\d\.\d{3})/.exec(body)?.[1];
    const again = /as judged again: CP \d\.\d{3}, PF (\d\.\d{3})/.exec(body)?.[1];
    expect(Number(again)).toBeGreaterThan(Number(first));
    expect(body).toContain('| baseline as first judged |');
    // The judge saw this run's 24 images and the baseline's 24 stored ones (a CP judgment of an
    // image seen before with the same reference is the cache's; every PF has its own prompt).
    const mine = stack.judge.requests.slice(before);
    const seen = judgedImages(mine, NEW_JUDGE);
    const has = (image: Buffer) => seen.some((s) => s.equals(image));
    const prImages = storedImages(artifactFiles(6003, 'judge-upgrade'));
    const baseImages = storedImages(artifactFiles(6002, 'judge-upgrade'));
    expect(prImages).toHaveLength(24);
    expect(baseImages).toHaveLength(24);
    expect(prImages.every(has)).toBe(true);
    expect(baseImages.every(has)).toBe(true);
    expect(mine.every((q) => q.body.model === NEW_JUDGE)).toBe(true);
    // The re-judged baseline is kept in the artifact, and the step's cost counts both.
    const kept = JSON.parse(
      strFromU8(artifactFiles(6003, 'judge-upgrade')['baseline-rejudged.json']!),
    );
    expect(kept.fingerprint.judgeModel).toBe(NEW_JUDGE);
    expect(kept.records).toHaveLength(24);
    const results = resultsOf(r);
    expect(Number(r.outputs['cost-usd'])).toBeGreaterThan(results.summary.costUsd);
    expect(results.comparison).toMatchObject({
      status: 'compared',
      verdict: 'regression',
      rejudged: { judged: 24, scored: 24, served: [NEW_JUDGE] },
    });
  });

  it('with rejudge-baseline: false shows absolute numbers and names the differing field', async () => {
    const before = stack.judge.requests.length;
    const r = await stack.run({
      runId: 6004,
      event: pullRequestEvent({ number: 32 }),
      inputs: { ...inputs, 'judge-model': NEW_JUDGE, 'rejudge-baseline': 'false' },
      env: { TOY_QUALITY: '0.5' },
    });
    expectExit(r, 0);
    expect(r.outputs.verdict).toBe('no-baseline');
    expect(r.outputs['concept-preservation-delta']).toBe('');
    const body = commentOf(32);
    expect(body).toContain('was not judged again: rejudge-baseline is false');
    expect(body).toMatch(
      new RegExp(
        `\\| judge-model \\| ${OLD_JUDGE} \\| ${NEW_JUDGE} \\| judge side: the baseline can be judged again \\|`,
      ),
    );
    expect(body).not.toContain('| delta |');
    // Only this run's images were judged.
    expect(stack.judge.requests.length - before).toBe(resultsOf(r).judge.stats.calls);
    expect(resultsOf(r).comparison).toMatchObject({
      status: 'incompatible',
      notRejudged: 'rejudge-baseline is false',
    });
  });

  it('a model that wrote no image at all: the re-judged baseline it paid for is kept and counted', async () => {
    const before = stack.judge.requests.length;
    const r = await stack.run({
      runId: 6005,
      event: pullRequestEvent({ number: 33 }),
      // Nothing of this run is judged, so no stage makes its results folder before the re-judge.
      inputs: { ...inputs, 'generate-command': 'true', 'judge-model': NEW_JUDGE },
    });
    expectExit(r, 1);
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /^No sample was scored/,
    );
    // Every call was the baseline's, and the step's cost says so.
    expect(stack.judge.requests.length).toBeGreaterThan(before);
    expect(Number(r.outputs['cost-usd'])).toBeGreaterThan(0);
    expect(r.outputs.verdict).toBe('regression');
    const files = artifactFiles(6005, 'judge-upgrade');
    const kept = JSON.parse(strFromU8(files['baseline-rejudged.json']!));
    expect(kept.records).toHaveLength(24);
    expect(resultsOf(r).comparison).toMatchObject({
      status: 'compared',
      rejudged: { judged: 24, scored: 24 },
    });
  });
});

describe('max-cost-usd', () => {
  it("covers this run's judging and the baseline's together: what it cannot pay for pairs with nothing", async () => {
    const r = await stack.run({
      runId: 6701,
      event: pullRequestEvent({ number: 40 }),
      inputs: {
        'generate-command': TOY,
        'artifact-name': 'judge-upgrade',
        'judge-model': NEW_JUDGE,
        'max-cost-usd': '0.06',
      },
      env: { TOY_QUALITY: '0.5' },
    });
    const own = resultsOf(r).summary.costUsd;
    expect(own).toBeLessThan(0.06);
    expect(Number(r.outputs['cost-usd'])).toBeLessThanOrEqual(0.06);
    const body = commentOf(40);
    const judged = /24 stored baseline images judged again \((\d+) scored;/.exec(body)?.[1];
    expect(Number(judged)).toBeGreaterThan(0);
    expect(Number(judged)).toBeLessThan(24);
    // A baseline sample the budget stopped has no outcome there: this run's twin pairs with nothing.
    const paired = Number(/(\d+) of 24 samples paired/.exec(body)?.[1]);
    expect(paired).toBeGreaterThanOrEqual(Number(judged));
    expect(paired).toBeLessThan(24);
    expect(body).toContain(`baseline only: 0, this run only: ${24 - paired}`);
  });
});

describe('shards judged by another judge, merged by a third job', () => {
  it("the merge judges the baseline's images again (shards never compare) and reports the deltas", async () => {
    const inputs = {
      'generate-command': TOY,
      'artifact-name': 'judge-upgrade',
      'judge-model': NEW_JUDGE,
    };
    const event = pullRequestEvent({ number: 39 });
    const shards = await runShards(stack, {
      runId: 6601,
      event,
      inputs,
      env: { TOY_QUALITY: '0.5' },
    });
    for (const s of shards) expectExit(s, 0);
    const before = stack.judge.requests.length;
    const merged = await runMerge(stack, { runId: 6601, event, inputs });
    expectExit(merged, 1);
    expect(merged.outputs.verdict).toBe('regression');
    const body = commentOf(39);
    expect(body).toMatch(/24 stored baseline images judged again \(24 scored;/);
    expect(body).toMatch(/24 of 24 samples paired/);
    // Only the baseline's images were judged in the merge job, by this run's judge.
    const seen = judgedImages(stack.judge.requests.slice(before), NEW_JUDGE);
    const baseImages = storedImages(artifactFiles(6002, 'judge-upgrade'));
    expect(seen.length).toBe(stack.judge.requests.length - before);
    expect(seen.every((image) => baseImages.some((b) => b.equals(image)))).toBe(true);
    const shardCost = shards.reduce((sum, s) => sum + Number(s.outputs['cost-usd']), 0);
    expect(Number(merged.outputs['cost-usd'])).toBeGreaterThan(shardCost);
  });
});

describe("the baseline's stored images", () => {
  const seedFrom = (name: string, runId: number, edit: (f: Record<string, Uint8Array>) => void) => {
    const files = artifactFiles(6001, 'judge-upgrade');
    edit(files);
    stack.actions.store.seed({ name, repo: stack.actions.repository, runId, zip: zipSync(files) });
    stack.finishRun(runId, pushEvent());
  };
  const pr = (runId: number, number: number, inputs: Record<string, string>) =>
    stack.run({
      runId,
      event: pullRequestEvent({ number }),
      inputs: { 'generate-command': TOY, 'judge-model': NEW_JUDGE, ...inputs },
      env: { TOY_QUALITY: '1' },
    });

  it('missing from the artifact: absolute numbers, and the reason', async () => {
    seedFrom('no-images', 6301, (f) => {
      for (const name of Object.keys(f)) if (name.startsWith('images/')) delete f[name];
    });
    const r = await pr(6302, 35, { 'artifact-name': 'no-images' });
    expectExit(r, 0);
    expect(r.outputs.verdict).toBe('no-baseline');
    expect(commentOf(35)).toContain(
      'was not judged again: the baseline artifact holds none of the judge-size images (images/) of the paired samples',
    );
  });

  it('one of them not the image the baseline judged: left out and said, the rest paired', async () => {
    const other = Buffer.from(
      artifactFiles(6001, 'judge-upgrade')['references/object_00_red_teapot_0.jpg']!,
    );
    let replaced = '';
    seedFrom('tampered', 6401, (f) => {
      replaced = Object.keys(f).find((n) => n.startsWith('images/'))!;
      f[replaced] = other;
    });
    const r = await pr(6402, 36, { 'artifact-name': 'tampered' });
    expectExit(r, 0);
    const body = commentOf(36);
    expect(body).toMatch(/23 of 24 samples paired/);
    expect(body).toContain(
      `⚠️ 1 paired sample could not be judged again and pair with nothing (${path.basename(replaced, '.jpg').replace(/_/g, '\\_')}: its stored image is not the one the baseline judged (sha256 differs)).`,
    );
  });

  it('stored larger than this run judges: reduced to its size and judged again, and said', async () => {
    const inputs = { 'generate-command': TOY, 'artifact-name': 'sizes', 'judge-model': NEW_JUDGE };
    await publishBaseline(6501, { ...inputs, 'image-size': '768' });
    const before = stack.judge.requests.length;
    const r = await pr(6502, 37, { ...inputs, 'image-size': '512' });
    expectExit(r, 0);
    expect(r.outputs['concept-preservation-delta']).not.toBe('');
    const body = commentOf(37);
    expect(body).toContain(`image-size 768 → 512`);
    expect(body).toContain("Its images, stored at 768 px, were reduced to this run's 512 px");
    const sizes = await Promise.all(
      stack.judge.requests
        .slice(before)
        .map((q) => sharp(dataUrlBytes(imagesInRequest(q.body).at(-1)!)).metadata()),
    );
    expect(sizes.every((m) => m.width === 512 && m.height === 512)).toBe(true);
  });

  it('stored smaller than this run judges: not comparable, since enlarging them adds no detail', async () => {
    const r = await pr(6503, 38, { 'artifact-name': 'sizes', 'image-size': '1024' });
    expectExit(r, 0);
    expect(r.outputs.verdict).toBe('no-baseline');
    expect(commentOf(38)).toMatch(/\| image-size \| 768 \| 1024 \| not comparable \|/);
  });
});

describe('the same alias served by another snapshot', () => {
  const inputs = { 'generate-command': TOY, 'artifact-name': 'alias', 'judge-model': 'gpt-4o' };

  it('is a judge change: the baseline is judged again though the requested model is the same', async () => {
    stack.judge.set({ score: standinScore }); // the server names the snapshot gpt-4o-2024-08-06
    await publishBaseline(6101, inputs);
    stack.judge.set({ score: standinScore, model: NEW_JUDGE });
    const before = stack.judge.requests.length;
    const r = await stack.run({
      runId: 6102,
      event: pullRequestEvent({ number: 33 }),
      inputs,
      env: { TOY_QUALITY: '1' },
    });
    expectExit(r, 0);
    expect(r.outputs.verdict).toBe('pass');
    expect(r.outputs['concept-preservation-delta']).toMatch(/^-?0\.\d{3}$/);
    const body = commentOf(33);
    expect(body).toContain(`served snapshot ${OLD_JUDGE} → ${NEW_JUDGE}`);
    expect(body).not.toContain('judge-model gpt-4o →');
    // The same images on both sides: the cache answers the baseline's, for free.
    expect(body).toMatch(
      /24 stored baseline images judged again \(24 scored; 0 calls, 48 cache hits/,
    );
    expect(stack.judge.requests.length - before).toBe(resultsOf(r).judge.stats.calls);
    const results = resultsOf(r);
    expect(results.fingerprint).toMatchObject({ judgeModel: 'gpt-4o', judgeServed: [NEW_JUDGE] });
  });
});

describe('prompts-dir in the upstream layout', () => {
  it("sends upstream's turns exactly, the final one included, and records the final turn", async () => {
    stack.judge.set({ score: standinScore });
    const before = stack.judge.requests.length;
    const r = await stack.run({
      runId: 6201,
      event: pullRequestEvent({ number: 34 }),
      inputs: {
        'artifact-name': 'upstream-prompts',
        'prompts-dir': UPSTREAM_PROMPTS,
        samples: '8',
      },
    });
    expectExit(r, 0);
    const turn = (name: string) => readFileSync(path.join(UPSTREAM_PROMPTS, name), 'utf8').trim();
    const results = resultsOf(r);
    const prompts = new Map<string, string>(
      results.samples.map((s: any) => [s.prompt, s.category]),
    );
    const requests = stack.judge.requests.slice(before);
    expect(requests).toHaveLength(16);
    const styleSamples = results.samples.filter((s: any) => s.category === 'style').length;
    expect(styleSamples).toBeGreaterThan(0);
    let styleCp = 0;
    for (const q of requests) {
      const [user, assistant, input] = q.body.messages!;
      const parts = input!.content as Array<{ type: string; text?: string; image_url?: unknown }>;
      if (parts.length === 2 && parts.every((p) => p.type === 'image_url')) {
        // CP: the two images alone.
        const kind = user!.content === turn('user_prompt_style_full.txt') ? 'style' : 'subject';
        if (kind === 'style') styleCp += 1;
        expect(user).toEqual({ role: 'user', content: turn(`user_prompt_${kind}_full.txt`) });
        expect(assistant).toEqual({
          role: 'assistant',
          content: turn(`gpt_prompt_${kind}_full.txt`),
        });
      } else {
        // PF: the prompt text, then the image.
        expect(user).toEqual({ role: 'user', content: turn('user_prompt_text_full.txt') });
        expect(assistant).toEqual({ role: 'assistant', content: turn('gpt_prompt_text_full.txt') });
        expect(parts.map((p) => p.type)).toEqual(['text', 'image_url']);
        expect(prompts.has(parts[0]!.text!)).toBe(true);
      }
      expect(input!.role).toBe('user');
    }
    // The style criteria went to the style samples' CP, the subject criteria to all the others.
    expect(styleCp).toBe(styleSamples);
    expect(results.fingerprint.finalTurn).toBe('upstream');
    expect(results.records.every((x: any) => typeof x.upstreamKey === 'string')).toBe(true);
    const csv = strFromU8(artifactFiles(6201, 'upstream-prompts')['scores.csv']!);
    expect(csv.split('\r\n')[0]).toBe('upstream_key,category,prompt_class,cp,pf');
    expect(csv.trim().split('\r\n')).toHaveLength(9);
  });
});
