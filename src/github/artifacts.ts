// Artifact edge: upload this run's results folder (zipped) and its report files (unzipped), and
// find + download the baseline's.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import type { Octokit } from './comment.ts';
import {
  ArtifactNameTakenError,
  BaselineDigestMismatchError,
  BaselineDownloadError,
} from './errors.ts';
import { baselineArtifactCandidates, baselineRunRejection } from './baseline-selection.ts';
import { Permission, withPermission } from './permissions.ts';

export interface UploadResultsOptions {
  name: string;
  /** Folder whose files (recursively) become the artifact, paths kept relative to it. */
  dir: string;
  retentionDays?: number;
}

export interface UploadedArtifact {
  id: number;
  /** The artifact's name (an unzipped one is named after its file). */
  name: string;
  size: number;
  /** Relative paths uploaded, sorted. */
  files: string[];
}

/** The results service refuses a second artifact of a name in one run: 409 "already exists". */
async function guardName<T>(name: string, upload: () => Promise<T>): Promise<T> {
  try {
    return await upload();
  } catch (error) {
    if (/\(409\)/.test((error as Error).message)) throw new ArtifactNameTakenError(name, error);
    throw error;
  }
}

/** Uploads a folder as one zipped artifact. */
export async function uploadResults(options: UploadResultsOptions): Promise<UploadedArtifact> {
  const client = new DefaultArtifactClient();
  const entries = await readdir(options.dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  const result = await guardName(options.name, () =>
    client.uploadArtifact(options.name, files, options.dir, retention(options.retentionDays)),
  );
  if (result.id === undefined) throw new Error(`Artifact "${options.name}" upload returned no id`);
  return {
    id: result.id,
    name: options.name,
    size: result.size ?? 0,
    files: files.map((f) => path.relative(options.dir, f)),
  };
}

/**
 * Uploads one file unzipped (`skipArchive`): GitHub serves it as it is, so a browser opens an
 * HTML page or an image straight from the run's page. The artifact is named after the file.
 */
export async function uploadFile(file: string, retentionDays?: number): Promise<UploadedArtifact> {
  const client = new DefaultArtifactClient();
  const name = path.basename(file);
  const result = await guardName(name, () =>
    client.uploadArtifact(name, [file], path.dirname(file), {
      ...retention(retentionDays),
      skipArchive: true,
    }),
  );
  if (result.id === undefined) throw new Error(`Artifact "${name}" upload returned no id`);
  return { id: result.id, name, size: result.size ?? 0, files: [name] };
}

function retention(days: number | undefined): { retentionDays?: number } {
  return days !== undefined ? { retentionDays: days } : {};
}

export interface FindBaselineOptions {
  octokit: Octokit;
  /** Token for the download (the artifact client builds its own Octokit from GITHUB_API_URL). */
  token: string;
  owner: string;
  repo: string;
  /**
   * The workflow whose runs publish baselines: its file name (`bench.yml`, see
   * workflowFileFromRef) or numeric id. Usually the current workflow; a trusted `workflow_run`
   * workflow (the fork pattern) names the main workflow here to find the baselines it published.
   */
  workflow: string | number;
  branch: string;
  artifactName: string;
  /** Empty or missing folder to extract the baseline into. */
  downloadDir: string;
  now: Date;
  /** The current run, never its own baseline. */
  currentRunId?: number;
  /** How many pages of 100 artifacts of the name (newest first) to look through. Default 3. */
  maxPages?: number;
}

export interface BaselineRun {
  id: number;
  event: string;
  headBranch: string;
  headSha: string;
  createdAt: string;
  htmlUrl: string;
}

export interface Baseline {
  dir: string;
  run: BaselineRun;
  artifact: { id: number };
}

type RestArtifact = Awaited<
  ReturnType<Octokit['rest']['actions']['listArtifactsForRepo']>
>['data']['artifacts'][number];
type RestRun = Awaited<ReturnType<Octokit['rest']['actions']['getWorkflowRun']>>['data'];

/**
 * The baseline artifact downloaded into `downloadDir`, or null when there is none.
 *
 * Lists the repository's artifacts of the name (newest first, 100 a page) rather than the
 * workflow's runs and each run's artifacts: requests grow with the candidates (unexpired, same
 * branch, not a fork), not with the history. Paging does not stop at the first expired artifact:
 * retention is per artifact (`retention-days`, the repository setting, a PR run changing either),
 * so an older artifact can outlive a newer one; `maxPages` bounds the walk instead.
 */
export async function findBaseline(options: FindBaselineOptions): Promise<Baseline | null> {
  const { octokit, owner, repo } = options;
  const ctx = (operation: string) => ({
    operation,
    target: `${owner}/${repo}`,
    permission: Permission.Actions,
  });
  const artifactCriteria = {
    name: options.artifactName,
    branch: options.branch,
    now: options.now,
    excludeRunId: options.currentRunId,
  };
  const runCriteria = {
    repository: `${owner}/${repo}`,
    branch: options.branch,
    workflow: options.workflow,
    excludeRunId: options.currentRunId,
  };
  const pages = octokit.paginate.iterator(octokit.rest.actions.listArtifactsForRepo, {
    owner,
    repo,
    name: options.artifactName,
    per_page: 100,
  });
  const iterator = pages[Symbol.asyncIterator]();
  const checkedRuns = new Set<number>();
  for (let pageNo = 0; pageNo < (options.maxPages ?? 3); pageNo++) {
    const page = await withPermission(ctx('list artifacts'), () => nextPage(iterator));
    if (!page) return null;
    for (const artifact of baselineArtifactCandidates(page, artifactCriteria)) {
      const runId = artifact.workflow_run?.id ?? 0;
      if (checkedRuns.has(runId)) continue; // a re-run's artifact: its run is already judged
      checkedRuns.add(runId);
      const run = await withPermission(ctx('get workflow run'), () => getRun(options, runId));
      if (!run || baselineRunRejection(run, runCriteria) !== null) continue;
      await download(
        options,
        ctx('download artifact'),
        artifact.id,
        run.id,
        artifact.digest ?? undefined,
      );
      return toBaseline(options.downloadDir, run, artifact);
    }
  }
  return null;
}

/** The run, or null when it is gone (deleted runs can leave their artifacts listed briefly). */
async function getRun(options: FindBaselineOptions, runId: number): Promise<RestRun | null> {
  try {
    const { owner, repo } = options;
    return (await options.octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: runId })).data;
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
}

function toBaseline(dir: string, run: RestRun, artifact: RestArtifact): Baseline {
  return {
    dir,
    run: {
      id: run.id,
      event: run.event,
      headBranch: run.head_branch ?? '',
      headSha: run.head_sha,
      createdAt: run.created_at,
      htmlUrl: run.html_url,
    },
    artifact: { id: artifact.id },
  };
}

async function nextPage(
  iterator: AsyncIterator<{ data: unknown }>,
): Promise<RestArtifact[] | null> {
  const step = await iterator.next();
  // paginate.iterator normalises namespaced responses: `data` is the artifacts array itself.
  return step.done ? null : (step.value.data as RestArtifact[]);
}

async function download(
  options: FindBaselineOptions,
  permission: Parameters<typeof withPermission>[0],
  artifactId: number,
  runId: number,
  digest: string | undefined,
): Promise<void> {
  const client = new DefaultArtifactClient();
  const result = await withPermission(permission, () =>
    client
      .downloadArtifact(artifactId, {
        path: options.downloadDir,
        ...(digest ? { expectedHash: digest } : {}),
        findBy: {
          token: options.token,
          workflowRunId: runId,
          repositoryOwner: options.owner,
          repositoryName: options.repo,
        },
      })
      .catch((error: unknown) => {
        // A refused permission stays withPermission's to name; anything else names the artifact.
        if ((error as { status?: unknown }).status === 403) throw error;
        throw new BaselineDownloadError(
          options.artifactName,
          artifactId,
          runId,
          (error as Error).message,
        );
      }),
  );
  if (result.digestMismatch && digest) throw new BaselineDigestMismatchError(artifactId, digest);
}
