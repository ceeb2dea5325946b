// The loopback cache service (v2) exercised through the real @actions/cache: save, then restore
// into a fresh workspace, restore-key prefix matching, misses, duplicate keys; and the Azure
// block-list upload path through the real @azure/storage-blob client.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as cache from '@actions/cache';
import { BlockBlobClient } from '@azure/storage-blob';
import { cacheScopesOf, makeRuntimeToken } from './servers/actions-env.ts';
import { cacheServiceEnv, startCacheService, type CacheService } from './servers/cache-service.ts';
import { watchToolkitLog } from './toolkit-log.ts';

const TWIRP = '/twirp/github.actions.results.api.v1.CacheService/';

describe('loopback cache service with @actions/cache', () => {
  let service: CacheService;
  let tmp: string;
  /** The cached folder, absolute (glob patterns resolve against the process cwd). */
  let dir: string;
  const savedEnv = { ...process.env };

  /** Deletes the folder, as a fresh runner would not have it. */
  async function freshFolder(): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  async function writeFolder(files: Record<string, string | Buffer>): Promise<void> {
    await freshFolder();
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), content);
    }
  }

  beforeAll(async () => {
    service = await startCacheService();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'cache-service-'));
    await mkdir(path.join(tmp, 'runner-temp'));
    await mkdir(path.join(tmp, 'ws'));
    dir = path.join(tmp, 'ws', 'judge');
    delete process.env.ACTIONS_CACHE_URL;
    delete process.env.ACTIONS_CACHE_MODE;
    Object.assign(
      process.env,
      cacheServiceEnv(service, {
        runnerTemp: path.join(tmp, 'runner-temp'),
        workspace: path.join(tmp, 'ws'),
      }),
    );
  });

  beforeEach(() => {
    service.requests.length = 0;
  });

  afterAll(async () => {
    process.env = savedEnv;
    await service.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('saves a folder and restores identical bytes after the folder is deleted', async () => {
    const binary = randomBytes(200_000);
    await writeFolder({ 'a.json': '{"x":1}', 'nested/b.bin': binary });
    expect(cache.isFeatureAvailable()).toBe(true);

    const id = await cache.saveCache([dir], 'exact-1');
    expect(id).toBe(service.entries[0]!.id);
    expect(service.entries[0]).toMatchObject({ key: 'exact-1', finalized: true });
    const calls = service.requests.map((r) => `${r.method} ${r.pathname.replace(TWIRP, '')}`);
    expect(calls).toEqual([
      'POST CreateCacheEntry',
      expect.stringMatching(/^PUT \/devstoreaccount1\/actions-cache\/1\./),
      'POST FinalizeCacheEntryUpload',
    ]);
    const put = service.requests[1]!;
    expect(put.headers['x-ms-blob-type']).toBe('BlockBlob'); // Put Blob: one shot under 128 MiB
    expect(service.requests[0]!.headers.authorization).toBe(`Bearer ${makeRuntimeToken(1)}`);

    await freshFolder();
    expect(await cache.restoreCache([dir], 'exact-1')).toBe('exact-1');
    expect(await readFile(path.join(dir, 'a.json'), 'utf8')).toBe('{"x":1}');
    expect((await readFile(path.join(dir, 'nested', 'b.bin'))).equals(binary)).toBe(true);
    expect(service.requests.at(-1)!.method).toBe('GET');
  });

  it('matches a restore-key prefix to the newest entry only', async () => {
    for (const [key, text] of [
      ['pfx-1', 'old'],
      ['pfx-2', 'new'],
      ['other-3', 'unrelated'],
    ] as const) {
      await writeFolder({ 'v.txt': text });
      expect(await cache.saveCache([dir], key)).toBeGreaterThan(0);
    }
    await freshFolder();
    expect(await cache.restoreCache([dir], 'pfx-9', ['pfx-'])).toBe('pfx-2');
    expect(await readFile(path.join(dir, 'v.txt'), 'utf8')).toBe('new');
    const lookup = JSON.parse(service.requests.at(-2)!.text) as Record<string, unknown>;
    expect(lookup).toMatchObject({ key: 'pfx-9', restore_keys: ['pfx-'] });
  });

  it('misses (undefined) on an unknown key and on a known key saved for other paths', async () => {
    await freshFolder();
    expect(await cache.restoreCache([dir], 'never-saved', ['nothing-'])).toBeUndefined();
    // The version hashes the path list: same key, different paths is a different entry.
    expect(await cache.restoreCache([path.join(tmp, 'elsewhere')], 'exact-1')).toBeUndefined();
    expect(service.requests.every((r) => r.method === 'POST')).toBe(true);
  });

  it('rejects a second save of the same key with 409 already_exists and keeps the first', async () => {
    const before = service.entries.length;
    await writeFolder({ 'v.txt': 'second' });
    const toolkit = watchToolkitLog();
    expect(await cache.saveCache([dir], 'exact-1')).toBe(-1);
    expect(service.entries).toHaveLength(before);
    // What the refusal looks like in a job's log (kept in the test's log file, off the console).
    expect(toolkit.text()).toContain(
      'Failed to save: Unable to reserve cache with key exact-1, another job may be creating this cache.',
    );
    // One reservation: a retryable status (5xx) would have been retried with back-off.
    const creates = service.requests.filter((r) => r.pathname.endsWith('/CreateCacheEntry'));
    expect(creates).toHaveLength(1);
    expect(service.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('scopes entries to the ref that saved them: a PR reads main, never the reverse or a sibling', async () => {
    const as = (ref: string) => {
      process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(9, 'job-1', cacheScopesOf(ref, 'main'));
    };
    try {
      as('refs/heads/main');
      await writeFolder({ 'v.txt': 'main' });
      expect(await cache.saveCache([dir], 'scoped-main')).toBeGreaterThan(0);
      as('refs/pull/1/merge');
      await writeFolder({ 'v.txt': 'pr 1' });
      expect(await cache.saveCache([dir], 'scoped-pr')).toBeGreaterThan(0);
      // The same key again, in another scope: its own entry, no 409.
      expect(await cache.saveCache([dir], 'scoped-main')).toBeGreaterThan(0);

      await freshFolder();
      expect(await cache.restoreCache([dir], 'scoped-main')).toBe('scoped-main');
      expect(await readFile(path.join(dir, 'v.txt'), 'utf8')).toBe('pr 1'); // its own ref first
      as('refs/heads/main');
      await freshFolder();
      expect(await cache.restoreCache([dir], 'scoped-pr', ['scoped-'])).toBe('scoped-main');
      expect(await readFile(path.join(dir, 'v.txt'), 'utf8')).toBe('main');
      as('refs/pull/2/merge');
      await freshFolder();
      expect(await cache.restoreCache([dir], 'scoped-pr')).toBeUndefined();
      expect(cacheScopesOf('refs/pull/2/merge', 'release')).toEqual([
        { Scope: 'refs/pull/2/merge', Permission: 3 },
        { Scope: 'refs/heads/release', Permission: 1 },
        { Scope: 'refs/heads/main', Permission: 1 },
      ]);
    } finally {
      process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(1);
    }
  });
});

describe('loopback cache blob endpoint with @azure/storage-blob', () => {
  let service: CacheService;
  beforeAll(async () => {
    service = await startCacheService();
  });
  afterAll(async () => service.close());

  async function twirp(method: string, body: unknown): Promise<Record<string, string>> {
    const res = await fetch(`${service.url}${TWIRP}${method}`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, string>;
  }

  it('assembles Put Block + Put Block List and serves it only through the read URL', async () => {
    const data = randomBytes(5000);
    const created = await twirp('CreateCacheEntry', { key: 'blocks', version: 'v' });
    const client = new BlockBlobClient(created.signed_upload_url!);
    await client.uploadData(data, { blockSize: 1024, maxSingleShotSize: 1024, concurrency: 2 });
    const comps = service.requests
      .filter((r) => r.method === 'PUT')
      .map((r) => r.query.get('comp'));
    expect(comps).toEqual([...Array<string>(5).fill('block'), 'blocklist']);

    const tooBig = await twirp('FinalizeCacheEntryUpload', {
      key: 'blocks',
      version: 'v',
      size_bytes: '9',
    });
    expect(tooBig.code).toBe('invalid_argument');
    const done = await twirp('FinalizeCacheEntryUpload', {
      key: 'blocks',
      version: 'v',
      size_bytes: '5000',
    });
    expect(done).toMatchObject({ ok: true, entry_id: '1' });

    const found = await twirp('GetCacheEntryDownloadURL', { key: 'blo', version: 'v' });
    expect(found.matched_key).toBe('blocks');
    const got = Buffer.from(await (await fetch(found.signed_download_url!)).arrayBuffer());
    expect(got.equals(data)).toBe(true);
    const write = await fetch(found.signed_download_url!, { method: 'PUT', body: 'x' });
    expect(write.status).toBe(403);
    const other = await twirp('GetCacheEntryDownloadURL', { key: 'blocks', version: 'v2' });
    expect(other.ok).toBe(false);
  });
});
