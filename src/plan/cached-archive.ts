// Downloads a zip archive through @actions/tool-cache, extracts it with our own checks
// (zip-extract.ts) and caches the folder with tc.cacheDir under the archive's commit, so a
// self-hosted runner, which keeps its tool cache, never serves a moving revision's old content:
// - the key is the commit: the caller resolves a branch or tag first; an archive it cannot pin to
//   a commit is downloaded every run and never cached;
// - only an archive the caller's `validate` accepted is cached;
// - the cached folder carries a record (the archive's sha256, every file's size and sha256); a hit
//   whose files no longer match it (one changed, missing or added), or that no longer validates, is
//   removed and downloaded again.
//
// Cache versions: tool-cache wants semver. A commit maps to `0.0.0-<commit>.h<hash>`, the hash (8
// hex of sha256(source URL)) keeping different endpoints apart.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tc from '@actions/tool-cache';
import { sha256File } from './content-hash.ts';
import { ArchiveContentError, DatasetArchiveError } from './errors.ts';
import { listFiles } from './folder-walk.ts';
import { extractZip } from './zip-extract.ts';

/** The cache entries are data, not binaries: one arch for all machines. */
const CACHE_ARCH = 'any';
/** Hidden, so folder walks of the dataset never see it. */
const RECORD_FILE = '.dreambench-archive.json';

export function cacheVersionOf(commit: string, sourceUrl: string): string {
  const slug = commit.replace(/[^0-9A-Za-z-]/g, '-').replace(/^-+|-+$/g, '') || 'rev';
  const hash = createHash('sha256').update(sourceUrl).digest('hex').slice(0, 8);
  return `0.0.0-${slug}.h${hash}`;
}

export interface CachedArchiveRequest<T> {
  /** The dataset as the user named it (`dreambench-plus`), for messages. */
  readonly dataset: string;
  readonly tool: string;
  /** The commit the URL serves: the cache key. Undefined: downloaded every run, never cached. */
  readonly commit: string | undefined;
  readonly url: string;
  /** Full Authorization header value, e.g. `Bearer hf_…`; never logged. */
  readonly authorization?: string;
  readonly maxBytes: number;
  /** Turns a download failure into the caller's named error (404, 401, …). */
  readonly mapError: (error: unknown) => Error;
  /** Reads the extracted folder; throws when it is no usable dataset. */
  readonly validate: (dir: string) => Promise<T>;
  readonly onWarning?: (message: string) => void;
}

export interface CachedArchive<T> {
  readonly dir: string;
  readonly sha256: string;
  readonly cacheHit: boolean;
  /** What `validate` read from `dir`. */
  readonly content: T;
}

interface ArchiveRecord {
  readonly archiveSha256: string;
  /** Relative path -> [size, sha256]. */
  readonly files: Readonly<Record<string, readonly [number, string]>>;
}

export async function fetchCachedArchive<T>(
  request: CachedArchiveRequest<T>,
): Promise<CachedArchive<T>> {
  if (request.commit !== undefined) {
    const hit = await fromCache(request, request.commit);
    if (hit) return hit;
  }
  let archive: string;
  try {
    archive = await tc.downloadTool(request.url, undefined, request.authorization);
  } catch (error) {
    throw request.mapError(error);
  }
  const extracted = path.join(process.env.RUNNER_TEMP || os.tmpdir(), randomUUID());
  const cached = request.commit !== undefined;
  try {
    await mkdir(extracted, { recursive: true });
    await extractChecked(request, archive, extracted);
    const content = await request.validate(extracted);
    const record = await recordOf(archive, extracted);
    await writeFile(path.join(extracted, RECORD_FILE), `${JSON.stringify(record)}\n`);
    if (!cached) return { dir: extracted, sha256: record.archiveSha256, cacheHit: false, content };
    const version = cacheVersionOf(request.commit!, request.url);
    const dir = await tc.cacheDir(extracted, request.tool, version, CACHE_ARCH);
    // Paths in `content` must point into the cached copy, not the folder removed below.
    return {
      dir,
      sha256: record.archiveSha256,
      cacheHit: false,
      content: await request.validate(dir),
    };
  } catch (error) {
    await rm(extracted, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(archive, { force: true });
    if (cached) await rm(extracted, { recursive: true, force: true });
  }
}

async function extractChecked<T>(request: CachedArchiveRequest<T>, archive: string, dest: string) {
  try {
    await extractZip(archive, dest, request.maxBytes, request.url);
  } catch (error) {
    if (!(error instanceof ArchiveContentError)) throw error;
    throw new DatasetArchiveError(request.dataset, request.url, await whatCameBack(archive, error));
  }
}

/** A cache hit that is still what was cached; a damaged one is removed (and said) first. */
async function fromCache<T>(
  request: CachedArchiveRequest<T>,
  commit: string,
): Promise<CachedArchive<T> | undefined> {
  const dir = tc.find(request.tool, cacheVersionOf(commit, request.url), CACHE_ARCH);
  if (!dir) return undefined;
  const record = await readRecord(dir);
  let problem =
    record === undefined
      ? `${RECORD_FILE} is missing or unreadable: damaged, or cached by an earlier version`
      : await damageIn(dir, record);
  if (problem === undefined) {
    try {
      return {
        dir,
        sha256: record!.archiveSha256,
        cacheHit: true,
        content: await request.validate(dir),
      };
    } catch (error) {
      problem = `it no longer passes the checks: ${(error as Error).message}`;
    }
  }
  request.onWarning?.(
    `The cached dataset ${request.dataset} at commit ${commit} is damaged (${problem}): downloading it again`,
  );
  await rm(dir, { recursive: true, force: true });
  await rm(`${dir}.complete`, { force: true }); // tool-cache's marker beside the folder
  return undefined;
}

async function recordOf(archive: string, dir: string): Promise<ArchiveRecord> {
  const files: Record<string, [number, string]> = {};
  for (const rel of await listFiles(dir)) {
    const file = path.join(dir, rel);
    files[rel] = [(await stat(file)).size, await sha256File(file)];
  }
  return { archiveSha256: await sha256File(archive), files };
}

async function readRecord(dir: string): Promise<ArchiveRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(path.join(dir, RECORD_FILE), 'utf8')) as ArchiveRecord;
    return typeof record.archiveSha256 === 'string' && record.files ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first way the folder differs from its record, or undefined. A file the archive did not hold
 * counts too: the layout reader would take it (a concept more) under the archive's sha256.
 */
async function damageIn(dir: string, record: ArchiveRecord): Promise<string | undefined> {
  const present = await listFiles(dir);
  const added = present.find((rel) => !Object.hasOwn(record.files, rel));
  if (added !== undefined) return `${added} is not in the archive`;
  const found = new Set(present);
  for (const [rel, [size, sha256]] of Object.entries(record.files)) {
    if (!found.has(rel)) return `${rel} is missing`;
    const file = path.join(dir, rel);
    if ((await stat(file)).size !== size || (await sha256File(file)) !== sha256)
      return `${rel} changed`;
  }
  return undefined;
}

/** What a download that is no usable zip holds, in words: its size and how it begins. */
async function whatCameBack(file: string, error: ArchiveContentError): Promise<string> {
  const { size } = await stat(file);
  if (error.problem === 'holds no files') return `a zip archive with no files (${size} bytes)`;
  if (!error.problem.startsWith('is not a zip archive')) return `an archive that ${error.problem}`;
  const handle = await open(file, 'r');
  const head = Buffer.alloc(Math.min(size, 80));
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const text = head.toString('latin1');
  const shown = /^[\x20-\x7e\t\r\n]*$/.test(text)
    ? JSON.stringify(text.replace(/\s+/g, ' ').trim())
    : `with the bytes ${head.subarray(0, 8).toString('hex')}`;
  return `${size} bytes that are not a zip archive, beginning ${shown}`;
}
