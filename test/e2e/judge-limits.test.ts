// The judge as real accounts and models meet it, end to end on dist/index.js: an account whose
// token bucket holds a few calls (every sample scored, few 429s, none failed) and a reasoning
// model with gpt-5's parameter rules (scored with `sampled`, as the comment says).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullRequestEvent, startStack, type Stack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('a rate-limited judge account', () => {
  it('scores every sample within the bucket: nothing failed, few 429s', async () => {
    // Room for about six calls of a 512 px sample, refilling six a second.
    stack.judge.set({
      rateLimits: {
        tokens: { capacity: 14_000, refillPerSecond: 14_000 },
        requests: { capacity: 40, refillPerSecond: 20 },
      },
    });
    const r = await stack.run({
      runId: 9101,
      event: pullRequestEvent({ number: 91 }),
      inputs: { 'artifact-name': 'limits-e2e' },
    });
    if (r.exitCode !== 0) console.log(r.stdout, r.stderr);
    expect(r.exitCode).toBe(0);
    expect(r.outputs['samples-scored']).toBe('24');
    expect(r.outputs['samples-failed']).toBe('0');
    const answers = stack.judge.answers;
    const refused = answers.filter((a) => a.status === 429).length;
    expect(refused / answers.length).toBeLessThanOrEqual(0.1);
    const results = JSON.parse(readFileSync(r.outputs['results-file']!, 'utf8'));
    expect(results.failures).toEqual([]);
    expect(results.judge.stats.rateLimited).toBe(refused);
    expect(results.judge.stats.chargedTokens).toBeGreaterThan(0);
  });
});

describe('a reasoning judge (gpt-5 family)', () => {
  it('scores every sample with sampled scoring, and the comment says why', async () => {
    stack.judge.set({ reasoning: { reasoningTokens: 300 } });
    stack.judge.requests.length = 0;
    const r = await stack.run({
      runId: 9102,
      event: pullRequestEvent({ number: 92 }),
      inputs: { 'artifact-name': 'reasoning-e2e', 'judge-model': 'gpt-5-mini' },
    });
    if (r.exitCode !== 0) console.log(r.stdout, r.stderr);
    expect(r.exitCode).toBe(0);
    expect(r.outputs['samples-scored']).toBe('24');
    expect(r.outputs['samples-failed']).toBe('0');
    const results = JSON.parse(readFileSync(r.outputs['results-file']!, 'utf8'));
    expect(results.fingerprint.judgeScoring).toBe('sampled');
    const accepted = stack.judge.requests.filter((q) => q.body.max_completion_tokens);
    expect(accepted.length).toBeGreaterThanOrEqual(48);
    expect(stack.judge.requests.filter((q) => q.body.max_tokens !== undefined)).toHaveLength(1);
    const comment = stack.actions.github.state.commentsOf(stack.actions.repository, 92)[0]!.body;
    expect(comment).toMatch(
      /Scoring: sampled \(expected was asked for, but the judge model refuses log-probabilities/,
    );
    expect(comment).toMatch(
      /Parameters the judge model refuses, left out of its requests: `max_tokens`, `logprobs`/,
    );
  });
});
