import { describe, expect, it } from 'vitest';
import {
  baselineArtifactCandidates,
  baselineArtifactRejection,
  baselineRunRejection,
  workflowFileFromRef,
  type ArtifactLike,
  type RunLike,
} from '../../src/github/baseline-selection.ts';

describe('baselineArtifactRejection', () => {
  const now = new Date('2025-02-01T00:00:00Z');
  const criteria = { name: 'results', branch: 'main', now, excludeRunId: 99 };
  const art = (over: Partial<ArtifactLike> = {}): ArtifactLike => ({
    id: 1,
    name: 'results',
    expired: false,
    created_at: '2025-01-20T00:00:00Z',
    expires_at: '2025-04-01T00:00:00Z',
    workflow_run: { id: 7, repository_id: 42, head_repository_id: 42, head_branch: 'main' },
    ...over,
  });

  it.each<[string, ArtifactLike, string | null]>([
    ['unexpired, same branch, same repository', art(), null],
    ['no expiry date', art({ expires_at: null }), null],
    ['another name', art({ name: 'results-shard-1' }), 'name results-shard-1'],
    ['expired flag', art({ expired: true }), 'expired'],
    [
      'past expires_at though not flagged yet',
      art({ expires_at: '2025-02-01T00:00:00Z' }),
      'expired at 2025-02-01T00:00:00Z',
    ],
    ['no run', art({ workflow_run: null }), 'no workflow run'],
    [
      'the current run',
      art({ workflow_run: { id: 99, repository_id: 42, head_repository_id: 42 } }),
      'current run',
    ],
    [
      'another branch',
      art({
        workflow_run: { id: 7, repository_id: 42, head_repository_id: 42, head_branch: 'dev' },
      }),
      'branch dev',
    ],
    [
      "a fork's same-named branch",
      art({
        workflow_run: { id: 7, repository_id: 42, head_repository_id: 5, head_branch: 'main' },
      }),
      'head repository 5 is not repository 42',
    ],
    // What the artifact does not say is left to the run check.
    ['branch and repositories unknown', art({ workflow_run: { id: 7 } }), null],
  ])('%s', (_label, input, expected) => {
    expect(baselineArtifactRejection(input, criteria)).toBe(expected);
  });

  it('keeps the candidates newest first, ties broken by the larger id', () => {
    const list = [
      art({ id: 1, created_at: '2025-01-01T00:00:00Z' }),
      art({ id: 2, created_at: '2025-01-30T00:00:00Z', expired: true }),
      art({ id: 3, created_at: '2025-01-02T00:00:00Z' }),
      art({ id: 4, created_at: '2025-01-02T00:00:00Z' }),
      art({
        id: 5,
        created_at: '2025-01-31T00:00:00Z',
        workflow_run: { id: 8, repository_id: 42, head_repository_id: 6, head_branch: 'main' },
      }),
    ];
    expect(baselineArtifactCandidates(list, criteria).map((a) => a.id)).toEqual([4, 3, 1]);
  });
});

describe('baselineRunRejection', () => {
  const criteria = {
    repository: 'Octo/Repo',
    branch: 'main',
    workflow: 'bench.yml',
    excludeRunId: 99,
  };
  const run = (over: Partial<RunLike> = {}): RunLike => ({
    id: 1,
    event: 'push',
    status: 'completed',
    conclusion: 'success',
    head_branch: 'main',
    path: '.github/workflows/bench.yml',
    workflow_id: 4242,
    repository: { full_name: 'octo/repo' },
    head_repository: { full_name: 'octo/repo' },
    ...over,
  });

  it.each<[string, RunLike, string | null]>([
    ['push on main, success', run(), null],
    ['schedule', run({ event: 'schedule' }), null],
    ['workflow_dispatch', run({ event: 'workflow_dispatch' }), null],
    ['path with a ref', run({ path: '.github/workflows/bench.yml@refs/heads/main' }), null],
    ['pull_request', run({ event: 'pull_request' }), 'event pull_request'],
    ['pull_request_target', run({ event: 'pull_request_target' }), 'event pull_request_target'],
    ['workflow_run', run({ event: 'workflow_run' }), 'event workflow_run'],
    ['failure', run({ conclusion: 'failure' }), 'conclusion failure'],
    ['cancelled', run({ conclusion: 'cancelled' }), 'conclusion cancelled'],
    ['still running', run({ status: 'in_progress', conclusion: null }), 'status in_progress'],
    ['other branch', run({ head_branch: 'dev' }), 'branch dev'],
    [
      'another workflow with the same artifact name',
      run({ path: '.github/workflows/nightly.yml' }),
      'workflow .github/workflows/nightly.yml',
    ],
    [
      'a workflow file of a similar name',
      run({ path: '.github/workflows/my-bench.yml' }),
      'workflow .github/workflows/my-bench.yml',
    ],
    [
      'fork with same-named branch',
      run({ head_repository: { full_name: 'evil/repo' } }),
      'head repository evil/repo',
    ],
    ['head repository unknown', run({ head_repository: null }), 'head repository undefined'],
    ['the current run', run({ id: 99 }), 'current run'],
  ])('%s', (_label, input, expected) => {
    expect(baselineRunRejection(input, criteria)).toBe(expected);
  });

  it('matches a numeric workflow id against workflow_id', () => {
    const byId = { ...criteria, workflow: 4242 };
    expect(baselineRunRejection(run(), byId)).toBeNull();
    expect(baselineRunRejection(run({ workflow_id: 7 }), byId)).toBe(
      'workflow .github/workflows/bench.yml',
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
