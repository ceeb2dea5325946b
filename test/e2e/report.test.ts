// The HTML report end to end on dist/index.js: a baseline push, then a pull request, over a dataset
// whose prompts carry markup. The PR run uploads `<artifact-name>.html` unzipped, holding every
// planned sample with its three images, the escaped prompts and the judge's words, loading nothing
// from outside; the comment and the output `report-url` point at it.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../harness/runner.ts';
import {
  buildLayoutFiles,
  startHubServer,
  zipFiles,
  type HubServer,
} from '../harness/servers/hub.ts';
import { pullRequestEvent, pushEvent, startStack, type Stack } from './stack.ts';

/** Markup, an entity, a mention and a remote image: all must stay text. */
const HOSTILE = '<script>alert("x")</script><img src="https://evil.example/p.png"> & @octocat';
const inputs = { 'artifact-name': 'visual', samples: '24' };
const PR = 61;

let stack: Stack;
let hub: HubServer;
let pr: RunResult;

beforeAll(async () => {
  stack = await startStack();
  const files = await buildLayoutFiles({ perCategory: 3 });
  for (const [name, bytes] of Object.entries(files)) {
    if (!name.includes('/captions/')) continue;
    const [subject, ...prompts] = Buffer.from(bytes).toString('utf8').trim().split('\n');
    files[name] = Buffer.from(`${subject}\n${prompts.map((p) => `${p} ${HOSTILE}`).join('\n')}\n`);
  }
  hub = await startHubServer({
    files: { 'yuangpeng/dreambench_plus@main/data.zip': zipFiles(files) },
  });
  const env = { HF_ENDPOINT: hub.url };
  const push = pushEvent();
  const base = await stack.run({ runId: 8001, event: push, inputs, env });
  if (base.exitCode !== 0) console.log(base.stdout, base.stderr);
  expect(base.exitCode).toBe(0);
  stack.finishRun(8001, push);
  pr = await stack.run({ runId: 8002, event: pullRequestEvent({ number: PR }), inputs, env });
  if (pr.exitCode !== 0 || process.env.E2E_LOG) console.log(pr.stdout, pr.stderr);
  expect(pr.exitCode).toBe(0);
}, 120_000);
afterAll(async () => {
  await Promise.all([stack?.close(), hub?.close()]);
});

function reportArtifact() {
  const artifact = stack.actions.store.artifacts.find(
    (a) => a.runId === 8002 && a.name === 'visual.html',
  );
  expect(artifact, 'the HTML report artifact').toBeDefined();
  return {
    artifact: artifact!,
    html: stack.actions.store.blobContent(artifact!)!.toString('utf8'),
  };
}

/** Each card's markup, by sample id. */
function cards(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<li class="card[^"]*" id="sample-([^"]+)">([\s\S]*?)<\/li>/g))
    out.set(m[1]!, m[2]!);
  return out;
}

describe('the HTML report of a pull request', () => {
  it('is uploaded unzipped as <artifact-name>.html and linked from the comment and outputs', () => {
    const { artifact, html } = reportArtifact();
    expect(artifact.mimeType).toBe('text/html');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const url = `https://github.com/octo-org/octo-repo/actions/runs/8002/artifacts/${artifact.id}`;
    expect(pr.outputs['report-url']).toBe(url);
    const comment = stack.actions.github.state.commentsOf(stack.actions.repository, PR)[0]!.body;
    expect(comment).toContain(`(${url})`);
    expect(pr.summary).toContain(`(${url})`);
  });

  it('holds every planned sample with its reference, baseline and PR images', async () => {
    const { html } = reportArtifact();
    const planned = JSON.parse(readFileSync(pr.outputs['results-file']!, 'utf8')).samples as {
      id: string;
    }[];
    expect(planned).toHaveLength(24);
    const byId = cards(html);
    expect([...byId.keys()].sort()).toEqual(planned.map((s) => s.id).sort());
    for (const [id, card] of byId) {
      const srcs = [
        ...card.matchAll(/<img src="([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]+)"/g),
      ];
      expect(
        srcs.map((m) => m[4]),
        id,
      ).toEqual(['reference image', 'baseline image', 'PR image']);
      for (const [, src, width] of srcs) {
        const bytes = Buffer.from(src!.replace(/^data:image\/jpeg;base64,/, ''), 'base64');
        const meta = await sharp(bytes).metadata();
        expect([meta.format, meta.width]).toEqual(['jpeg', Number(width)]);
        expect(meta.width).toBeLessThanOrEqual(256);
      }
    }
  });

  it("escapes the prompts and shows the judge's words", () => {
    const { html } = reportArtifact();
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/<img src="https:/);
    expect(html).toContain('The image shows what the prompt asks for, with minor omissions.');
    expect(html.match(/<details class="judge"/g)).toHaveLength(24);
  });

  it('loads nothing from outside: data: images, inline style, no script, a policy that says so', () => {
    const { html } = reportArtifact();
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:;`,
    );
    for (const m of html.matchAll(/\s(src|srcset|poster|data)="([^"]*)"/g))
      expect(m[2]!.startsWith('data:image/jpeg;base64,'), m[0]).toBe(true);
    expect(html).not.toMatch(/<(link|script|iframe|object|embed|base)\b/i);
    expect(html).not.toMatch(/url\(|@import/);
  });
});
