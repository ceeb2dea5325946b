// The score stage when things go wrong: the cost cap, replies without usage, a broken cache, an
// account without credit, an unexpected error, and what the cache key covers.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UnknownModelPriceError } from '../../src/score/errors.ts';
import {
  FolderJudgeCache,
  type CachedJudgment,
  type JudgeCache,
} from '../../src/score/judgment/judge-cache.ts';
import type {
  JudgeReply,
  JudgeTransport,
  TokenUsage,
} from '../../src/score/transport/judge-transport.ts';
import { createOpenAIJudge } from '../../src/score/transport/openai-client.ts';
import { scoreSamples, type ScoreItem, type ScoreOptions } from '../../src/score/score-samples.ts';
import { loadTemplates, type Templates } from '../../src/score/judgment/templates.ts';
import { startOpenAIServer, type OpenAIServer } from '../harness/servers/openai.ts';
import {
  baseOptions,
  fakeClock,
  makeItems,
  MemoryJudgeCache,
  seededRng,
  tempDir,
} from './helpers.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const API_KEY = 'sk-test-ROBUST-0123456789abcdef';

let templates: Templates;
let dir: string;
let items: ScoreItem[];
let server: OpenAIServer;

beforeAll(async () => {
  templates = await loadTemplates(path.join(repoRoot, 'prompts'));
  dir = await tempDir();
  items = await makeItems(dir, 10, ['animal', 'object']);
  server = await startOpenAIServer();
});
afterAll(async () => server.close());
afterEach(() => {
  server.set({});
  server.requests.length = 0;
});

// gpt-4o: $2.5/M input, $10/M output. At image-size 64 the prior per call is
// (1280 x 2.5 + 200 x 10) / 1e6 = $0.0052; a call of CALL_USAGE costs exactly half that.
const CALL_USAGE: TokenUsage = { promptTokens: 640, completionTokens: 100, cachedTokens: 0 };
const CALL_USD = 0.0026;

const base = baseOptions(API_KEY, { model: 'gpt-4o' });

function logger() {
  const warnings: string[] = [];
  return { warnings, log: { info() {}, warn: (m: string) => warnings.push(m) } };
}

/** A judge that answers `Score: 3` after a few virtual ms, with fixed usage (or none). */
function fixedJudge(
  clock: ReturnType<typeof fakeClock>,
  usage: TokenUsage | null,
  /** Replaces the `n`th reply (from 0); `undefined` keeps the normal one. */
  reply: (n: number) => JudgeReply | null | undefined = () => undefined,
) {
  let n = 0;
  const judge: JudgeTransport & { calls: number } = {
    calls: 0,
    async complete(request) {
      const i = n++;
      judge.calls += 1;
      await clock.sleep(10 + (i % 3) * 7);
      const replaced = reply(i);
      if (replaced !== undefined) return replaced as JudgeReply;
      return {
        content: 'Score: 3',
        refusal: null,
        finishReason: 'stop',
        logprobs: null,
        model: request.model,
        systemFingerprint: null,
        usage,
      };
    },
  };
  return judge;
}

function serverJudge(): JudgeTransport {
  return createOpenAIJudge({ apiKey: API_KEY, baseURL: server.baseURL, timeoutMs: 5000 });
}

describe('max-cost-usd', () => {
  // The prior over-estimates real calls (x2, x4): holds made at the prior must not starve the run.
  it.each([
    { usage: CALL_USAGE, callUsd: CALL_USD, samples: 5 },
    {
      usage: { promptTokens: 320, completionTokens: 50, cachedTokens: 0 },
      callUsd: 0.0013,
      samples: 4,
    },
  ])(
    'judges exactly the $samples samples the cap allows, each completely, and refuses the rest',
    async ({ usage, callUsd, samples }) => {
      const clock = fakeClock();
      const judge = fixedJudge(clock, usage);
      // Room for `samples` samples at their real cost, not one more (and for one at the prior).
      const cap = Math.max((samples + 0.5) * 2 * callUsd, 2 * 0.0052);
      const { records, failures, stats } = await scoreSamples(
        items,
        { transport: judge, clock, rng: seededRng() },
        // More workers than the cap allows samples: in-flight estimates must not drain the queue.
        { ...base, templates, concurrency: 8, maxCostUsd: cap },
      );
      expect(records.filter((r) => r.scored)).toHaveLength(samples);
      expect(failures).toHaveLength(items.length - samples);
      expect(failures.every((f) => f.kind === 'budget' && f.stage === 'budget')).toBe(true);
      // No money on half-judged samples: every failed sample made no call at all.
      const failed = records.filter((r) => !r.scored);
      const attempts = failed.flatMap((r) => [...r.cp.judgments, ...r.pf.judgments]);
      expect(attempts.map((j) => j.attempts)).toEqual(Array(2 * failed.length).fill(0));
      expect(judge.calls).toBe(2 * samples);
      expect(stats.costUsd).toBeCloseTo(2 * samples * callUsd, 10);
      expect(stats.costUsd).toBeLessThanOrEqual(cap);
    },
  );

  it('books a reply without usage at its estimate, so the cap still stops the run, and says so once', async () => {
    const clock = fakeClock();
    const { warnings, log } = logger();
    const judge = fixedJudge(clock, null);
    const { records, failures } = await scoreSamples(
      items,
      { transport: judge, clock, rng: seededRng(), log },
      // Booked at the $0.0052 prior, a sample counts $0.0104: two fit under $0.0286.
      { ...base, templates, concurrency: 2, maxCostUsd: 0.0286 },
    );
    expect(records.filter((r) => r.scored)).toHaveLength(2);
    expect(failures.every((f) => f.kind === 'budget')).toBe(true);
    expect(judge.calls).toBe(4);
    const unbilled = warnings.filter((w) => /without token usage/.test(w));
    expect(unbilled).toHaveLength(1);
    expect(unbilled[0]).toContain('max-cost-usd');
  });

  it('names the judge model, the known ones and the fix when the model has no price', async () => {
    const clock = fakeClock();
    const run = scoreSamples(
      items.slice(0, 1),
      { transport: fixedJudge(clock, CALL_USAGE), clock },
      { ...base, templates, model: 'llava-13b', maxCostUsd: 1 },
    );
    await expect(run).rejects.toBeInstanceOf(UnknownModelPriceError);
    await expect(run).rejects.toThrow(
      /^Input "max-cost-usd" needs a price for judge model "llava-13b"; known: gpt-4o, .*gpt-4\.1-nano-2025-04-14; add one with DREAMBENCH_PRICES='\{"llava-13b":\{"input":/,
    );
  });
});

describe('errors that must not abort the stage', () => {
  it('keeps paid judgments when the cache cannot be written, and warns once', async () => {
    const blocker = path.join(await tempDir(), 'not-a-dir');
    await writeFile(blocker, 'a file where the cache folder should be');
    const cache = new FolderJudgeCache(path.join(blocker, 'cache')); // mkdir fails: ENOTDIR
    const { warnings, log } = logger();
    const { records, failures } = await scoreSamples(
      items.slice(0, 3),
      { transport: serverJudge(), clock: fakeClock(), rng: seededRng(), cache, log },
      { ...base, templates },
    );
    expect(failures).toEqual([]);
    expect(records.every((r) => r.scored)).toBe(true);
    const cacheWarnings = warnings.filter((w) => w.startsWith('judge cache'));
    expect(cacheWarnings).toHaveLength(1);
    expect(cacheWarnings[0]).toMatch(/cannot write.*ENOTDIR/);
  });

  it('treats a cache that cannot be read as a miss', async () => {
    const broken: JudgeCache = {
      get: async () => {
        throw new Error('EACCES: permission denied');
      },
      set: async () => undefined,
    };
    const { warnings, log } = logger();
    const { failures, stats } = await scoreSamples(
      items.slice(0, 2),
      { transport: serverJudge(), clock: fakeClock(), cache: broken, log },
      { ...base, templates },
    );
    expect(failures).toEqual([]);
    expect(stats).toMatchObject({ calls: 4, cacheMisses: 4, cacheHits: 0 });
    expect(warnings.filter((w) => /cannot read.*EACCES.*miss/.test(w))).toHaveLength(1);
  });

  it('turns an unexpected error in one task into an `internal` failure and judges the rest', async () => {
    const clock = fakeClock();
    // The second call gets `null` instead of a reply: reading it throws a TypeError.
    const judge = fixedJudge(clock, CALL_USAGE, (i) => (i === 1 ? null : undefined));
    const { records, failures } = await scoreSamples(
      items.slice(0, 3),
      { transport: judge, clock },
      { ...base, templates, concurrency: 1, maxCostUsd: 1 },
    );
    expect(failures).toEqual([
      expect.objectContaining({ id: items[0]!.sample.id, stage: 'judge', kind: 'internal' }),
    ]);
    expect(failures[0]!.reason).toMatch(/PF: unexpected error: /);
    expect(records.slice(1).every((r) => r.scored)).toBe(true);
  });

  it('stops at once, naming the quota, when the account has no credit (429 insufficient_quota)', async () => {
    server.set({
      respond: () => ({
        kind: 'status',
        status: 429,
        body: {
          error: {
            message: 'You exceeded your current quota, please check your plan and billing details.',
            type: 'insufficient_quota',
            code: 'insufficient_quota',
          },
        },
      }),
    });
    const { failures, stats } = await scoreSamples(
      items.slice(0, 3),
      { transport: serverJudge(), clock: fakeClock(), rng: seededRng() },
      { ...base, templates, concurrency: 1 },
    );
    expect(server.requests).toHaveLength(1); // no retries, no other calls
    expect(failures.map((f) => f.kind)).toEqual(['quota', 'quota', 'quota']);
    expect(failures[0]!.reason).toMatch(/openai-api-key.*quota/);
    expect(stats.ratePauses).toBe(0);
  });
});

describe('the judgment cache key', () => {
  const runWith = (cache: JudgeCache, options: Partial<ScoreOptions> = {}) =>
    scoreSamples(
      items.slice(0, 2),
      { transport: serverJudge(), clock: fakeClock(), cache },
      { ...base, templates, ...options },
    );

  it('does not reuse judgments of another endpoint, max tokens or number of alternatives', async () => {
    const cache = new MemoryJudgeCache();
    expect((await runWith(cache, { endpoint: 'https://a.example/v1' })).stats.calls).toBe(4);
    expect((await runWith(cache, { endpoint: 'https://a.example/v1' })).stats.calls).toBe(0);
    expect((await runWith(cache, { endpoint: 'https://b.example/v1' })).stats.calls).toBe(4);
    expect(
      (await runWith(cache, { endpoint: 'https://a.example/v1?api-version=2' })).stats.calls,
    ).toBe(4);
    expect(
      (
        await runWith(cache, {
          endpoint: 'https://a.example/v1',
          outputTokens: { cp: 32, pf: 300 },
        })
      ).stats.calls,
    ).toBe(4);
    const expected = { endpoint: 'https://a.example/v1', scoring: 'expected' } as const;
    expect((await runWith(cache, { ...expected, topLogprobs: 5 })).stats.calls).toBe(4);
    expect((await runWith(cache, { ...expected, topLogprobs: 20 })).stats.calls).toBe(4);
    expect((await runWith(cache, { ...expected, topLogprobs: 20 })).stats.calls).toBe(0);
  });

  it('treats an entry with a score outside 0-4 as a miss', async () => {
    const cache = new MemoryJudgeCache();
    const first = await runWith(cache);
    const [key, entry] = [...cache.entries][0]!;
    const bad: CachedJudgment[] = [
      { ...entry, sampled: 7 },
      { ...entry, sampled: 2.5 },
      { ...entry, expected: 4.5 },
      { ...entry, expected: -0.1 },
    ];
    for (const value of bad) {
      cache.entries.set(key, value);
      const again = await runWith(cache);
      expect(again.stats).toMatchObject({ calls: 1, cacheHits: 3, cacheMisses: 1 });
      expect(again.records.map((r) => [r.cp.score, r.pf.score])).toEqual(
        first.records.map((r) => [r.cp.score, r.pf.score]),
      );
    }
  });
});
