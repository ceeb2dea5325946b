// What a runner would hand the action: the runtime token (a JWT whose `scp` claim names the run
// and job for the results service, and whose `ac` claim the cache scopes of the job's ref) and
// the environment variables pointing at our servers.
import { ArtifactStore } from './artifact-store.ts';
import { DEFAULT_REPO, startGitHub, type GitHubServer } from './github.ts';
import { startResultsService, type ResultsService } from './results-service.ts';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** One cache scope of the runtime token's `ac` claim: a ref, and what the job may do there. */
export interface CacheScope {
  readonly Scope: string;
  /** 1 read, 2 write, 3 both. */
  readonly Permission: number;
}

/**
 * The cache scopes of a job on `ref`, as GitHub grants them: its own ref to read and write, then
 * (read only) a pull request's base branch and the default branch. A run never reads the caches
 * of other branches, pull requests or tags ("Restrictions for accessing a cache").
 */
export function cacheScopesOf(
  ref: string,
  baseBranch?: string,
  defaultBranch = 'main',
): CacheScope[] {
  const read = [baseBranch, defaultBranch]
    .filter((b): b is string => b !== undefined && b !== '')
    .map((b) => `refs/heads/${b}`);
  return [ref, ...read]
    .filter((scope, i, all) => all.indexOf(scope) === i)
    .map((Scope, i) => ({ Scope, Permission: i === 0 ? 3 : 1 }));
}

/**
 * An unsigned JWT shaped like the runner's ACTIONS_RUNTIME_TOKEN. `@actions/artifact` only
 * decodes it (never verifies), reading `Actions.Results:<runId>:<jobId>` from `scp`. Using the
 * numeric run id as backend id lets the REST server attribute uploads to that workflow run. The
 * cache service reads `ac` (a JSON list of CacheScope); without it the job's caches are unscoped.
 */
export function makeRuntimeToken(
  runId: number | string,
  jobId = 'job-1',
  cacheScopes?: readonly CacheScope[],
): string {
  const header = base64url({ typ: 'JWT', alg: 'none' });
  const payload = base64url({
    scp: `Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:${runId}:${jobId}`,
    ...(cacheScopes ? { ac: JSON.stringify(cacheScopes) } : {}),
    iss: 'vstoken.actions.githubusercontent.com',
    exp: 4_102_444_800,
  });
  return `${header}.${payload}.`;
}

export interface ActionsEnvOptions {
  github: { url: string };
  results: { url: string };
  runId?: number;
  jobId?: string;
  repository?: string;
  token?: string;
  workspace?: string;
  /** Workflow file the run belongs to; the GitHub server's default workflow unless given. */
  workflowFile?: string;
  /** The job's ref; the runtime token then carries its cache scopes. */
  ref?: string;
  /** A pull request's base branch (`GITHUB_BASE_REF`), whose caches the job may read too. */
  baseRef?: string;
}

/** Environment variables an Actions runner sets, pointed at the loopback servers. */
export function actionsEnv(options: ActionsEnvOptions): Record<string, string> {
  const runId = options.runId ?? 1;
  const repository = options.repository ?? DEFAULT_REPO;
  return {
    GITHUB_API_URL: options.github.url,
    // Not contacted; `@actions/artifact` refuses GHES hosts, so it must look like github.com.
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: repository.split('/')[0] ?? '',
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKFLOW: 'dreambench',
    GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/${options.workflowFile ?? 'dreambench.yml'}@${options.ref ?? 'refs/heads/main'}`,
    GITHUB_TOKEN: options.token ?? 'ghs_loopbacktoken',
    ACTIONS_RESULTS_URL: `${options.results.url}/`,
    ACTIONS_RUNTIME_TOKEN: makeRuntimeToken(
      runId,
      options.jobId,
      options.ref ? cacheScopesOf(options.ref, options.baseRef) : undefined,
    ),
    ...(options.workspace ? { GITHUB_WORKSPACE: options.workspace } : {}),
  };
}

/** Both servers over one artifact store, so what one run uploads a later run can find. */
export async function startActionsStack(options: { repository?: string; token?: string } = {}) {
  const store = new ArtifactStore();
  const repository = options.repository ?? DEFAULT_REPO;
  const github: GitHubServer = await startGitHub({
    store,
    repos: [repository],
    ...(options.token ? { token: options.token } : {}),
  });
  const results: ResultsService = await startResultsService({ store, repository });
  return {
    github,
    results,
    store,
    repository,
    env: (runId = 1, extra: Partial<ActionsEnvOptions> = {}) =>
      actionsEnv({ github, results, runId, repository, ...extra }),
    close: async () => {
      await Promise.all([github.close(), results.close()]);
    },
  };
}
