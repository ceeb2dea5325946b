// Loopback GitHub Actions cache service, v2 only: the twirp JSON API `@actions/cache` v6 talks to
// when ACTIONS_CACHE_SERVICE_V2 is set (GetCacheEntryDownloadURL, CreateCacheEntry,
// FinalizeCacheEntryUpload) plus the Azure block-blob endpoint its signed URLs point at.
// The legacy v1 REST API (`_apis/artifactcache/...`, chosen when ACTIONS_CACHE_SERVICE_V2 is
// unset or the server is GHES) is not served. Archives are stored as opaque bytes.
// Entries are scoped as on GitHub: an entry belongs to the ref of the job that saved it (the
// runtime token's write scope), and a lookup searches the token's scopes in order (its own ref,
// then a pull request's base branch, then the default branch), never another branch's entries.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { makeRuntimeToken, type CacheScope } from './actions-env.ts';
import {
  type RecordedRequest,
  azureError,
  listen,
  sendEmpty,
  sendJson,
  str,
  twirpError,
  twirpRoute,
} from './http-util.ts';

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';
/** Emulator-style blob path: the Azure SDK reads the first segment as the account name. */
const BLOB_PREFIX = '/devstoreaccount1/actions-cache/';

export interface CacheEntry {
  readonly id: number;
  readonly key: string;
  /** sha256 of the paths + compression method the library computes; part of the identity. */
  readonly version: string;
  /** The ref whose job saved it ('' for a token without cache scopes). */
  readonly scope: string;
  /** Creation order; restore-key prefix matches prefer the highest (newest). */
  readonly createdAt: Date;
  finalized: boolean;
  sizeBytes: number;
  /** The committed archive (undefined until Put Blob / Put Block List). */
  blob: Buffer | undefined;
  readonly staged: Map<string, Buffer>;
  /** Separate signatures so a download URL cannot be used to write, and vice versa. */
  readonly readSig: string;
  readonly writeSig: string;
}

export interface CacheService {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly entries: CacheEntry[];
  close(): Promise<void>;
}

/**
 * The variables a runner sets for the cache, pointed at `service`. `@actions/cache` reads them at
 * call time, so assigning them to process.env before a save/restore is enough (no re-import).
 */
export function cacheServiceEnv(
  service: { url: string },
  dirs: { runnerTemp: string; workspace: string },
  runId: number | string = 1,
): Record<string, string> {
  return {
    ACTIONS_CACHE_SERVICE_V2: 'true',
    ACTIONS_RESULTS_URL: `${service.url}/`,
    ACTIONS_RUNTIME_TOKEN: makeRuntimeToken(runId),
    // Anything but github.com / *.ghe.com / *.localhost is GHES, which forces the v1 protocol.
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: dirs.runnerTemp,
    GITHUB_WORKSPACE: dirs.workspace,
  };
}

export async function startCacheService(options: { now?: () => Date } = {}): Promise<CacheService> {
  const now = options.now ?? (() => new Date());
  const entries: CacheEntry[] = [];
  let baseUrl = '';
  const server = await listen((req, res) => {
    if (req.pathname.startsWith(BLOB_PREFIX)) return serveBlob(entries, req, res);
    const call = twirpRoute(req, res, TWIRP_PREFIX, methods);
    const scopes = scopesOf(req.headers.authorization);
    call?.handler({ entries, baseUrl, now, body: call.body, scopes }, res);
  });
  baseUrl = server.url;
  return { ...server, entries };
}

interface Ctx {
  entries: CacheEntry[];
  baseUrl: string;
  now: () => Date;
  body: Record<string, unknown>;
  /** The caller's scopes, from its runtime token: the first writable one is where it saves. */
  scopes: readonly CacheScope[];
}

/** The `ac` claim of a bearer runtime token; one unscoped scope when it has none. */
function scopesOf(authorization: string | undefined): CacheScope[] {
  const payload =
    String(authorization ?? '')
      .replace(/^Bearer /, '')
      .split('.')[1] ?? '';
  try {
    const ac = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { ac?: string })
      .ac;
    if (ac) return JSON.parse(ac) as CacheScope[];
  } catch {
    // Not a JWT: unscoped, as below.
  }
  return [{ Scope: '', Permission: 3 }];
}

const methods: Record<string, (ctx: Ctx, res: http.ServerResponse) => void> = {
  GetCacheEntryDownloadURL({ entries, baseUrl, body, scopes }, res) {
    const keys = [str(body.key), ...strings(body.restore_keys)];
    const readable = scopes.filter((s) => s.Permission & 1).map((s) => s.Scope);
    const entry = lookup(entries, keys, str(body.version), readable);
    // A miss is not an error on the wire: 200 with ok=false, which the library turns into undefined.
    if (!entry) return sendJson(res, 200, { ok: false, signed_download_url: '', matched_key: '' });
    sendJson(res, 200, {
      ok: true,
      signed_download_url: blobUrl(baseUrl, entry, 'r', entry.readSig),
      matched_key: entry.key,
    });
  },

  CreateCacheEntry({ entries, baseUrl, now, body, scopes }, res) {
    const key = str(body.key);
    const version = str(body.version);
    if (!key || !version) {
      return twirpError(res, 400, 'invalid_argument', 'key and version are required');
    }
    const scope = scopes.find((s) => s.Permission & 2)?.Scope;
    if (scope === undefined) {
      return twirpError(res, 403, 'permission_denied', 'the token may not write to the cache');
    }
    // GitHub answers a second reservation of the same key+version (even one still uploading)
    // with 409 already_exists; the library reports it as ReserveCacheError and saves nothing.
    if (entries.some((e) => e.key === key && e.version === version && e.scope === scope)) {
      return twirpError(
        res,
        409,
        'already_exists',
        'cache entry with the same key, version, and scope already exists',
      );
    }
    const entry: CacheEntry = {
      id: entries.length + 1,
      key,
      version,
      scope,
      createdAt: now(),
      finalized: false,
      sizeBytes: 0,
      blob: undefined,
      staged: new Map(),
      readSig: randomBytes(8).toString('hex'),
      writeSig: randomBytes(8).toString('hex'),
    };
    entries.push(entry);
    sendJson(res, 200, {
      ok: true,
      signed_upload_url: blobUrl(baseUrl, entry, 'cw', entry.writeSig),
    });
  },

  FinalizeCacheEntryUpload({ entries, body, scopes }, res) {
    const scope = scopes.find((s) => s.Permission & 2)?.Scope;
    const entry = entries.find(
      (e) =>
        e.key === str(body.key) &&
        e.version === str(body.version) &&
        e.scope === scope &&
        !e.finalized,
    );
    if (!entry) return twirpError(res, 404, 'not_found', `no pending entry ${str(body.key)}`);
    if (!entry.blob) return twirpError(res, 400, 'failed_precondition', 'archive was not uploaded');
    const size = Number(body.size_bytes);
    if (size !== entry.blob.length) {
      return twirpError(
        res,
        400,
        'invalid_argument',
        `size_bytes ${String(body.size_bytes)} but ${entry.blob.length} bytes were uploaded`,
      );
    }
    entry.sizeBytes = size;
    entry.finalized = true;
    sendJson(res, 200, { ok: true, entry_id: String(entry.id) });
  },
};

/**
 * Scope by scope (the job's own ref first), and within one per key in order: an exact match, else
 * the newest entry whose key starts with it.
 */
function lookup(
  entries: CacheEntry[],
  keys: string[],
  version: string,
  scopes: readonly string[],
): CacheEntry | undefined {
  for (const scope of scopes) {
    const usable = entries.filter((e) => e.finalized && e.version === version && e.scope === scope);
    for (const key of keys) {
      const exact = usable.findLast((e) => e.key === key);
      if (exact) return exact;
      const prefixed = usable
        .filter((e) => e.key.startsWith(key))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)[0];
      if (prefixed) return prefixed;
    }
  }
  return undefined;
}

function blobUrl(baseUrl: string, entry: CacheEntry, permissions: string, sig: string): string {
  const query = new URLSearchParams({ sv: '2024-11-04', sr: 'b', sp: permissions, sig });
  return `${baseUrl}${BLOB_PREFIX}${entry.id}.tzst?${query.toString()}`;
}

/** The Azure subset used: Put Blob (archives < 128 MiB), Put Block + Put Block List, GET. */
function serveBlob(entries: CacheEntry[], req: RecordedRequest, res: http.ServerResponse): void {
  const id = Number(req.pathname.slice(BLOB_PREFIX.length).split('.')[0]);
  const entry = entries.find((e) => e.id === id);
  if (!entry) return azureError(res, 404, 'BlobNotFound', `no blob ${req.pathname}`);
  const sig = req.query.get('sig');
  const comp = req.query.get('comp');
  if (req.method === 'GET' && comp === null) {
    if (sig !== entry.readSig) return azureError(res, 403, 'AuthenticationFailed', 'bad sig');
    if (!entry.blob) return azureError(res, 404, 'BlobNotFound', 'not committed');
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': entry.blob.length,
    });
    res.end(entry.blob);
    return;
  }
  if (req.method !== 'PUT') return azureError(res, 405, 'UnsupportedHttpVerb', req.method);
  if (sig !== entry.writeSig) return azureError(res, 403, 'AuthenticationFailed', 'bad sig');
  if (entry.finalized) return azureError(res, 409, 'BlobImmutable', 'entry is finalized');
  if (comp === 'block') {
    const blockId = req.query.get('blockid');
    if (!blockId) return azureError(res, 400, 'InvalidQueryParameterValue', 'blockid');
    entry.staged.set(blockId, req.body);
  } else if (comp === 'blocklist') {
    const ids = [...req.text.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)];
    const parts = ids.map((m) => entry.staged.get(m[2] ?? ''));
    if (parts.some((p) => !p)) return azureError(res, 400, 'InvalidBlockList', 'unknown block');
    entry.blob = Buffer.concat(parts as Buffer[]);
    entry.staged.clear();
  } else if (comp === null && req.headers['x-ms-blob-type'] === 'BlockBlob') {
    entry.blob = req.body;
  } else {
    return azureError(res, 400, 'InvalidQueryParameterValue', `comp=${String(comp)}`);
  }
  sendEmpty(res, 201, {
    etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
    'last-modified': new Date(0).toUTCString(),
    'x-ms-request-server-encrypted': 'true',
    'x-ms-version': '2025-01-05',
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(str) : [];
}
