// Artifact edge: upload this run's results folder, and find + download the baseline's.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DefaultArtifactClient, type ArtifactClient } from '@actions/artifact';
import type { Octokit } from './comment.ts';
import { BaselineDigestMismatchError } from './errors.ts';
import { pickBaselineArtifact, selectBaselineRuns } from './baseline-selection.ts';
import { Permission, withPermission } from './permissions.ts';

export interface UploadResultsOptions {
  name: string;
  /** Folder whose files (recursively) become the artifact, paths kept relative to it. */
  dir: string;
  retentionDays?: number;
  client?: ArtifactClient;
}

export interface UploadedArtifact {
  id: number;
  size: number;
  digest: string | undefined;
  /** Relative paths uploaded, sorted. */
  files: string[];
}

export async function uploadResults(options: UploadResultsOptions): Promise<UploadedArtifact> {
  const client = options.client ?? new DefaultArtifactClient();
  const entries = await readdir(options.dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  const result = await client.uploadArtifact(options.name, files, options.dir, {
    ...(options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {}),
  });
  if (result.id === undefined) throw new Error(`Artifact "${options.name}" upload returned no id`);
  return {
    id: result.id,
    size: result.size ?? 0,
    digest: result.digest,
    files: files.map((f) => path.relative(options.dir, f)),
  };
}

export interface FindBaselineOptions {
  octokit: Octokit;
  /** Token for the download (the artifact client builds its own Octokit from GITHUB_API_URL). */
  token: string;
  owner: string;
  repo: string;
  /** Workflow file name (`bench.yml`, see workflowFileFromRef) or numeric workflow id. */
  workflow: string | number;
  branch: string;
  artifactName: string;
  /** Empty or missing folder to extract the baseline into. */
  downloadDir: string;
  now: Date;
  /** The current run, never its own baseline. */
  currentRunId?: number;
  /** How many successful runs of the branch to look through (newest first). Default 300. */
  maxRuns?: number;
  client?: ArtifactClient;
}

export interface BaselineRun {
  id: number;
  runNumber: number;
  event: string;
  headBranch: string;
  headSha: string;
  createdAt: string;
  htmlUrl: string;
}

export interface Baseline {
  dir: string;
  run: BaselineRun;
  artifact: { id: number; name: string; sizeInBytes: number; createdAt: string | null };
}

/** The baseline artifact downloaded into `downloadDir`, or null when there is none. */
export async function findBaseline(options: FindBaselineOptions): Promise<Baseline | null> {
  const { octokit, owner, repo } = options;
  const ctx = (operation: string) => ({
    operation,
    target: `${owner}/${repo}`,
    permission: Permission.Actions,
  });
  const criteria = {
    repository: `${owner}/${repo}`,
    branch: options.branch,
    excludeRunId: options.currentRunId,
  };
  const maxRuns = options.maxRuns ?? 300;
  let scanned = 0;
  const pages = octokit.paginate.iterator(octokit.rest.actions.listWorkflowRuns, {
    owner,
    repo,
    workflow_id: options.workflow,
    branch: options.branch,
    status: 'success',
    per_page: 100,
  });
  const iterator = pages[Symbol.asyncIterator]();
  while (scanned < maxRuns) {
    const page = await withPermission(ctx('list workflow runs'), () => nextPage(iterator));
    if (!page) return null; // also: unknown workflow (404) means no earlier run
    scanned += page.length;
    for (const run of selectBaselineRuns(page, criteria)) {
      const { data } = await withPermission(ctx('list run artifacts'), () =>
        octokit.rest.actions.listWorkflowRunArtifacts({
          owner,
          repo,
          run_id: run.id,
          name: options.artifactName,
          per_page: 100,
        }),
      );
      const artifact = pickBaselineArtifact(data.artifacts, {
        name: options.artifactName,
        runId: run.id,
        now: options.now,
      });
      if (!artifact) continue;
      await download(options, artifact.id, run.id, artifact.digest ?? undefined);
      return toBaseline(options.downloadDir, run, artifact);
    }
  }
  return null;
}

type RunsPage = Awaited<
  ReturnType<Octokit['rest']['actions']['listWorkflowRuns']>
>['data']['workflow_runs'];
type RestRun = RunsPage[number];
type RestArtifact = Awaited<
  ReturnType<Octokit['rest']['actions']['listWorkflowRunArtifacts']>
>['data']['artifacts'][number];

function toBaseline(dir: string, run: RestRun, artifact: RestArtifact): Baseline {
  return {
    dir,
    run: {
      id: run.id,
      runNumber: run.run_number,
      event: run.event,
      headBranch: run.head_branch ?? '',
      headSha: run.head_sha,
      createdAt: run.created_at,
      htmlUrl: run.html_url,
    },
    artifact: {
      id: artifact.id,
      name: artifact.name,
      sizeInBytes: artifact.size_in_bytes,
      createdAt: artifact.created_at ?? null,
    },
  };
}

async function nextPage(iterator: AsyncIterator<{ data: unknown }>): Promise<RunsPage | null> {
  try {
    const step = await iterator.next();
    // paginate.iterator normalises namespaced responses: `data` is the runs array itself.
    return step.done ? null : (step.value.data as RunsPage);
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
}

async function download(
  options: FindBaselineOptions,
  artifactId: number,
  runId: number,
  digest: string | undefined,
): Promise<void> {
  const client = options.client ?? new DefaultArtifactClient();
  const result = await withPermission(
    {
      operation: 'download artifact',
      target: `${options.owner}/${options.repo}`,
      permission: Permission.Actions,
    },
    () =>
      client.downloadArtifact(artifactId, {
        path: options.downloadDir,
        ...(digest ? { expectedHash: digest } : {}),
        findBy: {
          token: options.token,
          workflowRunId: runId,
          repositoryOwner: options.owner,
          repositoryName: options.repo,
        },
      }),
  );
  if (result.digestMismatch && digest) throw new BaselineDigestMismatchError(artifactId, digest);
}
