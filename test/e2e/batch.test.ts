// Nightly judging through the OpenAI Batch API, end to end on dist/index.js with the inputs of
// examples/nightly-batch.yml: a `schedule` run judges through batches (no realtime call) at half
// the cost of the same plan in realtime and publishes the baseline a pull request then compares
// with; a batch that outlasts the wait leaves a pending record and publishes nothing, and the
// next run collects that same batch; a cancelled job cancels its batch.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/action-yml.ts';
import { scheduleEvent, type GithubEvent } from '../harness/events.ts';
import { tempDir } from '../harness/temp.ts';
import {
  expectExit,
  pullRequestEvent,
  pushEvent,
  resultsOf,
  startStack,
  type Stack,
} from './stack.ts';

/** The action step's `with:` of the example, as a run of `event` would see it. */
function exampleInputs(event: GithubEvent): Record<string, string> {
  const workflow = parse(readFileSync(path.join(repoRoot, 'examples/nightly-batch.yml'), 'utf8'));
  const step = (
    workflow.jobs.dreambench.steps as { uses?: string; with?: Record<string, unknown> }[]
  ).find((s) => s.uses?.startsWith('OWNER/dreambench-action@'))!;
  const inputs: Record<string, string> = {};
  for (const [name, raw] of Object.entries(step.with ?? {})) {
    const value = String(raw);
    if (value === "${{ github.event_name == 'schedule' }}")
      inputs[name] = String(event.name === 'schedule');
    else if (!value.includes('${{')) inputs[name] = value; // secrets: the stack sets the key
  }
  // The loopback benchmark's scale, and the stack's own generator for the example's.
  delete inputs['generate-command'];
  return { ...inputs, samples: '24' };
}

let stack: Stack;
let machine: string;
beforeAll(async () => {
  stack = await startStack({ cache: true });
  machine = tempDir('dreambench-batch-hosted-');
});
afterAll(async () => {
  await stack?.close();
});

/**
 * A run on a fresh hosted VM: the same paths every job (the Actions cache versions an entry by
 * the paths it holds, as on GitHub-hosted runners), nothing left on disk from the last job.
 */
function run(
  runId: number,
  event: GithubEvent,
  inputs: Record<string, string>,
  onOutput?: Parameters<Stack['run']>[0]['onOutput'],
) {
  const workspace = path.join(machine, 'work', 'octo-repo', 'octo-repo');
  const runnerTemp = path.join(machine, 'work', '_temp');
  rmSync(path.join(machine, 'work'), { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  mkdirSync(runnerTemp, { recursive: true });
  return stack.run({
    runId,
    event,
    workspace,
    inputs,
    env: { RUNNER_TEMP: runnerTemp },
    ...(onOutput ? { onOutput } : {}),
  });
}

describe('the nightly run of examples/nightly-batch.yml', () => {
  it('judges through a batch at half the realtime cost, and publishes the baseline a PR compares with', async () => {
    // The same plan in realtime, for its cost (its own artifact, no cache to share).
    const realtime = await run(8101, pushEvent(), {
      ...exampleInputs(pushEvent()),
      'artifact-name': 'realtime-reference',
      cache: 'false',
    });
    expectExit(realtime, 0);
    expect(exampleInputs(pushEvent())['judge-batch']).toBe('false');
    expect(realtime.outputs['samples-scored']).toBe('24');
    const a = resultsOf(realtime); // read now: the next run's fresh VM replaces the folder
    const realtimeCalls = stack.judge.requests.length;
    expect(realtimeCalls).toBe(48);

    const nightly = scheduleEvent();
    const inputs = exampleInputs(nightly);
    expect(inputs).toMatchObject({ 'judge-batch': 'true', 'judge-batch-wait-minutes': '240' });
    const batchesBefore = stack.judge.batch.batches.length;
    const batch = await run(8102, nightly, inputs);
    expectExit(batch, 0);
    expect(batch.outputs['samples-scored']).toBe('24');
    expect(batch.outputs['samples-failed']).toBe('0');
    expect(stack.judge.requests.length).toBe(realtimeCalls); // no realtime chat call at all
    expect(stack.judge.batch.batches.length - batchesBefore).toBe(1);
    expect(stack.judge.batch.batches.at(-1)!.lines).toHaveLength(48);

    const b = resultsOf(batch);
    expect(b.judge.stats.tokens).toEqual(a.judge.stats.tokens);
    expect(b.summary.costUsd / a.summary.costUsd).toBeCloseTo(0.5, 6);
    const ratio = Number(batch.outputs['cost-usd']) / Number(realtime.outputs['cost-usd']);
    expect(Math.abs(ratio - 0.5)).toBeLessThanOrEqual(0.02);
    expect(b.judge.stats).toMatchObject({
      judgingMode: 'batch',
      batch: { batches: 1, requests: 48 },
    });
    expect(b.records.map((r: { cp: { score: number } }) => r.cp.score)).toEqual(
      a.records.map((r: { cp: { score: number } }) => r.cp.score),
    );
    expect(batch.stdout).toMatch(/submitted batch batch_\w+ \(round 1, file 1 of 1\): 48 requests/);
    expect(batch.stdout).toMatch(/judge: batch batch_\w+: completed, 48\/48 completed, 0 failed/);
    expect(batch.stdout).toMatch(/at Batch API prices \(half the realtime price\)/);
    expect(batch.stdout).toMatch(/published as the baseline of "main"/);
    expect(batch.summary).toMatch(/cost: \$0\.\d+ at Batch API prices/);
    expect(batch.summary).toMatch(/Batch API: 1 batch of 48 requests/);
    const metadata = stack.judge.batch.batches.at(-1)!.metadata!;
    expect(metadata).toMatchObject({
      source: 'dreambench-action',
      event: 'schedule',
      judge_model: 'gpt-4o-2024-08-06',
      run: expect.stringMatching(/\/actions\/runs\/8102$/),
    });
    expect(Object.keys(metadata).length).toBeLessThanOrEqual(16);

    stack.finishRun(8102, nightly);
    const pr = await run(8103, pullRequestEvent({ number: 81 }), exampleInputs(pullRequestEvent()));
    expectExit(pr, 0);
    expect(pr.outputs.verdict).toBe('pass');
    expect(pr.outputs['cp-pf-delta']).toBe('0.000');
    const comment = stack.actions.github.state.commentsOf(stack.actions.repository, 81)[0]!.body;
    expect(comment).toMatch(/actions\/runs\/8102/);
  });
});

describe('a batch that outlasts the wait', () => {
  it('publishes nothing and records it; the next run collects that same batch', async () => {
    stack.judge.batch.set({ hold: true });
    const nightly = scheduleEvent();
    const inputs = {
      ...exampleInputs(nightly),
      'judge-batch-wait-minutes': '0.05',
      'artifact-name': 'pending-e2e',
      cache: 'false',
    };
    const before = {
      batches: stack.judge.batch.batches.length,
      calls: stack.judge.requests.length,
    };
    const first = await run(8201, nightly, inputs);
    expectExit(first, 0);
    expect(first.outputs.verdict).toBe('skipped');
    expect(stack.judge.batch.batches.length).toBe(before.batches + 1);
    const batch = stack.judge.batch.batches.at(-1)!;
    expect(stack.judge.batch.status(batch.id)).toBe('in_progress');
    expect(stack.actions.store.artifacts.filter((a) => a.name.startsWith('pending-e2e'))).toEqual(
      [],
    );
    const warning = first.annotations.find(
      (a) => a.level === 'warning' && /Judging is not finished/.test(a.message),
    );
    expect(warning?.message).toContain(batch.id);
    expect(warning?.message).toMatch(/nothing was published \(no baseline is published/);
    expect(first.summary).toMatch(/## DreamBench: judging not finished/);
    expect(first.stdout).toMatch(/Recorded 1 pending batch\(es\) \(batch_\w+\) for the next run/);
    const entry = (prefix: string) =>
      stack.cache!.entries.find((e) => e.finalized && e.key.startsWith(prefix));
    // The record, and the judge-size images in an entry of their own that no run restores.
    expect(entry('dreambench-batch-v1-')).toBeDefined();
    expect(entry('dreambench-batch-images-v1-')).toBeDefined();
    expect(first.stdout).toMatch(
      /pending batches \(judge-size images\): saved dreambench-batch-images-v1-/,
    );

    stack.judge.batch.release(batch.id);
    stack.judge.batch.set({});
    const second = await run(8202, nightly, inputs);
    expectExit(second, 0);
    expect(stack.judge.batch.batches.length).toBe(before.batches + 1); // no second batch
    expect(stack.judge.requests.length).toBe(before.calls);
    expect(second.outputs['samples-scored']).toBe('24');
    expect(second.stdout).toMatch(
      new RegExp(`collecting 1 batch\\(es\\) an earlier run left pending \\(${batch.id}`),
    );
    expect(second.stdout).toMatch(/Recorded that no batch is pending any more/);
    expect(second.stdout).toMatch(/published as the baseline of "main"/);
    expect(resultsOf(second).judge.stats.batch).toMatchObject({ collected: 48, batches: 0 });
    expect(Number(second.outputs['cost-usd'])).toBeGreaterThan(0);
  });

  it('cancels its batch when the job is cancelled, and says so', async () => {
    stack.judge.batch.set({ hold: true });
    const nightly = scheduleEvent();
    let signalled = false;
    const r = await run(
      8301,
      nightly,
      { ...exampleInputs(nightly), 'artifact-name': 'cancel-e2e', cache: 'false' },
      (text, child) => {
        if (!signalled && /judge: batch batch_\w+: in_progress/.test(text)) {
          signalled = true;
          child.kill('SIGTERM');
        }
      },
    );
    if (process.env.E2E_LOG) console.log(r.stdout);
    expect(signalled).toBe(true);
    const batch = stack.judge.batch.batches.at(-1)!;
    expect(['cancelling', 'cancelled']).toContain(stack.judge.batch.status(batch.id));
    expect(r.stdout).toMatch(/Received SIGTERM: stopping/);
    expect(r.stdout).toMatch(
      /cancelled batch batch_\w+ with the job .*OpenAI bills only the requests it completed/,
    );
    expect(r.exitCode).not.toBe(0);
    stack.judge.batch.set({});
  });
});
