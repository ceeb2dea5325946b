// A token without the permissions the action needs, end to end on dist/index.js: GitHub's 403
// "Resource not accessible by integration" fails the step with the workflow permission to add.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RouteName } from '../harness/servers/github.ts';
import type { RunResult } from '../harness/runner.ts';
import { pullRequestEvent, pushEvent, startStack, type Stack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  const push = pushEvent();
  const base = await stack.run({ runId: 9001, event: push, inputs: { samples: '12' } });
  if (base.exitCode !== 0) console.log(base.stdout, base.stderr);
  expect(base.exitCode).toBe(0);
  stack.finishRun(9001, push);
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => {
  stack.actions.github.state.forbidden.clear();
});

const errorsOf = (r: RunResult) => r.annotations.filter((a) => a.level === 'error');
const hits = (route: RegExp) =>
  stack.actions.github.requests.filter((q) => route.test(q.pathname)).length;

describe('without pull-requests: write', () => {
  it('a pull request run fails naming the permission, after publishing its results', async () => {
    stack.actions.github.state.forbid('createComment');
    const r = await stack.run({
      runId: 9101,
      event: pullRequestEvent({ number: 71 }),
      inputs: { samples: '12' },
    });
    expect(r.exitCode).toBe(1);
    const errors = errorsOf(r);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('"pull-requests: write"');
    expect(errors[0]!.message).toContain('Resource not accessible by integration');
    expect(errors[0]!.message).toMatch(/create comment/);
    expect(stack.actions.github.state.commentsOf(stack.actions.repository, 71)).toHaveLength(0);
    // The scores are not lost: the artifact went up before the comment was refused.
    expect(
      stack.actions.store.artifacts.some(
        (a) => a.runId === 9101 && a.name === 'dreambench-results',
      ),
    ).toBe(true);
  });

  it('a refused comment still leaves the job summary and every output written', async () => {
    stack.actions.github.state.forbid('createComment');
    const r = await stack.run({
      runId: 9104,
      event: pullRequestEvent({ number: 73 }),
      inputs: { samples: '12' },
    });
    expect(r.exitCode).toBe(1);
    expect(errorsOf(r).map((e) => e.message)).toEqual([
      expect.stringContaining('"pull-requests: write"'),
    ]);
    expect(r.summary).toContain('<!-- dreambench-action:default -->');
    expect(r.summary).toMatch(/12 of 12 samples paired/);
    expect(r.outputs.verdict).toBe('pass');
    expect(r.outputs['samples-scored']).toBe('12');
    expect(r.outputs['results-file']).toMatch(/results\.json$/);
    expect(r.outputs['comment-url']).toBe('');
  });

  it('an existing comment that cannot be edited fails the same way', async () => {
    const ok = await stack.run({
      runId: 9102,
      event: pullRequestEvent({ number: 72 }),
      inputs: { samples: '12' },
    });
    expect(ok.exitCode).toBe(0);
    const before = stack.actions.github.state.commentsOf(stack.actions.repository, 72);
    expect(before).toHaveLength(1);
    const body = before[0]!.body;

    stack.actions.github.state.forbid('updateComment');
    const r = await stack.run({
      runId: 9103,
      event: pullRequestEvent({ number: 72 }),
      inputs: { samples: '12' },
    });
    expect(r.exitCode).toBe(1);
    expect(errorsOf(r)[0]!.message).toContain('"pull-requests: write"');
    expect(errorsOf(r)[0]!.message).toMatch(/update comment/);
    expect(stack.actions.github.state.commentsOf(stack.actions.repository, 72)[0]!.body).toBe(body);
  });
});

describe('without actions: read', () => {
  // Each route the baseline lookup needs: the artifacts by name, a candidate's run, the download.
  const routes: Array<[RouteName, RegExp]> = [
    ['listRepoArtifacts', /\/actions\/artifacts$/],
    ['getRun', /\/actions\/runs\/\d+$/],
    ['downloadArtifact', /\/actions\/artifacts\/\d+\/zip$/],
  ];
  it.each(routes)('a refused %s fails the step naming the permission', async (route, path) => {
    stack.actions.github.state.forbid(route);
    const hitsBefore = hits(path);
    const judgedBefore = stack.judge.requests.length;
    const number = 80 + routes.findIndex(([r]) => r === route);
    const r = await stack.run({
      runId: 9200 + number,
      event: pullRequestEvent({ number }),
      inputs: { samples: '12' },
    });
    if (r.exitCode !== 1) console.log(r.stdout, r.stderr);
    expect(r.exitCode).toBe(1);
    expect(hits(path)).toBeGreaterThan(hitsBefore);
    const errors = errorsOf(r);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('"actions: read"');
    expect(errors[0]!.message).toContain('Resource not accessible by integration');
    expect(r.outputs.verdict ?? '').not.toBe('pass');
    // The baseline is looked up before any judge call is paid for.
    expect(stack.judge.requests.length).toBe(judgedBefore);
  });
});
