// The contract's other paths, end to end on dist/index.js: plan-only runs and the split GPU-job
// workflow, per-sample generation failures, a failing generator, shards and their merge,
// `samples: all`, the judge cache across runs, and the cost cap.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowRunEvent, type GithubEvent } from '../harness/events.ts';
import { alive } from '../harness/processes.ts';
import type { RunResult } from '../harness/runner.ts';
import {
  expectExit,
  GENERATOR,
  PER_CATEGORY,
  pullRequestEvent,
  pushEvent,
  resultsOf,
  runMerge,
  runShards,
  startStack,
  type Stack,
} from './stack.ts';

interface ManifestLine {
  id: string;
  concept: string;
  output_image: string;
}

function manifestOf(r: RunResult): ManifestLine[] {
  const file = r.outputs['manifest-file'];
  expect(file, 'output manifest-file').toBeTruthy();
  return readFileSync(file!, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ManifestLine);
}

/** How the report writes a sample id in Markdown: underscores escaped, so they stay literal. */
const md = (id: string) => id.replace(/_/g, '\\_');

const errorsOf = (r: RunResult) => r.annotations.filter((a) => a.level === 'error');

/** Folders this file makes (runAction's own runner folders are the harness's business). */
const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('mode: plan, then a separate generator, then a run on images-dir', () => {
  it('plans without judging, and the second run scores what the generator made', async () => {
    const requestsBefore = stack.judge.requests.length;
    const planned = await stack.run({
      runId: 5001,
      event: pushEvent(),
      inputs: { mode: 'plan', samples: '12', 'generate-command': '', 'artifact-name': 'split' },
    });
    expectExit(planned, 0);
    expect(planned.outputs.verdict).toBe('skipped');
    expect(planned.outputs['samples-scored']).toBe('0');
    const manifest = manifestOf(planned);
    expect(manifest).toHaveLength(12);
    expect(stack.judge.requests.length).toBe(requestsBefore);
    expect(stack.actions.store.artifacts.filter((a) => a.name === 'split')).toHaveLength(0);
    const outputDir = path.dirname(manifest[0]!.output_image);
    expect(manifest.every((m) => path.dirname(m.output_image) === outputDir)).toBe(true);
    expect(existsSync(outputDir)).toBe(true);

    // The GPU job: the repository's generator consumes the manifest on its own.
    execFileSync(process.execPath, [GENERATOR, planned.outputs['manifest-file']!]);

    const scored = await stack.run({
      runId: 5002,
      event: pushEvent(),
      inputs: {
        samples: '12',
        'generate-command': '',
        'images-dir': outputDir,
        'artifact-name': 'split',
      },
    });
    expectExit(scored, 0);
    expect(scored.outputs['samples-scored']).toBe('12');
    expect(scored.outputs['samples-failed']).toBe('0');
    expect(scored.outputs.verdict).toBe('no-baseline');
    // CP and PF per sample, nothing more: the images were found, none regenerated.
    expect(stack.judge.requests.length - requestsBefore).toBe(24);
    expect(scored.stdout).not.toContain('Running generate-command');
    const results = resultsOf(scored);
    expect(results.samples.map((s: { id: string }) => s.id).sort()).toEqual(
      manifest.map((m) => m.id).sort(),
    );
  });
});

describe('the fork pattern: pull_request plans and generates, workflow_run judges', () => {
  it('comments on the fork PR named by DREAMBENCH_PR_NUMBER, once its head is checked', async () => {
    const fork = pullRequestEvent({ number: 40, fork: true });
    const forkRepo = `contributor/${stack.actions.repository.split('/')[1]}`;
    const pulls = stack.actions.github.state;
    pulls.addPull(stack.actions.repository, {
      number: 40,
      baseRef: 'main',
      headRef: 'feature/better-lora',
      headRepository: forkRepo,
    });
    // Another PR, whose head is not the commit workflow 2 was triggered by.
    pulls.addPull(stack.actions.repository, {
      number: 43,
      baseRef: 'main',
      headRef: 'x',
      headSha: 'd'.repeat(40),
    });
    // Workflow 1, untrusted: no key, so it may only plan (and the generator runs on its own).
    const planned = await stack.run({
      runId: 5101,
      event: fork,
      inputs: { mode: 'plan', samples: '12', 'generate-command': '', 'openai-api-key': '' },
    });
    expectExit(planned, 0);
    const outputDir = path.dirname(manifestOf(planned)[0]!.output_image);
    execFileSync(process.execPath, [GENERATOR, planned.outputs['manifest-file']!]);

    // Workflow 2, trusted: the images (an artifact of workflow 1 on GitHub) and the key.
    const judged = await stack.run({
      runId: 5102,
      event: workflowRunEvent({ fork: true }),
      inputs: {
        mode: 'check',
        samples: '12',
        'generate-command': '',
        'images-dir': outputDir,
        'artifact-name': 'fork-pattern',
      },
      env: { DREAMBENCH_PR_NUMBER: '40' },
    });
    expectExit(judged, 0);
    expect(judged.outputs['samples-scored']).toBe('12');
    const comments = stack.actions.github.state.commentsOf(stack.actions.repository, 40);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- dreambench-action:default -->');
    expect(judged.outputs['comment-url']).toContain('issuecomment');

    // A fork that names someone else's PR gets nothing written there, and nothing judged.
    const before = stack.judge.requests.length;
    const misled = await stack.run({
      runId: 5103,
      event: workflowRunEvent({ fork: true }),
      inputs: { mode: 'check', samples: '12', 'generate-command': '', 'images-dir': outputDir },
      env: { DREAMBENCH_PR_NUMBER: '43' },
    });
    expectExit(misled, 1);
    expect(errorsOf(misled)[0]!.message).toMatch(
      /DREAMBENCH_PR_NUMBER 43 names a pull request whose head is ddddddd/,
    );
    expect(stack.actions.github.state.commentsOf(stack.actions.repository, 43)).toHaveLength(0);
    expect(stack.judge.requests.length).toBe(before);
  });
});

describe('per-sample generation failures', () => {
  it('completes the run, and lists 2 missing, 1 corrupt and 1 outside image by id', async () => {
    const tmp = tempDir('dreambench-badgen-');
    const outside = tempDir('dreambench-outside-');
    // Picks its victims from the manifest it is given: the first four lines.
    const wrapper = path.join(tmp, 'bad-generator.mjs');
    writeFileSync(
      wrapper,
      `import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const manifest = process.argv[2];
const ids = readFileSync(manifest, 'utf8').trim().split('\\n').map((l) => JSON.parse(l).id);
execFileSync(process.execPath, [${JSON.stringify(GENERATOR)}, manifest], {
  stdio: 'inherit',
  env: { ...process.env, GEN_SKIP: ids.slice(0, 2).join(','), GEN_CORRUPT: ids[2],
    GEN_OUTSIDE: ids[3], GEN_OUTSIDE_DIR: ${JSON.stringify(outside)} },
});
`,
    );
    const r = await stack.run({
      runId: 5101,
      event: pullRequestEvent({ number: 31 }),
      inputs: { 'generate-command': `node ${wrapper} {manifest}`, 'artifact-name': 'badgen' },
    });
    expectExit(r, 0);
    const ids = manifestOf(r).map((m) => m.id);
    expect(r.outputs['samples-failed']).toBe('4');
    expect(r.outputs['samples-scored']).toBe('20');
    const results = resultsOf(r);
    expect(results.summary.planned).toBe(24);
    expect(results.summary.scored + results.summary.failed).toBe(results.summary.planned);
    const failures = results.failures as Array<{ id: string; kind: string; reason: string }>;
    expect(failures.map((f) => [f.id, f.kind])).toEqual([
      [ids[0], 'missing'],
      [ids[1], 'missing'],
      [ids[2], 'corrupt'],
      [ids[3], 'outside-output-dir'],
    ]);
    expect(failures[2]!.reason).toMatch(/does not decode/);
    expect(failures[3]!.reason).toContain(outside);
    // None of the failed samples reached the judge.
    expect(results.records.map((x: { id: string }) => x.id)).not.toEqual(
      expect.arrayContaining([ids[0]]),
    );
    const comment = stack.actions.github.state.commentsOf(stack.actions.repository, 31)[0]!.body;
    for (const id of ids.slice(0, 4)) {
      expect(comment, `comment lists ${id}`).toContain(md(id!));
      expect(r.summary, `summary lists ${id}`).toContain(md(id!));
    }
    expect(r.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual(
      expect.arrayContaining(ids.slice(0, 4).map((id) => expect.stringContaining(id!))),
    );
  });

  it('fails the step when the generator exits non-zero, quoting its last lines', async () => {
    const requestsBefore = stack.judge.requests.length;
    const r = await stack.run({
      runId: 5102,
      event: pullRequestEvent({ number: 32 }),
      inputs: { 'artifact-name': 'crashgen' },
      env: { GEN_FAIL_LINES: '45' },
    });
    expectExit(r, 1);
    const errors = errorsOf(r);
    expect(errors).toHaveLength(1);
    const message = errors[0]!.message;
    expect(message).toMatch(/generate-command exited with code 3/);
    expect(message).toMatch(/^line 45$/m);
    expect(message).toMatch(/^line 16$/m);
    expect(message).not.toMatch(/^line 15$/m);
    expect(stack.judge.requests.length).toBe(requestsBefore);
    expect(stack.actions.github.state.commentsOf(stack.actions.repository, 32)).toHaveLength(0);
  });
});

describe('cancelling the job', () => {
  it('stops a running generate-command and its children, and fails the step', async () => {
    const dir = tempDir('dreambench-cancel-');
    const pidFile = path.join(dir, 'grandchild.pid');
    // A generator that starts a long-lived child of its own, says so, and waits.
    const command = `sleep 300 & echo $! > ${pidFile}; echo generator-started; wait`;
    let cancelled = false;
    const r = await stack.run({
      runId: 5201,
      event: pullRequestEvent({ number: 41 }),
      inputs: { 'generate-command': command, samples: '4' },
      onOutput: (text, child) => {
        if (!cancelled && text.includes('generator-started')) {
          cancelled = true;
          child.kill('SIGTERM'); // what the runner does when a user cancels
        }
      },
    });
    expect(cancelled).toBe(true);
    expectExit(r, 1);
    expect(errorsOf(r)[0]?.message).toMatch(/cancel/i);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(grandchild)).toBe(false);
  });
});

describe('shards of one run, merged by a third job', () => {
  const inputs = { 'artifact-name': 'sharded' };
  const shardArtifacts = (runId: number) =>
    stack.actions.store.artifacts
      .filter((a) => a.runId === runId && a.name.startsWith('sharded'))
      .map((a) => a.name)
      .sort();

  it('each shard uploads its slice, the merge compares the whole with the baseline', async () => {
    const push = pushEvent();
    const base = await stack.run({ runId: 6001, event: push, inputs });
    expectExit(base, 0);
    stack.finishRun(6001, push);

    const event = pullRequestEvent({ number: 41 });
    const shards = await runShards(stack, { runId: 6100, event, inputs });
    for (const s of shards) {
      expectExit(s, 0);
      expect(s.outputs.verdict).toBe('skipped');
    }
    const sliceSizes = shards.map((s) => Number(s.outputs['samples-scored']));
    expect(sliceSizes.every((n) => n > 0)).toBe(true);
    expect(sliceSizes[0]! + sliceSizes[1]!).toBe(24);
    expect(shardArtifacts(6100)).toEqual(['sharded-shard-1', 'sharded-shard-2']);
    // Shards never comment: only the merge knows the whole.
    expect(stack.actions.github.state.commentsOf(stack.actions.repository, 41)).toHaveLength(0);

    const requestsBefore = stack.judge.requests.length;
    const merged = await runMerge(stack, { runId: 6100, event, inputs });
    expectExit(merged, 0);
    expect(merged.outputs['samples-scored']).toBe(base.outputs['samples-scored']);
    expect(merged.outputs.verdict).toBe('pass');
    expect(stack.judge.requests.length).toBe(requestsBefore); // merging judges nothing again
    const shardCost = shards.reduce((sum, s) => sum + Number(s.outputs['cost-usd']), 0);
    expect(Number(merged.outputs['cost-usd'])).toBeCloseTo(shardCost, 3);
    expect(merged.outputs['concept-preservation']).toBe(base.outputs['concept-preservation']);
    expect(merged.outputs['concept-preservation-delta']).toBe('0.000');
    const comments = stack.actions.github.state.commentsOf(stack.actions.repository, 41);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/24 of 24 samples paired/);
    // The merge job, not the shards, uploads the HTML report of the whole, images and all.
    expect(shardArtifacts(6100)).toEqual([
      'sharded',
      'sharded-shard-1',
      'sharded-shard-2',
      'sharded.html',
    ]);
    const report = stack.actions.store.artifacts.find(
      (a) => a.runId === 6100 && a.name === 'sharded.html',
    )!;
    const html = stack.actions.store.blobContent(report)!.toString('utf8');
    expect(html.match(/<li class="card/g)).toHaveLength(24);
    expect(html.match(/<img src="data:image\/jpeg;base64,/g)).toHaveLength(72);
    const artifact = stack.actions.store.artifacts.find(
      (a) => a.runId === 6100 && a.name === 'sharded',
    )!;
    const files = unzipSync(stack.actions.store.blobContent(artifact)!);
    const results = JSON.parse(Buffer.from(files['results.json']!).toString('utf8'));
    expect(results.records).toHaveLength(24);
    expect(results.run.shard).toBeNull();
    expect(Object.keys(files).filter((f) => f.startsWith('images/'))).toHaveLength(24);
  });

  it('a merge with a shard missing fails naming it', async () => {
    const event = pullRequestEvent({ number: 42 });
    const only = await stack.run({
      runId: 6200,
      jobId: 'shard-1',
      event,
      inputs: { ...inputs, shard: '1/2' },
    });
    expectExit(only, 0);
    const merged = await runMerge(stack, { runId: 6200, event, inputs });
    expectExit(merged, 1);
    const errors = errorsOf(merged);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/shard\(s\) 2\/2 have no results/);
    expect(stack.actions.github.state.commentsOf(stack.actions.repository, 42)).toHaveLength(0);
    expect(shardArtifacts(6200)).toEqual(['sharded-shard-1']);
  });

  it('a baseline shard cut short uploads what it paid for; the merge reports it and publishes nothing', async () => {
    const push = pushEvent();
    const capped = { 'artifact-name': 'sharded-capped', 'judge-concurrency': '2' };
    // Shard 1 can pay for a sample or two: the rest are budget failures, beyond the 10%.
    const shards = await runShards(stack, { runId: 6250, event: push, inputs: capped }, [
      { 'max-cost-usd': '0.02' },
    ]);
    expectExit(shards[0]!, 1);
    expect(errorsOf(shards[0]!)[0]!.message).toContain('more than max-service-failures allows');
    expect(Number(shards[0]!.outputs['cost-usd'])).toBeGreaterThan(0);
    expectExit(shards[1]!, 0);
    // A shard's artifact is never a baseline: the merge needs it, paid judgments and failures.
    const names = () =>
      stack.actions.store.artifacts
        .filter((a) => a.runId === 6250)
        .map((a) => a.name)
        .sort();
    expect(names()).toEqual(['sharded-capped-shard-1', 'sharded-capped-shard-2']);

    const merged = await runMerge(stack, { runId: 6250, event: push, inputs: capped });
    expectExit(merged, 1);
    const errors = errorsOf(merged);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^\d+ of 24 samples .* have no score for CP or PF/);
    expect(errors[0]!.message).toContain('budget');
    expect(Number(merged.outputs['samples-scored'])).toBeGreaterThan(12);
    // The whole measured too little: no baseline of that name, the merged results kept apart.
    expect(names()).toEqual([
      'sharded-capped-shard-1',
      'sharded-capped-shard-2',
      'sharded-capped-unhealthy',
      'sharded-capped-unhealthy.html',
    ]);
  });
});

describe('samples: all', () => {
  it('scores every prompt of every reference image', async () => {
    const r = await stack.run({
      runId: 6301,
      event: pushEvent(),
      inputs: { samples: 'all', 'artifact-name': 'all-samples', 'judge-concurrency': '32' },
    });
    expectExit(r, 0);
    const total = 4 * PER_CATEGORY * 9;
    expect(r.outputs['samples-scored']).toBe(String(total));
    expect(r.outputs['samples-failed']).toBe('0');
    const samples = resultsOf(r).samples as Array<{ concept: string; promptIndex: number }>;
    const perConcept = new Map<string, Set<number>>();
    for (const s of samples) {
      perConcept.set(s.concept, (perConcept.get(s.concept) ?? new Set()).add(s.promptIndex));
    }
    expect(perConcept.size).toBe(4 * PER_CATEGORY);
    for (const prompts of perConcept.values()) expect(prompts.size).toBe(9);
  });
});

describe('max-cost-usd', () => {
  it('stops judging at the cap, lists the rest as budget failures, and still passes', async () => {
    const requestsBefore = stack.judge.requests.length;
    const r = await stack.run({
      runId: 6401,
      event: pullRequestEvent({ number: 43 }),
      inputs: {
        'artifact-name': 'capped',
        // Room for a few samples at the budget's estimate of ~$0.01 per sample (2 calls).
        'max-cost-usd': '0.05',
        'judge-concurrency': '2',
        // Budget failures are the judge service's: beyond this share they would fail the run.
        'max-service-failures': '1',
      },
    });
    expectExit(r, 0);
    const scored = Number(r.outputs['samples-scored']);
    const failed = Number(r.outputs['samples-failed']);
    expect(scored).toBeGreaterThan(0);
    expect(scored).toBeLessThan(24);
    expect(scored + failed).toBe(24);
    expect(Number(r.outputs['cost-usd'])).toBeLessThanOrEqual(0.05);
    expect(Number(r.outputs['cost-usd'])).toBeGreaterThan(0);
    // A sample is judged completely or not at all: every call belongs to a scored sample.
    expect(stack.judge.requests.length - requestsBefore).toBe(2 * scored);
    const results = resultsOf(r);
    const failures = results.failures as Array<{ id: string; kind: string; reason: string }>;
    expect(failures).toHaveLength(failed);
    expect(new Set(failures.map((f) => f.kind))).toEqual(new Set(['budget']));
    expect(failures[0]!.reason).toMatch(/max-cost-usd/);
    const comment = stack.actions.github.state.commentsOf(stack.actions.repository, 43)[0]!.body;
    expect(comment).toMatch(/budget|max-cost-usd/i);
  });
});

describe('max-service-failures', () => {
  it('fails a baseline run that the budget cut short, publishes no baseline, and keeps what it paid for', async () => {
    const r = await stack.run({
      runId: 6402,
      event: pushEvent(),
      inputs: {
        'artifact-name': 'capped-baseline',
        'max-cost-usd': '0.05',
        'judge-concurrency': '2',
      },
    });
    expectExit(r, 1);
    const errors = r.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(
      /^\d+ of 24 samples \(\d+(\.\d)?%\) have no score for CP or PF/,
    );
    expect(errors[0]!.message).toContain('budget');
    expect(errors[0]!.message).toContain('more than max-service-failures allows (10%)');
    // Never under the baseline's own name, so no later PR compares with half a run; the judgments
    // it paid for are kept under a name no run looks up as a baseline.
    const mine = stack.actions.store.artifacts.filter((a) => a.runId === 6402 && a.finalized);
    expect(mine.map((a) => a.name).sort()).toEqual([
      'capped-baseline-unhealthy',
      'capped-baseline-unhealthy.html',
    ]);
    const files = unzipSync(
      stack.actions.store.blobContent(mine.find((a) => !a.name.endsWith('.html'))!)!,
    );
    const kept = JSON.parse(Buffer.from(files['results.json']!).toString('utf8'));
    expect(kept.summary.scored).toBeGreaterThan(0);
    expect(kept.summary.scored).toBe(resultsOf(r).summary.scored);
  });
});

describe('the judge cache across runs', () => {
  let cached: Stack;
  beforeAll(async () => {
    cached = await startStack({ cache: true });
  });
  afterAll(async () => {
    await cached?.close();
  });

  it('a second run on identical images makes no judge request', async () => {
    // A hosted runner: the same paths every job, on a fresh disk. (@actions/cache versions an
    // entry by the paths it holds, so they must be the same, as on GitHub-hosted runners.)
    const machine = tempDir('dreambench-hosted-');
    const workspace = path.join(machine, 'work', 'octo-repo', 'octo-repo');
    const runnerTemp = path.join(machine, 'work', '_temp');
    const freshVm = () => {
      rmSync(path.join(machine, 'work'), { recursive: true, force: true });
      mkdirSync(workspace, { recursive: true });
      mkdirSync(runnerTemp, { recursive: true });
    };
    const run = (runId: number, event: GithubEvent) => {
      freshVm();
      return cached.run({
        runId,
        event,
        workspace,
        inputs: { samples: '12' },
        env: { RUNNER_TEMP: runnerTemp },
      });
    };
    const first = await run(7001, pushEvent());
    expectExit(first, 0);
    const firstStats = resultsOf(first).judge.stats;
    expect(cached.judge.requests).toHaveLength(24);
    expect(cached.cache!.entries.filter((e) => e.finalized)).toHaveLength(1);
    expect(firstStats.cacheHits).toBe(0);

    const second = await run(7002, pullRequestEvent({ number: 51 }));
    expectExit(second, 0);
    expect(cached.judge.requests).toHaveLength(24);
    expect(second.outputs['samples-scored']).toBe('12');
    expect(second.outputs['concept-preservation']).toBe(first.outputs['concept-preservation']);
    expect(second.outputs['prompt-following']).toBe(first.outputs['prompt-following']);
    expect(second.outputs['cost-usd']).toBe('0.0000');
    const stats = resultsOf(second).judge.stats;
    expect(stats.cacheHits).toBe(24);
    expect(stats.calls).toBe(0);
    expect(second.stdout).toMatch(/judge cache: restored dreambench-judge-v1-.*--7001-1/);
    expect(second.stdout).toMatch(/0 calls, 24 cache hits/);
    const comment = cached.actions.github.state.commentsOf(cached.actions.repository, 51)[0]!.body;
    expect(comment).toContain('Judgments: 24 of 24 from the cache, the other 0 asked');
  });
});

describe('a run that measured nothing', () => {
  it('fails the step, and a baseline run publishes nothing', async () => {
    const push = pushEvent();
    const r = await stack.run({
      runId: 6501,
      event: push,
      inputs: { 'artifact-name': 'empty-baseline', samples: '4', 'generate-command': 'true' },
    });
    expectExit(r, 1);
    expect(errorsOf(r)[0]!.message).toMatch(/^No sample was scored: all 4 failed \(4 missing\)/);
    expect(stack.actions.store.artifacts.filter((a) => a.name === 'empty-baseline')).toHaveLength(
      0,
    );
    expect(r.summary).toContain('missing');
  });
});

describe('re-running a job', () => {
  it('replaces every artifact of the earlier attempt instead of failing on the name', async () => {
    const event = pullRequestEvent({ number: 44 });
    const inputs = { 'artifact-name': 'rerun', samples: '4' };
    const first = await stack.run({ runId: 6601, event, inputs });
    expectExit(first, 0);
    const live = () => stack.actions.store.artifacts.filter((a) => a.runId === 6601 && a.finalized);
    const before = live().map((a) => a.id);
    expect(live().map((a) => a.name)).toEqual(['rerun', 'rerun.html']);
    // The attempt is a new job of the same run: the service refuses a name the run already has.
    const again = await stack.run({
      runId: 6601,
      jobId: 'job-1-attempt-2',
      event,
      inputs,
      env: { GITHUB_RUN_ATTEMPT: '2' },
    });
    expectExit(again, 0);
    expect(again.stdout).toContain('Replaced the artifact "rerun" of an earlier attempt');
    expect(again.stdout).toContain('Replaced the artifact "rerun.html" of an earlier attempt');
    expect(again.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    expect(live().map((a) => a.name)).toEqual(['rerun', 'rerun.html']);
    expect(live().some((a) => before.includes(a.id))).toBe(false);
    expect(stack.actions.github.state.commentsOf(stack.actions.repository, 44)).toHaveLength(1);
  });
});

describe('two jobs of one run sharing artifact-name (a matrix that forgot it)', () => {
  const clash = /artifact named "shared[^"]*" already exists in this workflow run.*artifact-name/s;

  it('a pull request: the second job says which name clashes and how to fix it, and comments', async () => {
    const event = pullRequestEvent({ number: 45 });
    const job = (jobId: string) =>
      stack.run({
        runId: 6701,
        jobId,
        event,
        inputs: { 'artifact-name': 'shared', 'comment-id': jobId, samples: '4' },
      });
    expectExit(await job('matrix-a'), 0);
    const second = await job('matrix-b');
    expectExit(second, 0);
    const warnings = second.annotations.filter((a) => a.level === 'warning');
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(clash),
      expect.stringMatching(clash),
    ]);
    expect(second.outputs['report-url']).toBe('');
    expect(stack.actions.store.artifacts.filter((a) => a.runId === 6701)).toHaveLength(2);
    expect(stack.actions.github.state.commentsOf(stack.actions.repository, 45)).toHaveLength(2);
  });

  it('a baseline: the second job fails, naming the clash, with its outputs written', async () => {
    const event = pushEvent();
    const job = (jobId: string) =>
      stack.run({
        runId: 6702,
        jobId,
        event,
        inputs: { 'artifact-name': 'shared-base', samples: '4' },
      });
    expectExit(await job('matrix-a'), 0);
    const second = await job('matrix-b');
    expectExit(second, 1);
    expect(errorsOf(second).map((e) => e.message)).toEqual([
      expect.stringMatching(/artifact named "shared-base" already exists in this workflow run/),
    ]);
    expect(second.outputs.verdict).toBe('no-baseline');
  });
});
