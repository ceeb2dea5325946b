// Realistic webhook payloads for GITHUB_EVENT_PATH, trimmed to the fields the runner and
// @actions/github's context read (plus enough around them to look like the real thing).

import { DEFAULT_REPO } from './servers/github.ts';

const [owner, name] = DEFAULT_REPO.split('/') as [string, string];
export const REPO = { owner, name } as const;
export const FULL_NAME = DEFAULT_REPO;
export const DEFAULT_BRANCH = 'main';

export interface GithubEvent {
  readonly name: string;
  /** `GITHUB_REF` for this event. */
  readonly ref: string;
  readonly sha: string;
  readonly payload: Record<string, unknown>;
  /** Extra runner variables this event sets (GITHUB_HEAD_REF, GITHUB_BASE_REF). */
  readonly env: Record<string, string>;
}

function repository(fullName = FULL_NAME, fork = false): Record<string, unknown> {
  const [owner, name] = fullName.split('/');
  return {
    id: fork ? 902 : 901,
    name,
    full_name: fullName,
    private: false,
    fork,
    owner: { login: owner, id: fork ? 77 : 42, type: fork ? 'User' : 'Organization' },
    html_url: `https://github.com/${fullName}`,
    default_branch: DEFAULT_BRANCH,
    master_branch: DEFAULT_BRANCH,
  };
}

const SENDER = { login: 'octocat', id: 583231, type: 'User' };

export function pullRequestEvent(
  opts: { number?: number; fork?: boolean; baseRef?: string; headSha?: string } = {},
): GithubEvent {
  const number = opts.number ?? 7;
  const baseRef = opts.baseRef ?? DEFAULT_BRANCH;
  const headSha = opts.headSha ?? 'a'.repeat(40);
  const headRepo = opts.fork ? repository(`contributor/${REPO.name}`, true) : repository();
  return {
    name: 'pull_request',
    ref: `refs/pull/${number}/merge`,
    sha: 'f'.repeat(40),
    env: { GITHUB_HEAD_REF: 'feature/better-lora', GITHUB_BASE_REF: baseRef },
    payload: {
      action: 'synchronize',
      number,
      pull_request: {
        id: 1000 + number,
        number,
        state: 'open',
        title: 'Train the LoRA for longer',
        html_url: `https://github.com/${FULL_NAME}/pull/${number}`,
        user: SENDER,
        head: {
          label: 'octocat:feature/better-lora',
          ref: 'feature/better-lora',
          sha: headSha,
          repo: headRepo,
        },
        base: {
          label: `${REPO.owner}:${baseRef}`,
          ref: baseRef,
          sha: 'b'.repeat(40),
          repo: repository(),
        },
      },
      repository: repository(),
      sender: SENDER,
    },
  };
}

export function pushEvent(branch = DEFAULT_BRANCH): GithubEvent {
  const after = 'c'.repeat(40);
  return {
    name: 'push',
    ref: `refs/heads/${branch}`,
    sha: after,
    env: {},
    payload: {
      ref: `refs/heads/${branch}`,
      before: 'd'.repeat(40),
      after,
      created: false,
      deleted: false,
      forced: false,
      head_commit: {
        id: after,
        message: 'Nightly model update',
        timestamp: '2026-11-25T03:00:00Z',
      },
      pusher: { name: 'octocat', email: 'octocat@example.com' },
      repository: repository(),
      sender: SENDER,
    },
  };
}

export function scheduleEvent(): GithubEvent {
  return {
    name: 'schedule',
    ref: `refs/heads/${DEFAULT_BRANCH}`,
    sha: 'e'.repeat(40),
    env: {},
    payload: {
      schedule: '17 3 * * *',
      repository: repository(),
      workflow: '.github/workflows/dreambench.yml',
    },
  };
}

export function workflowDispatchEvent(): GithubEvent {
  return {
    name: 'workflow_dispatch',
    ref: `refs/heads/${DEFAULT_BRANCH}`,
    sha: 'e'.repeat(40),
    env: {},
    payload: {
      inputs: {},
      ref: `refs/heads/${DEFAULT_BRANCH}`,
      repository: repository(),
      sender: SENDER,
      workflow: '.github/workflows/dreambench.yml',
    },
  };
}

export function issueCommentEvent(): GithubEvent {
  return {
    name: 'issue_comment',
    ref: `refs/heads/${DEFAULT_BRANCH}`,
    sha: 'e'.repeat(40),
    env: {},
    payload: {
      action: 'created',
      issue: {
        number: 7,
        pull_request: { url: `https://api.github.com/repos/${FULL_NAME}/pulls/7` },
      },
      comment: { id: 1, body: '/dreambench' },
      repository: repository(),
      sender: SENDER,
    },
  };
}

/** The second workflow of the fork pattern: triggered when the untrusted PR workflow finished. */
export function workflowRunEvent(opts: { fork?: boolean; prNumber?: number } = {}): GithubEvent {
  const headRepo = opts.fork ? repository(`contributor/${REPO.name}`, true) : repository();
  return {
    name: 'workflow_run',
    ref: `refs/heads/${DEFAULT_BRANCH}`,
    sha: 'e'.repeat(40),
    env: {},
    payload: {
      action: 'completed',
      workflow_run: {
        id: 555,
        name: 'DreamBench images',
        event: 'pull_request',
        status: 'completed',
        conclusion: 'success',
        head_branch: 'feature/better-lora',
        head_sha: 'a'.repeat(40),
        head_repository: headRepo,
        // GitHub lists the PR only when it comes from the same repository.
        pull_requests:
          opts.fork || opts.prNumber === undefined
            ? []
            : [{ number: opts.prNumber, base: { ref: DEFAULT_BRANCH, sha: 'b'.repeat(40) } }],
      },
      repository: repository(),
      sender: SENDER,
    },
  };
}
