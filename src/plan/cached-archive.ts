// Downloads a zip archive through @actions/tool-cache, validates it, extracts it and caches the
// folder with tc.cacheDir, keyed by (tool, cache version). A later run on the same runner finds it
// with tc.find and makes no request. The archive's sha256 is stored inside the cached folder so a
// cache hit still knows it.
//
// Cache versions: tool-cache wants semver. A revision maps to `0.0.0-<slug>.h<hash>`: the slug keeps
// the revision readable (every char outside [0-9A-Za-z-] becomes '-'), and the hash (8 hex of
// sha256(source URL)) keeps revisions that slug alike, and different endpoints, apart.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tc from '@actions/tool-cache';
import { sha256File } from './content-hash.ts';
import { inspectZip } from './zip-guard.ts';

/** The cache entries are data, not binaries: one arch for all machines. */
const CACHE_ARCH = 'any';
const SHA_FILE = '.dreambench-archive.sha256';

export function cacheVersionOf(revision: string, sourceUrl: string): string {
  const slug = revision.replace(/[^0-9A-Za-z-]/g, '-').replace(/^-+|-+$/g, '') || 'rev';
  const hash = createHash('sha256').update(sourceUrl).digest('hex').slice(0, 8);
  return `0.0.0-${slug}.h${hash}`;
}

export interface CachedArchiveRequest {
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
  let extracted: string | undefined;
  try {
    await inspectZip(archive, request.maxBytes);
    const sha256 = await sha256File(archive);
    extracted = await tc.extractZip(archive);
    await writeFile(path.join(extracted, SHA_FILE), `${sha256}\n`);
    const dir = await tc.cacheDir(extracted, request.tool, version, CACHE_ARCH);
    return { dir, sha256, cacheHit: false };
  } finally {
    await rm(archive, { force: true });
    if (extracted) await rm(extracted, { recursive: true, force: true });
  }
}
