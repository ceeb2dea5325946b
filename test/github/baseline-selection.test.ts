import { describe, expect, it } from 'vitest';
import {
  baselineRunRejection,
  pickBaselineArtifact,
  selectBaselineRuns,
  workflowFileFromRef,
  type RunLike,
} from '../../src/github/baseline-selection.ts';

const criteria = { repository: 'Octo/Repo', branch: 'main', excludeRunId: 99 };
const run = (over: Partial<RunLike> & { id: number }): RunLike => ({
  event: 'push',
  status: 'completed',
  conclusion: 'success',
  head_branch: 'main',
  created_at: '2025-01-01T00:00:00Z',
  repository: { full_name: 'octo/repo' },
  head_repository: { full_name: 'octo/repo' },
  ...over,
});

describe('baselineRunRejection', () => {
  it.each([
    ['push on main, success', run({ id: 1 }), null],
    ['schedule', run({ id: 1, event: 'schedule' }), null],
    ['workflow_dispatch', run({ id: 1, event: 'workflow_dispatch' }), null],
    ['pull_request', run({ id: 1, event: 'pull_request' }), 'event pull_request'],
    [
      'pull_request_target',
      run({ id: 1, event: 'pull_request_target' }),
      'event pull_request_target',
    ],
    ['failure', run({ id: 1, conclusion: 'failure' }), 'conclusion failure'],
    ['cancelled', run({ id: 1, conclusion: 'cancelled' }), 'conclusion cancelled'],
    [
      'still running',
      run({ id: 1, status: 'in_progress', conclusion: null }),
      'status in_progress',
    ],
    ['other branch', run({ id: 1, head_branch: 'dev' }), 'branch dev'],
    [
      'fork with same-named branch',
      run({ id: 1, head_repository: { full_name: 'evil/repo' } }),
      'head repository evil/repo',
    ],
    ['head repository unknown', run({ id: 1, head_repository: null }), 'head repository undefined'],
    ['the current run', run({ id: 99 }), 'current run'],
  ])('%s', (_label, input, expected) => {
    expect(baselineRunRejection(input, criteria)).toBe(expected);
  });
});

describe('selectBaselineRuns', () => {
  it('keeps only candidates, newest first, ties broken by the larger id', () => {
    const runs = [
      run({ id: 1, created_at: '2025-01-01T00:00:00Z' }),
      run({ id: 2, created_at: '2025-01-03T00:00:00Z', event: 'pull_request' }),
      run({ id: 3, created_at: '2025-01-02T00:00:00Z' }),
      run({ id: 4, created_at: '2025-01-02T00:00:00Z', event: 'schedule' }),
      run({
        id: 5,
        created_at: '2025-01-05T00:00:00Z',
        head_repository: { full_name: 'fork/repo' },
      }),
    ];
    expect(selectBaselineRuns(runs, criteria).map((r) => r.id)).toEqual([4, 3, 1]);
  });
});

describe('pickBaselineArtifact', () => {
  const now = new Date('2025-02-01T00:00:00Z');
  const art = (id: number, over: Record<string, unknown> = {}) => ({
    id,
    name: 'results',
    expired: false,
    created_at: `2025-01-${String(id).padStart(2, '0')}T00:00:00Z`,
    expires_at: '2025-04-01T00:00:00Z',
    workflow_run: { id: 7 },
    ...over,
  });

  it.each([
    ['newest of the name wins', [art(1), art(3), art(2)], 3],
    ['other names are ignored', [art(1), art(3, { name: 'results-shard-1' })], 1],
    ['expired flag excludes', [art(1), art(3, { expired: true })], 1],
    [
      'past expires_at excludes even if not flagged',
      [art(1), art(3, { expires_at: '2025-01-31T00:00:00Z' })],
      1,
    ],
    ['artifact of another run excludes', [art(1), art(3, { workflow_run: { id: 8 } })], 1],
    ['nothing usable', [art(3, { expired: true })], undefined],
  ])('%s', (_label, artifacts, expectedId) => {
    expect(pickBaselineArtifact(artifacts, { name: 'results', runId: 7, now })?.id).toBe(
      expectedId,
    );
  });
});

describe('workflowFileFromRef', () => {
  it('extracts the file name', () => {
    expect(workflowFileFromRef('octo/repo/.github/workflows/bench.yml@refs/pull/3/merge')).toBe(
      'bench.yml',
    );
  });
  it('rejects a ref of another shape, quoting it', () => {
    expect(() => workflowFileFromRef('bench.yml')).toThrow('"bench.yml"');
  });
});
