// One entry point for every dataset: `dreambench-plus` (hub download), `dreambench` (the original
// DreamBooth set, GitHub archive download) or a local folder.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { HTTPError } from '@actions/tool-cache';
import { DEFAULT_HF_ENDPOINT, HF_DATASET_FILE, HF_DATASET_REPO } from '../constants.ts';
import type { Benchmark } from '../types.ts';
import { fetchCachedArchive } from './cached-archive.ts';
import { COMMIT_SHA, resolveHubRevision } from './hub-revision.ts';
import { sha256Folder } from './content-hash.ts';
import { findDreamBoothRoot, PROMPTS_FILE, readDreamBoothFolder } from './dreambooth.ts';
import { readLayout } from './dreambench-plus-layout.ts';
import {
  DatasetAuthError,
  DatasetDownloadError,
  DatasetFormatError,
  DatasetRevisionNotFoundError,
  UnknownDatasetError,
} from './errors.ts';
import { DEFAULT_MAX_ARCHIVE_BYTES } from './zip-guard.ts';

export const DREAMBOOTH_REPO = 'google/dreambooth';
/** google/dreambooth commit holding `dataset/` (30 subjects); `main` resolves to it. */
export const DREAMBOOTH_PINNED_COMMIT = 'e9b8c013ef2e30ab3d5d9018808513e9093e3bc4';
export const DEFAULT_GITHUB_BASE_URL = 'https://github.com';

export interface LoadBenchmarkOptions {
  /** `dreambench-plus`, `dreambench`, or a folder (relative to `workspace`). */
  readonly dataset: string;
  /** Hub revision (`dataset-revision`); for `dreambench`, a google/dreambooth ref (`main`: the pinned commit). */
  readonly revision: string;
  /** Default `https://huggingface.co` (the caller passes `HF_ENDPOINT`). */
  readonly hfEndpoint?: string;
  readonly hfToken?: string;
  /** Default `https://github.com`; the `dreambench` archive is `<base>/google/dreambooth/archive/<ref>.zip`. */
  readonly githubBaseUrl?: string;
  readonly maxArchiveBytes?: number;
  /** Base of a relative local folder; default process.cwd(). */
  readonly workspace?: string;
  /** Told when a cached dataset was damaged and is downloaded again. */
  readonly onWarning?: (message: string) => void;
}

export async function loadBenchmark(options: LoadBenchmarkOptions): Promise<Benchmark> {
  if (options.dataset === 'dreambench-plus') return loadDreamBenchPlus(options);
  if (options.dataset === 'dreambench') return loadDreamBenchPreset(options);
  const folder = path.resolve(options.workspace ?? process.cwd(), options.dataset);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new UnknownDatasetError(options.dataset);
  return loadLocalFolder(folder);
}

export async function loadDreamBenchPlus(options: LoadBenchmarkOptions): Promise<Benchmark> {
  const endpoint = (options.hfEndpoint || DEFAULT_HF_ENDPOINT).replace(/\/+$/, '');
  const revision = options.revision || 'main';
  // A branch or tag moves: one cheap request a run says which commit it is now.
  const commit = await resolveHubRevision({
    endpoint,
    repo: HF_DATASET_REPO,
    revision,
    token: options.hfToken,
  });
  const url = `${endpoint}/datasets/${HF_DATASET_REPO}/resolve/${commit}/${HF_DATASET_FILE}`;
  const archive = await fetchCachedArchive({
    dataset: 'dreambench-plus',
    tool: 'dreambench-plus',
    commit,
    url,
    authorization: options.hfToken ? `Bearer ${options.hfToken}` : undefined,
    maxBytes: options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES,
    validate: readLayout,
    onWarning: options.onWarning,
    mapError: (error) =>
      mapHttpError(error, {
        url,
        endpoint,
        revision,
        repo: HF_DATASET_REPO,
        tokenSet: !!options.hfToken,
      }),
  });
  return {
    name: 'dreambench-plus',
    revision,
    sha256: archive.sha256,
    concepts: archive.content.concepts,
  };
}

export async function loadDreamBenchPreset(options: LoadBenchmarkOptions): Promise<Benchmark> {
  const base = (options.githubBaseUrl || DEFAULT_GITHUB_BASE_URL).replace(/\/+$/, '');
  const ref =
    !options.revision || options.revision === 'main' ? DREAMBOOTH_PINNED_COMMIT : options.revision;
  const url = `${base}/${DREAMBOOTH_REPO}/archive/${encodeURIComponent(ref)}.zip`;
  const archive = await fetchCachedArchive({
    dataset: 'dreambench',
    tool: 'dreambench',
    // Only a commit is cached: a branch or tag of google/dreambooth is downloaded every run.
    commit: COMMIT_SHA.test(ref) ? ref : undefined,
    url,
    maxBytes: options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES,
    validate: async (dir) => {
      const root = await findDreamBoothRoot(dir);
      if (!root) throw new DatasetFormatError(url, `archive holds no dataset/${PROMPTS_FILE}`);
      return readDreamBoothFolder(root);
    },
    onWarning: options.onWarning,
    mapError: (error) =>
      mapHttpError(error, {
        url,
        endpoint: base,
        revision: ref,
        repo: DREAMBOOTH_REPO,
        tokenSet: false,
      }),
  });
  return {
    name: 'dreambench',
    revision: ref,
    sha256: archive.sha256,
    concepts: archive.content.concepts,
  };
}

/** A local folder: the DreamBench++ layout, or a DreamBooth `dataset/` folder. */
export async function loadLocalFolder(folder: string): Promise<Benchmark> {
  if (existsSync(path.join(folder, PROMPTS_FILE))) {
    const { concepts, files } = await readDreamBoothFolder(folder);
    return { name: 'local', revision: '', sha256: await sha256Folder(folder, files), concepts };
  }
  const { base, concepts, files } = await readLayout(folder);
  return { name: 'local', revision: '', sha256: await sha256Folder(base, files), concepts };
}

interface HttpContext {
  readonly url: string;
  readonly endpoint: string;
  readonly revision: string;
  readonly repo: string;
  readonly tokenSet: boolean;
}

function mapHttpError(error: unknown, ctx: HttpContext): Error {
  const status = error instanceof HTTPError ? error.httpStatusCode : undefined;
  if (status === 404) return new DatasetRevisionNotFoundError(ctx.revision, ctx.endpoint, ctx.repo);
  if (status === 401 || status === 403)
    return new DatasetAuthError(status, ctx.endpoint, ctx.tokenSet);
  return new DatasetDownloadError(ctx.url, error);
}
