// Facts about this run that come from the runner's environment and the event payload, read once.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workflowFileOfRef } from '../github/baseline-selection.ts';

export interface RunContext {
  readonly workspace: string;
  /** Scratch space for this job (manifest, images, results). */
  readonly workDir: string;
  readonly eventName: string;
  readonly ref: string;
  readonly sha: string;
  readonly repository: { readonly owner: string; readonly repo: string };
  readonly defaultBranch: string | undefined;
  readonly runId: number;
  readonly runAttempt: number;
  readonly workflow: string;
  /** The workflow file name (`dreambench.yml`), from GITHUB_WORKFLOW_REF. */
  readonly workflowFile: string | undefined;
  readonly serverUrl: string;
  readonly runUrl: string;
  readonly pullRequest: PullRequestFacts | undefined;
  readonly isGitHubActions: boolean;
  /** GITHUB_ACTOR: Dependabot's PRs get no secrets either. */
  readonly actor: string;
}

export interface PullRequestFacts {
  readonly number: number;
  readonly baseRef: string;
  readonly headSha: string;
  /** The PR comes from another repository (a fork): secrets are withheld by GitHub. */
  readonly fromFork: boolean;
  /**
   * Where the number came from. `env` (DREAMBENCH_PR_NUMBER) is set from what an untrusted
   * workflow handed over, so it is checked against the API before anything is written there.
   */
  readonly source: 'event' | 'env';
}

interface Payload {
  repository?: { default_branch?: string; full_name?: string };
  pull_request?: {
    number?: number;
    base?: { ref?: string; repo?: { full_name?: string } };
    head?: { sha?: string; repo?: { full_name?: string; fork?: boolean } | null };
  };
  workflow_run?: {
    head_sha?: string;
    head_repository?: { full_name?: string } | null;
    pull_requests?: { number?: number; base?: { ref?: string } }[];
  };
}

/** The runner's event payload cannot be used: the step cannot know what it runs for. */
export class EventPayloadError extends Error {
  override readonly name = 'EventPayloadError';
  readonly file: string;
  constructor(file: string, problem: string) {
    super(
      `The event file GITHUB_EVENT_PATH (${file}) ${problem}; the runner writes it for every job`,
    );
    this.file = file;
  }
}

/** The event payload; none (no GITHUB_EVENT_PATH: not on a runner) is an empty one. */
function readPayload(file: string | undefined): Payload {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EventPayloadError(file, `cannot be read (${(error as Error).message})`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new EventPayloadError(file, `is not valid JSON (${(error as Error).message})`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    const kind = Array.isArray(payload) ? 'an array' : payload === null ? 'null' : typeof payload;
    throw new EventPayloadError(file, `holds no JSON object (${kind})`);
  }
  return payload as Payload;
}

function pullRequestFacts(p: Payload): PullRequestFacts | undefined {
  const pr = p.pull_request;
  if (!pr?.number) return undefined;
  const base = pr.base?.repo?.full_name ?? p.repository?.full_name;
  const head = pr.head?.repo?.full_name;
  return {
    number: pr.number,
    baseRef: pr.base?.ref ?? '',
    headSha: pr.head?.sha ?? '',
    // A deleted fork has no head repo; treat it as a fork (no secrets either).
    fromFork:
      pr.head?.repo == null || pr.head.repo.fork === true || (head !== undefined && head !== base),
    source: 'event',
  };
}

/**
 * A `workflow_run` job scoring a PR's images (the fork pattern): GitHub lists the PR in the payload
 * only for same-repository PRs, so the first workflow passes the number on and the job sets
 * `DREAMBENCH_PR_NUMBER` (and `DREAMBENCH_PR_BASE` when the base is not the default branch).
 */
function workflowRunPullRequest(p: Payload, env: NodeJS.ProcessEnv): PullRequestFacts | undefined {
  const run = p.workflow_run;
  if (!run) return undefined;
  const listed = run.pull_requests?.[0];
  const number = listed?.number ?? Number(env.DREAMBENCH_PR_NUMBER ?? NaN);
  if (!Number.isInteger(number) || number <= 0) return undefined;
  return {
    number,
    baseRef: listed?.base?.ref ?? env.DREAMBENCH_PR_BASE ?? p.repository?.default_branch ?? '',
    headSha: run.head_sha ?? '',
    fromFork: (run.head_repository?.full_name ?? '') !== (p.repository?.full_name ?? ''),
    source: listed ? 'event' : 'env',
  };
}

/** GitHub withholds secrets from this PR's workflows (a fork, or Dependabot). */
export function withoutSecrets(ctx: RunContext): boolean {
  return ctx.pullRequest?.fromFork === true || ctx.actor === 'dependabot[bot]';
}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const [owner = '', repo = ''] = (
    env.GITHUB_REPOSITORY ??
    payload.repository?.full_name ??
    '/'
  ).split('/');
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
  const runId = Number(env.GITHUB_RUN_ID ?? 0);
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const workflowFile = workflowFileOfRef(env.GITHUB_WORKFLOW_REF ?? '');
  return {
    workspace,
    workDir: path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'dreambench'),
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    repository: { owner, repo },
    defaultBranch: payload.repository?.default_branch,
    runId,
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? 1),
    workflow: env.GITHUB_WORKFLOW ?? '',
    workflowFile,
    serverUrl,
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}`,
    pullRequest: pullRequestFacts(payload) ?? workflowRunPullRequest(payload, env),
    isGitHubActions: env.GITHUB_ACTIONS === 'true',
    actor: env.GITHUB_ACTOR ?? '',
  };
}
