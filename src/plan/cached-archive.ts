// Downloads a zip archive through @actions/tool-cache, extracts it with our own checks
// (zip-extract.ts), and caches the folder with tc.cacheDir, keyed by (tool, cache version). A later
// run on the same runner finds it with tc.find and makes no request. The archive's sha256 is stored
// inside the cached folder so a cache hit still knows it.
//
// Cache versions: tool-cache wants semver. A revision maps to `0.0.0-<slug>.h<hash>`: the slug keeps
// the revision readable (every char outside [0-9A-Za-z-] becomes '-'), and the hash (8 hex of
// sha256(source URL)) keeps revisions that slug alike, and different endpoints, apart.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tc from '@actions/tool-cache';
import { sha256File } from './content-hash.ts';
import { ArchiveContentError, DatasetArchiveError } from './errors.ts';
import { extractZip } from './zip-extract.ts';

/** The cache entries are data, not binaries: one arch for all machines. */
const CACHE_ARCH = 'any';
const SHA_FILE = '.dreambench-archive.sha256';

export function cacheVersionOf(revision: string, sourceUrl: string): string {
  const slug = revision.replace(/[^0-9A-Za-z-]/g, '-').replace(/^-+|-+$/g, '') || 'rev';
  const hash = createHash('sha256').update(sourceUrl).digest('hex').slice(0, 8);
  return `0.0.0-${slug}.h${hash}`;
}

export interface CachedArchiveRequest {
  /** The dataset as the user named it (`dreambench-plus`), for error messages. */
  readonly dataset: string;
  readonly tool: string;
  readonly revision: string;
  readonly url: string;
  /** Full Authorization header value, e.g. `Bearer hf_…`; never logged. */
  readonly authorization?: string;
  readonly maxBytes: number;
  /** Turns a download failure into the caller's named error (404, 401, …). */
  readonly mapError: (error: unknown) => Error;
}

export interface CachedArchive {
  readonly dir: string;
  readonly sha256: string;
  readonly cacheHit: boolean;
}

export async function fetchCachedArchive(request: CachedArchiveRequest): Promise<CachedArchive> {
  const version = cacheVersionOf(request.revision, request.url);
  const hit = tc.find(request.tool, version, CACHE_ARCH);
  if (hit && existsSync(path.join(hit, SHA_FILE))) {
    return {
      dir: hit,
      sha256: (await readFile(path.join(hit, SHA_FILE), 'utf8')).trim(),
      cacheHit: true,
    };
  }
  let archive: string;
  try {
    archive = await tc.downloadTool(request.url, undefined, request.authorization);
  } catch (error) {
    throw request.mapError(error);
  }
  const extracted = path.join(process.env.RUNNER_TEMP || os.tmpdir(), randomUUID());
  try {
    await mkdir(extracted, { recursive: true });
    await extractZip(archive, extracted, request.maxBytes, request.url).catch(
      async (error: unknown) => {
        if (!(error instanceof ArchiveContentError)) throw error;
        throw new DatasetArchiveError(
          request.dataset,
          request.url,
          await whatCameBack(archive, error),
        );
      },
    );
    const sha256 = await sha256File(archive);
    await writeFile(path.join(extracted, SHA_FILE), `${sha256}\n`);
    const dir = await tc.cacheDir(extracted, request.tool, version, CACHE_ARCH);
    return { dir, sha256, cacheHit: false };
  } finally {
    await rm(archive, { force: true });
    await rm(extracted, { recursive: true, force: true });
  }
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
