// Pure rules for which earlier run's artifact is the baseline (design.md "Results and baseline"):
// the newest unexpired artifact of the name, from a successful push/schedule/workflow_dispatch run
// of the same workflow on the baseline branch of THIS repository, never a fork's same-named branch.

export const BASELINE_EVENTS: readonly string[] = ['push', 'schedule', 'workflow_dispatch'];

/** The fields of a REST workflow run the rules read. */
export interface RunLike {
  readonly id: number;
  readonly event: string;
  readonly status?: string | null;
  readonly conclusion?: string | null;
  readonly head_branch?: string | null;
  readonly created_at: string;
  readonly repository?: { readonly full_name?: string } | null;
  readonly head_repository?: { readonly full_name?: string } | null;
}

export interface BaselineRunCriteria {
  /** `owner/repo` of the repository running the action. */
  readonly repository: string;
  readonly branch: string;
  /** The current run, which must never be its own baseline. */
  readonly excludeRunId?: number;
}

const sameRepo = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** Why a run is not a baseline candidate, or null when it is one. */
export function baselineRunRejection(run: RunLike, criteria: BaselineRunCriteria): string | null {
  if (run.id === criteria.excludeRunId) return 'current run';
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

/** The candidate runs, newest first (by creation time, then id). */
export function selectBaselineRuns<T extends RunLike>(
  runs: readonly T[],
  criteria: BaselineRunCriteria,
): T[] {
  return runs
    .filter((run) => baselineRunRejection(run, criteria) === null)
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
}

/** The fields of a REST artifact the rules read. */
export interface ArtifactLike {
  readonly id: number;
  readonly name: string;
  readonly expired: boolean;
  readonly created_at?: string | null;
  readonly expires_at?: string | null;
  readonly workflow_run?: { readonly id?: number } | null;
}

/** The newest unexpired artifact named `name` that belongs to run `runId`, if any. */
export function pickBaselineArtifact<T extends ArtifactLike>(
  artifacts: readonly T[],
  wanted: { name: string; runId: number; now: Date },
): T | undefined {
  const now = wanted.now.getTime();
  return artifacts
    .filter((a) => a.name === wanted.name && !a.expired)
    .filter((a) => !a.expires_at || Date.parse(a.expires_at) > now)
    .filter((a) => a.workflow_run?.id === undefined || a.workflow_run.id === wanted.runId)
    .sort(
      (a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? '') || b.id - a.id,
    )[0];
}

/**
 * The workflow file name the REST API accepts as `workflow_id`, from GITHUB_WORKFLOW_REF
 * (`owner/repo/.github/workflows/bench.yml@refs/heads/main` → `bench.yml`).
 */
export function workflowFileFromRef(workflowRef: string): string {
  const match = /\/\.github\/workflows\/([^/@]+)@/.exec(workflowRef);
  if (!match?.[1]) {
    throw new Error(
      `GITHUB_WORKFLOW_REF ${JSON.stringify(workflowRef)} is not "<owner>/<repo>/.github/workflows/<file>@<ref>"`,
    );
  }
  return match[1];
}
