// The product, end to end: dist/index.js under the runner emulation against loopback GitHub,
// artifact, judge and hub servers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/action-yml.ts';
import { standinScore } from '../harness/standin-judge.ts';
import { pullRequestEvent, pushEvent, startStack, type Stack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('a push to main publishes the baseline', () => {
  it('scores the sample and uploads the results artifact', async () => {
    const event = pushEvent();
    const r = await stack.run({ runId: 1001, event });
    if (process.env.E2E_LOG) console.log(r.stdout, r.stderr);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.verdict).toBe('no-baseline');
    expect(Number(r.outputs['samples-scored'])).toBe(24);
    expect(r.outputs['samples-failed']).toBe('0');
    expect(Number(r.outputs['concept-preservation'])).toBeGreaterThan(0);
    const results = JSON.parse(readFileSync(r.outputs['results-file']!, 'utf8'));
    expect(results.schemaVersion).toBe(3);
    expect(results.comparison).toMatchObject({ status: 'none' });
    expect(results.records).toHaveLength(24);
    expect(stack.actions.store.artifacts.map((a) => a.name)).toContain('dreambench-results');
    stack.finishRun(1001, event);
  });
});

describe('a pull request', () => {
  const marker = '<!-- dreambench-action:default -->';
  const comments = () => stack.actions.github.state.commentsOf(stack.actions.repository, 7);

  it('with the same model finds the baseline and posts one comment with numbers and deltas', async () => {
    const r = await stack.run({ runId: 2001, event: pullRequestEvent() });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.verdict).toBe('pass');
    expect(r.outputs['concept-preservation-delta']).toBe('0.000');
    expect(r.outputs['prompt-following-delta']).toBe('0.000');
    expect(comments()).toHaveLength(1);
    const body = comments()[0]!.body;
    expect(body.startsWith(marker)).toBe(true);
    expect(body).toContain(r.outputs['concept-preservation']!);
    expect(body).toMatch(/24 of 24 samples paired/);
    expect(r.outputs['comment-url']).toMatch(/^https?:\/\//);
    expect(r.summary).toContain(marker);
    if (process.env.E2E_LOG) console.log(body);
  });

  it('run again edits that comment instead of adding one', async () => {
    const before = comments()[0]!;
    const r = await stack.run({ runId: 2002, event: pullRequestEvent() });
    expect(r.exitCode).toBe(0);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.id).toBe(before.id);
    expect(comments()[0]!.body).toContain('/actions/runs/2002');
  });

  it('without a baseline passes with no-baseline and absolute numbers', async () => {
    const r = await stack.run({
      runId: 2003,
      event: pullRequestEvent({ number: 8 }),
      inputs: { 'artifact-name': 'never-published' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.verdict).toBe('no-baseline');
    expect(r.outputs['concept-preservation-delta']).toBe('');
    expect(Number(r.outputs['concept-preservation'])).toBeGreaterThan(0);
    expect(stack.actions.github.state.commentsOf(stack.actions.repository, 8)[0]!.body).toMatch(
      /no baseline/i,
    );
  });

  it('against a baseline judged by another model, not to be judged again, shows absolute numbers and says why', async () => {
    const r = await stack.run({
      runId: 2004,
      event: pullRequestEvent({ number: 9 }),
      inputs: { 'judge-model': 'gpt-4o-mini', 'rejudge-baseline': 'false' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.verdict).toBe('no-baseline');
    expect(r.outputs['concept-preservation-delta']).toBe('');
    const body = stack.actions.github.state.commentsOf(stack.actions.repository, 9)[0]!.body;
    expect(body).toContain('gpt-4o-mini');
    expect(body).toContain('gpt-4o-2024-08-06');
  });

  it('from a fork without a key ends skipped with the two-workflow advice', async () => {
    const before = stack.judge.requests.length;
    const r = await stack.run({
      runId: 2005,
      event: pullRequestEvent({ number: 10, fork: true }),
      inputs: { 'openai-api-key': '' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.verdict).toBe('skipped');
    expect(r.annotations.find((a) => a.level === 'notice')?.message).toMatch(/fork.*workflow_run/s);
    // Not a single judge call, with an empty key or any other.
    expect(stack.judge.requests.length).toBe(before);
  });
});

describe('a Dependabot pull request', () => {
  it('gets no secrets either, so it ends skipped instead of failing on the empty key', async () => {
    const r = await stack.run({
      runId: 2006,
      event: pullRequestEvent({ number: 12 }),
      inputs: { 'openai-api-key': '' },
      env: { GITHUB_ACTOR: 'dependabot[bot]' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.verdict).toBe('skipped');
    expect(r.annotations.find((a) => a.level === 'notice')?.message).toMatch(/Dependabot/);
  });
});

describe('a worse model', () => {
  const TOY = `node ${path.join(repoRoot, 'demo/toy-model.ts')} {manifest}`;
  const inputs = { 'generate-command': TOY, 'artifact-name': 'toy-results', 'comment-id': 'toy' };

  it('fails the check with verdict regression, one line saying why, and a contact sheet', async () => {
    stack.judge.set({ score: standinScore });
    const push = pushEvent();
    const base = await stack.run({ runId: 3001, event: push, inputs, env: { TOY_QUALITY: '1' } });
    expect(base.exitCode).toBe(0);
    stack.finishRun(3001, push);

    const r = await stack.run({
      runId: 3002,
      event: pullRequestEvent({ number: 11 }),
      inputs,
      env: { TOY_QUALITY: '0.4' },
    });
    expect(r.outputs.verdict).toBe('regression');
    expect(r.exitCode).toBe(1);
    expect(Number(r.outputs['concept-preservation-delta'])).toBeLessThan(-0.1);
    const errors = r.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^DreamBench regression: concept preservation −?-?0\.\d+/);
    const body = stack.actions.github.state.commentsOf(stack.actions.repository, 11)[0]!.body;
    expect(body).toContain('<!-- dreambench-action:toy -->');
    expect(body).toMatch(/regression/i);
    const mine = stack.actions.store.artifacts.filter((a) => a.runId === 3002);
    const artifact = mine.find((a) => a.name === 'toy-results');
    const files = Object.keys(unzipSync(stack.actions.store.blobContent(artifact!)!));
    expect(files).toEqual(expect.arrayContaining(['results.json', 'report.md']));
    expect(files.filter((f) => f.startsWith('images/'))).toHaveLength(24);
    // The contact sheet and the HTML report go up unzipped, as artifacts named after their files,
    // and the comment links both.
    const sheet = mine.find((a) => a.name === 'toy-results-contact-sheet.jpg')!;
    expect(sheet.mimeType).toBe('image/jpeg');
    expect((await sharp(stack.actions.store.blobContent(sheet)!).metadata()).format).toBe('jpeg');
    const html = mine.find((a) => a.name === 'toy-results.html')!;
    expect(html.mimeType).toBe('text/html');
    const url = (id: number) =>
      `https://github.com/octo-org/octo-repo/actions/runs/3002/artifacts/${id}`;
    expect(r.outputs['report-url']).toBe(url(html.id));
    expect(body).toContain(`[**Visual report**](${url(html.id)})`);
    expect(body).toContain(`[contact sheet](${url(sheet.id)})`);
  });

  it('an unreadable baseline image costs nothing: results first, a placeholder in the sheet', async () => {
    // Run 3001's baseline again, as run 3003, with every stored image damaged.
    const good = stack.actions.store.artifacts.find(
      (a) => a.name === 'toy-results' && a.runId === 3001,
    )!;
    const files = unzipSync(stack.actions.store.blobContent(good)!);
    for (const f of Object.keys(files))
      if (f.startsWith('images/')) files[f] = Buffer.from('not an image');
    const push = pushEvent();
    stack.actions.store.seed({
      name: 'toy-results',
      repo: stack.actions.repository,
      runId: 3003,
      zip: zipSync(files),
    });
    stack.finishRun(3003, push);

    const r = await stack.run({
      runId: 3004,
      event: pullRequestEvent({ number: 13 }),
      inputs,
      env: { TOY_QUALITY: '0.4' },
    });
    if (r.exitCode !== 1 || process.env.E2E_LOG) console.log(r.stdout, r.stderr);
    expect(r.outputs.verdict).toBe('regression');
    const errors = r.annotations.filter((a) => a.level === 'error');
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^DreamBench regression: /),
    ]);
    expect(readFileSync(r.outputs['results-file']!, 'utf8')).toContain('"records"');
    const mine = stack.actions.store.artifacts.filter((a) => a.runId === 3004);
    expect(mine.map((a) => a.name)).toContain('toy-results');
    expect(stack.actions.github.state.commentsOf(stack.actions.repository, 13)).toHaveLength(1);
    expect(r.summary).toContain('<!-- dreambench-action:toy -->');
    // The sheet is drawn all the same, with a placeholder where the baseline image was.
    const sheet = mine.find((a) => a.name === 'toy-results-contact-sheet.jpg');
    expect(sheet?.mimeType).toBe('image/jpeg');
    const meta = await sharp(stack.actions.store.blobContent(sheet!)!).metadata();
    expect(meta.width).toBeGreaterThan(700);
    const placeholders = r.annotations.filter(
      (a) => a.level === 'warning' && a.message.endsWith('; drawn as a placeholder'),
    );
    expect(placeholders.length).toBeGreaterThan(0);
    expect(placeholders[0]!.message).toMatch(
      /^Contact sheet row ".+": cannot read the baseline image/,
    );
  });
});

describe('a model that breaks 30% of its images, otherwise identical to the baseline', () => {
  const inputs = { 'artifact-name': 'broken-results', 'comment-id': 'broken' };

  it('fails the check as a regression, and the comment names how many failures counted', async () => {
    const push = pushEvent();
    const base = await stack.run({ runId: 4001, event: push, inputs });
    expect(base.exitCode).toBe(0);
    stack.finishRun(4001, push);
    const ids = (
      JSON.parse(readFileSync(base.outputs['results-file']!, 'utf8')).samples as { id: string }[]
    ).map((x) => x.id);
    const broken = Array.from({ length: 7 }, (_, k) => ids[Math.floor((k * ids.length) / 7)]!);
    expect(broken.length / ids.length).toBeCloseTo(0.3, 1);

    const r = await stack.run({
      runId: 4002,
      event: pullRequestEvent({ number: 12 }),
      inputs,
      env: { GEN_CORRUPT: broken.join(',') },
    });
    if (process.env.E2E_LOG) console.log(r.stdout, r.stderr);
    expect(r.outputs.verdict).toBe('regression');
    expect(r.exitCode).toBe(1);
    expect(r.outputs['samples-failed']).toBe('7');
    expect(Number(r.outputs['concept-preservation-delta'])).toBeLessThan(0);
    const errors = r.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^DreamBench regression: /);
    expect(errors[0]!.message).toContain(
      'failures counted as the lowest score: 7 in this run (7 corrupt), 0 in the baseline',
    );
    const body = stack.actions.github.state.commentsOf(stack.actions.repository, 12)[0]!.body;
    expect(body).toContain('<!-- dreambench-action:broken -->');
    expect(body).toMatch(/^## ❌ Regression in /m);
    expect(body).toContain('24 of 24 samples paired');
    expect(body).toContain('7 samples in this run (7 corrupt), none in the baseline');
    const results = JSON.parse(readFileSync(r.outputs['results-file']!, 'utf8'));
    expect(results.schemaVersion).toBe(3);
    expect(results.summary).toMatchObject({ planned: 24, scored: 17, failed: 7, counted: 7 });
    expect(results.comparison).toMatchObject({
      status: 'compared',
      baseline: { runId: 4001 },
      verdict: 'regression',
      pairing: { paired: 24, counted: { pr: { samples: 7, byKind: { corrupt: 7 } } } },
    });
    expect(results.comparison.cp.interval[1]).toBeLessThan(0);
  });
});
