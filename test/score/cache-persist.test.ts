// The judge cache folder survives between workflow runs: run 1 judges and saves it through the real
// @actions/cache against the loopback cache service; the folder is deleted; run 2 restores it and
// judges the same images without a single chat-completions call.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  judgeCacheKeys,
  restoreJudgeCache,
  saveJudgeCache,
  type PersistLogger,
} from '../../src/score/judgment/cache-persist.ts';
import { FolderJudgeCache, type CachedJudgment } from '../../src/score/judgment/judge-cache.ts';
import { createOpenAIJudge } from '../../src/score/transport/openai-client.ts';
import { scoreSamples, type ScoreItem } from '../../src/score/score-samples.ts';
import { loadTemplates, type Templates } from '../../src/score/judgment/templates.ts';
import {
  cacheServiceEnv,
  startCacheService,
  type CacheService,
} from '../harness/servers/cache-service.ts';
import { startOpenAIServer, type OpenAIServer } from '../harness/servers/openai.ts';
import { watchToolkitLog } from '../harness/toolkit-log.ts';
import { baseOptions, fakeClock, makeItems, seededRng, tempDir } from './helpers.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const MODEL = 'gpt-4o-2024-08-06';
const API_KEY = 'sk-test-cache-persist';

function recordingLog(): PersistLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
  };
}

const judgment: CachedJudgment = {
  sampled: 3,
  expected: null,
  scoring: 'sampled',
  reply: 'The subject is preserved. Score: 3',
  model: MODEL,
  systemFingerprint: 'fp_1',
  usage: { promptTokens: 630, completionTokens: 40, cachedTokens: 0 },
  costUsd: 0.002,
};

describe('judge cache persistence across runs (@actions/cache v2, loopback)', () => {
  let service: CacheService;
  let openai: OpenAIServer;
  let templates: Templates;
  let items: ScoreItem[];
  let tmp: string;
  let dir: string;
  const savedEnv = { ...process.env };

  /** A new run on a fresh runner: its own runtime token, and no judge cache folder yet. */
  async function startRun(runId: number): Promise<void> {
    Object.assign(
      process.env,
      cacheServiceEnv(
        service,
        { runnerTemp: path.join(tmp, 'runner-temp'), workspace: path.join(tmp, 'ws') },
        runId,
      ),
    );
    await rm(dir, { recursive: true, force: true });
  }

  function score(cache: FolderJudgeCache) {
    return scoreSamples(
      items,
      {
        transport: createOpenAIJudge({ apiKey: API_KEY, baseURL: openai.baseURL, timeoutMs: 5000 }),
        clock: fakeClock(),
        rng: seededRng(),
        cache,
      },
      { ...baseOptions(API_KEY, { model: MODEL, concurrency: 2 }), templates },
    );
  }

  beforeAll(async () => {
    [service, openai, templates, tmp] = await Promise.all([
      startCacheService(),
      startOpenAIServer(),
      loadTemplates(path.join(repoRoot, 'prompts')),
      mkdtemp(path.join(os.tmpdir(), 'cache-persist-')),
    ]);
    await mkdir(path.join(tmp, 'runner-temp'));
    await mkdir(path.join(tmp, 'ws'));
    dir = path.join(tmp, 'ws', 'judge-cache');
    items = await makeItems(await tempDir(), 2, ['object']);
    delete process.env.ACTIONS_CACHE_URL;
    delete process.env.ACTIONS_CACHE_MODE;
  });

  beforeEach(() => {
    service.entries.length = 0;
    service.requests.length = 0;
  });

  afterAll(async () => {
    process.env = savedEnv;
    await Promise.all([service.close(), openai.close()]);
    await rm(tmp, { recursive: true, force: true });
  });

  it('run 2 restores what run 1 judged and makes no judge call for the same images', async () => {
    await startRun(101);
    const first = await score(new FolderJudgeCache(dir));
    expect(first.stats).toMatchObject({ calls: 4, cacheMisses: 4 });
    const saveLog = recordingLog();
    await saveJudgeCache(dir, MODEL, '101', saveLog);
    expect(service.entries).toEqual([
      expect.objectContaining({ key: judgeCacheKeys(MODEL, '101').key, finalized: true }),
    ]);
    const callsAfterRun1 = openai.requests.length;

    await startRun(202);
    const restoreLog = recordingLog();
    const hit = await restoreJudgeCache(dir, MODEL, '202', restoreLog);
    expect(hit).toBe(judgeCacheKeys(MODEL, '101').key);
    expect(restoreLog.lines).toEqual([`info: judge cache: restored ${hit}`]);
    const second = await score(new FolderJudgeCache(dir));
    expect(second.stats).toMatchObject({ calls: 0, cacheHits: 4, cacheMisses: 0, costUsd: 0 });
    expect(openai.requests.length).toBe(callsAfterRun1);
    expect(second.records.map((r) => [r.cp.score, r.pf.score])).toEqual(
      first.records.map((r) => [r.cp.score, r.pf.score]),
    );
  });

  it('returns the identical stored judgment for the same key after the round trip', async () => {
    const key = 'ab'.padEnd(64, '0');
    await startRun(301);
    await new FolderJudgeCache(dir).set(key, judgment);
    await saveJudgeCache(dir, MODEL, '301', recordingLog());
    await startRun(302);
    expect(await new FolderJudgeCache(dir).get(key)).toBeUndefined(); // really gone
    await restoreJudgeCache(dir, MODEL, '302', recordingLog());
    expect(await new FolderJudgeCache(dir).get(key)).toEqual(judgment);
  });

  it('a first run misses quietly and later runs restore the newest earlier run', async () => {
    const key = 'cd'.padEnd(64, '0');
    await startRun(401);
    const log = recordingLog();
    expect(await restoreJudgeCache(dir, MODEL, '401', log)).toBeUndefined();
    expect(log.lines).toEqual(['info: judge cache: no earlier entry']);
    for (const [runId, sampled] of [
      [401, 1],
      [402, 2],
    ] as const) {
      await startRun(runId);
      await new FolderJudgeCache(dir).set(key, { ...judgment, sampled });
      await saveJudgeCache(dir, MODEL, String(runId), recordingLog());
    }
    await startRun(403);
    expect(await restoreJudgeCache(dir, MODEL, '403', recordingLog())).toBe(
      judgeCacheKeys(MODEL, '402').key,
    );
    expect((await new FolderJudgeCache(dir).get(key))?.sampled).toBe(2);
  });

  it('starts empty without contacting anything when the cache service is not configured', async () => {
    await startRun(501);
    delete process.env.ACTIONS_RESULTS_URL;
    const log = recordingLog();
    expect(await restoreJudgeCache(dir, MODEL, '501', log)).toBeUndefined();
    await saveJudgeCache(dir, MODEL, '501', log);
    expect(log.lines).toEqual([
      'info: judge cache: the Actions cache service is not available here; starting empty',
    ]);
    expect(service.requests).toEqual([]);
  });

  // Regression tests for two bugs found in the first version of src/score/cache-persist.ts.
  it('a model never restores the cache of a model whose name extends its own', async () => {
    await startRun(601);
    await new FolderJudgeCache(dir).set('ef'.padEnd(64, '0'), judgment);
    await saveJudgeCache(dir, 'gpt-4o', '601', recordingLog());
    await startRun(602);
    await new FolderJudgeCache(dir).set('ef'.padEnd(64, '1'), { ...judgment, model: 'mini' });
    await saveJudgeCache(dir, 'gpt-4o-mini', '602', recordingLog());
    await startRun(603);
    // `...-gpt-4o-mini-602` is newer, but it is another model's cache.
    const hit = await restoreJudgeCache(dir, 'gpt-4o', '603', recordingLog());
    expect(hit).toBe(judgeCacheKeys('gpt-4o', '601').key);
  });

  it('a save the service refused (re-run, same key) is not logged as saved', async () => {
    await startRun(701);
    await new FolderJudgeCache(dir).set('aa'.padEnd(64, '0'), judgment);
    await saveJudgeCache(dir, MODEL, '701', recordingLog());
    const again = recordingLog();
    const toolkit = watchToolkitLog();
    await saveJudgeCache(dir, MODEL, '701', again); // 409 already_exists: nothing stored
    expect(service.entries).toHaveLength(1);
    // @actions/cache says so in its own words (into the test's log file, not the console).
    expect(toolkit.text()).toContain(
      `Failed to save: Unable to reserve cache with key ${judgeCacheKeys(MODEL, '701').key}, another job may be creating this cache.`,
    );
    expect(again.lines).not.toContain(
      `info: judge cache: saved ${judgeCacheKeys(MODEL, '701').key}`,
    );
    expect(again.lines).toContain(
      `info: judge cache: not saved, ${judgeCacheKeys(MODEL, '701').key} already exists or the service refused it`,
    );
  });

  it('keys one model so that another model name never extends them', () => {
    // A model name with a run of dashes must not end in the `--` that closes another's prefix.
    const doubled = judgeCacheKeys('a--b', '1').key;
    expect(doubled.startsWith(judgeCacheKeys('a', '1').restorePrefix)).toBe(false);
    expect(
      judgeCacheKeys('gpt-4o-mini', '2').key.startsWith(
        judgeCacheKeys('gpt-4o', '1').restorePrefix,
      ),
    ).toBe(false);
  });
});
