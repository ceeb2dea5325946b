// Pure rules for which earlier run's artifact is the baseline (design.md "Results and baseline"):
// the newest unexpired artifact of the name, from a successful push/schedule/workflow_dispatch run
// of the same workflow on the baseline branch of THIS repository, never a fork's same-named branch.
// Two stages, so the edge needs few API calls: the repository's artifact list (one request per 100
// artifacts) is narrowed by what each artifact says about its run, and only those candidates'
// runs are fetched to check event, conclusion and workflow.

import { BASELINE_EVENTS } from '../constants.ts';

/** The fields of a REST artifact (`GET /repos/{o}/{r}/actions/artifacts`) the rules read. */
export interface ArtifactLike {
  readonly id: number;
  readonly name: string;
  readonly expired: boolean;
  readonly created_at?: string | null;
  readonly expires_at?: string | null;
  readonly workflow_run?: {
    readonly id?: number;
    readonly repository_id?: number;
    readonly head_repository_id?: number;
    readonly head_branch?: string | null;
  } | null;
}

export interface BaselineArtifactCriteria {
  readonly name: string;
  readonly branch: string;
  readonly now: Date;
  /** The current run, which must never be its own baseline. */
  readonly excludeRunId?: number | undefined;
}

/**
 * Why an artifact cannot be the baseline, or null when its run is worth fetching. What the
 * artifact does not say (a missing id or branch) is left to the run check, which is authoritative.
 */
export function baselineArtifactRejection(
  artifact: ArtifactLike,
  criteria: BaselineArtifactCriteria,
): string | null {
  if (artifact.name !== criteria.name) return `name ${artifact.name}`;
  if (artifact.expired) return 'expired';
  if (artifact.expires_at && Date.parse(artifact.expires_at) <= criteria.now.getTime()) {
    return `expired at ${artifact.expires_at}`;
  }
  const run = artifact.workflow_run;
  if (run?.id === undefined) return 'no workflow run';
  if (run.id === criteria.excludeRunId) return 'current run';
  if (run.head_branch != null && run.head_branch !== criteria.branch) {
    return `branch ${run.head_branch}`;
  }
  if (
    run.head_repository_id !== undefined &&
    run.repository_id !== undefined &&
    run.head_repository_id !== run.repository_id
  ) {
    return `head repository ${run.head_repository_id} is not repository ${run.repository_id}`;
  }
  return null;
}

/** The artifacts whose runs may hold the baseline, newest first (by creation time, then id). */
export function baselineArtifactCandidates<T extends ArtifactLike>(
  artifacts: readonly T[],
  criteria: BaselineArtifactCriteria,
): T[] {
  const time = (a: T) => Date.parse(a.created_at ?? '') || 0;
  return artifacts
    .filter((a) => baselineArtifactRejection(a, criteria) === null)
    .sort((a, b) => time(b) - time(a) || b.id - a.id);
}

/** The fields of a REST workflow run (`GET /repos/{o}/{r}/actions/runs/{id}`) the rules read. */
export interface RunLike {
  readonly id: number;
  readonly event: string;
  readonly status?: string | null;
  readonly conclusion?: string | null;
  readonly head_branch?: string | null;
  /** `.github/workflows/bench.yml` (sometimes with `@ref`). */
  readonly path?: string;
  readonly workflow_id?: number;
  readonly repository?: { readonly full_name?: string } | null;
  readonly head_repository?: { readonly full_name?: string } | null;
}

export interface BaselineRunCriteria {
  /** `owner/repo` of the repository running the action. */
  readonly repository: string;
  readonly branch: string;
  /** The workflow whose runs publish baselines: its file name (`bench.yml`) or numeric id. */
  readonly workflow: string | number;
  /** The current run, which must never be its own baseline. */
  readonly excludeRunId?: number | undefined;
}

const sameRepo = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** `bench.yml` from a run's `path`, `.github/workflows/bench.yml@refs/heads/main`. */
const workflowFileOf = (runPath: string | undefined) =>
  runPath?.split('@')[0]?.split('/').pop() ?? '';

function sameWorkflow(run: RunLike, workflow: string | number): boolean {
  return typeof workflow === 'number'
    ? run.workflow_id === workflow
    : workflowFileOf(run.path) === workflow;
}

/** Why a run is not a baseline run, or null when it is one. */
export function baselineRunRejection(run: RunLike, criteria: BaselineRunCriteria): string | null {
  if (run.id === criteria.excludeRunId) return 'current run';
  if (!sameWorkflow(run, criteria.workflow)) {
    return `workflow ${String(run.path ?? run.workflow_id)}`;
  }
  if (!BASELINE_EVENTS.includes(run.event)) return `event ${run.event}`;
  if (run.status != null && run.status !== 'completed') return `status ${run.status}`;
  if (run.conclusion !== 'success') return `conclusion ${String(run.conclusion)}`;
  if (run.head_branch !== criteria.branch) return `branch ${String(run.head_branch)}`;
  if (!sameRepo(run.head_repository?.full_name, criteria.repository)) {
    return `head repository ${String(run.head_repository?.full_name)}`;
  }
  if (run.repository && !sameRepo(run.repository.full_name, criteria.repository)) {
    return `repository ${String(run.repository.full_name)}`;
  }
  return null;
}

/**
 * The workflow file name the REST API accepts as `workflow_id`, from GITHUB_WORKFLOW_REF
 * (`owner/repo/.github/workflows/bench.yml@refs/heads/main` → `bench.yml`).
 */
export function workflowFileFromRef(workflowRef: string): string {
  const file = workflowFileOfRef(workflowRef);
  if (file === undefined) {
    throw new Error(
      `GITHUB_WORKFLOW_REF ${JSON.stringify(workflowRef)} is not "<owner>/<repo>/.github/workflows/<file>@<ref>"`,
    );
  }
  return file;
}

/** Like workflowFileFromRef, `undefined` where the ref names no workflow file. */
export function workflowFileOfRef(workflowRef: string): string | undefined {
  return /\/\.github\/workflows\/([^/@]+)@/.exec(workflowRef)?.[1];
}
