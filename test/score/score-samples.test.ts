// The score stage end to end: the real `openai` SDK against the loopback chat-completions server.
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JudgeTransportError } from '../../src/score/transport/errors.ts';
import { FolderJudgeCache } from '../../src/score/judgment/judge-cache.ts';
import type { JudgeTransport } from '../../src/score/transport/judge-transport.ts';
import { createOpenAIJudge } from '../../src/score/transport/openai-client.ts';
import { scoreSamples, type ScoreItem, type ScoreOptions } from '../../src/score/score-samples.ts';
import { loadTemplates, type Templates } from '../../src/score/judgment/templates.ts';
import { toScoredSamples } from '../../src/score/to-scored.ts';
import {
  dataUrlBytes,
  imagesInRequest,
  scoreForImageBytes,
  startOpenAIServer,
  type OpenAIServer,
} from '../harness/servers/openai.ts';
import {
  baseOptions,
  fakeClock,
  makeItems,
  seededRng,
  tempDir,
  MemoryJudgeCache,
} from './helpers.ts';

const API_KEY = 'sk-test-SECRET-0123456789abcdef';
const repoRoot = path.resolve(import.meta.dirname, '../..');

let templates: Templates;
let dir: string;
let items: ScoreItem[];
let server: OpenAIServer;

beforeAll(async () => {
  templates = await loadTemplates(path.join(repoRoot, 'prompts'));
  dir = await tempDir();
  items = await makeItems(dir, 12, ['animal', 'human', 'object', 'style']);
  server = await startOpenAIServer();
});
afterAll(async () => server.close());
afterEach(() => {
  server.set({});
  server.requests.length = 0;
});

const base = baseOptions(API_KEY);

function transport(timeoutMs = 5000): JudgeTransport {
  return createOpenAIJudge({ apiKey: API_KEY, baseURL: server.baseURL, timeoutMs });
}

function run(
  subset: readonly ScoreItem[],
  options: Partial<ScoreOptions> = {},
  deps: Partial<Parameters<typeof scoreSamples>[1]> = {},
) {
  return scoreSamples(
    subset,
    { transport: transport(), clock: fakeClock(), rng: seededRng(), ...deps },
    { ...base, templates, ...options },
  );
}

async function expectedScores(item: ScoreItem, size = 64) {
  // The server scores from the last image's bytes: predict it from our own preparation.
  const { prepareImage } = await import('../../src/score/prepare-image.ts');
  return scoreForImageBytes((await prepareImage(item.imagePath, size)).bytes);
}

describe('scoreSamples against the chat-completions server', () => {
  it('scores every item on CP and PF with the scores the judge gave, and sends the protocol messages', async () => {
    const { records, failures, stats } = await run(items);
    expect(failures).toEqual([]);
    expect(stats.calls).toBe(24);
    for (const [i, record] of records.entries()) {
      const want = await expectedScores(items[i]!);
      expect(record.cp.score).toBe(want);
      expect(record.pf.score).toBe(want);
      expect(record.cp.judgments[0]).toMatchObject({
        model: 'gpt-4o-2024-08-06',
        systemFingerprint: 'fp_test_1',
        attempts: 1,
        cached: false,
      });
    }
    expect(toScoredSamples(records)).toHaveLength(12);
    const cp = server.requests.find((r) => imagesInRequest(r.body).length === 2)!;
    const messages = cp.body.messages!;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(cp.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const parts = messages[2]!.content as Array<{
      type: string;
      image_url?: { url: string; detail: string };
    }>;
    const imageParts = parts.filter((p) => p.type === 'image_url');
    expect(imageParts.every((p) => p.image_url!.detail === 'high')).toBe(true);
    // Reference first, generated second: the first image is the shared reference of its category.
    const [first, second] = imageParts.map((p) => dataUrlBytes(p.image_url!.url));
    const refs = await Promise.all(
      items.map(async (it) =>
        (await import('../../src/score/prepare-image.ts')).prepareImage(it.referencePath, 64),
      ),
    );
    expect(refs.some((r) => r.bytes.equals(first!))).toBe(true);
    expect(refs.some((r) => r.bytes.equals(second!))).toBe(false);
    for (const url of imageParts.map((p) => p.image_url!.url)) {
      expect(url.startsWith('data:image/jpeg;base64,')).toBe(true);
      const meta = await sharp(dataUrlBytes(url)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 64, 64]);
    }
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    server.set({ latencyMs: 30 });
    await run(items, { concurrency: 3 });
    expect(server.highWater).toBeLessThanOrEqual(3);
    expect(server.highWater).toBe(3); // and does use the parallelism it is allowed
  });

  it('on 429 waits the retry-after-ms and pauses every worker, not only the one told', async () => {
    const clock = fakeClock();
    const sent: Array<{ at: number; afterRateLimit: boolean }> = [];
    let rateLimitedAt: number | undefined;
    const real = transport();
    const recording: JudgeTransport = {
      async complete(request) {
        sent.push({ at: clock.now(), afterRateLimit: rateLimitedAt !== undefined });
        try {
          return await real.complete(request);
        } catch (error) {
          if (error instanceof JudgeTransportError && error.kind === 'rate-limit')
            rateLimitedAt ??= clock.now();
          throw error;
        }
      },
    };
    server.set({
      latencyMs: 5,
      respond: (_r, i) =>
        i === 2
          ? { kind: 'status', status: 429, headers: { 'retry-after-ms': '7000' } }
          : undefined,
    });
    const { failures, stats } = await scoreSamples(
      items,
      { transport: recording, clock, rng: seededRng() },
      { ...base, templates },
    );
    expect(failures).toEqual([]);
    expect(clock.now()).toBeGreaterThanOrEqual(7000);
    const later = sent.filter((s) => s.afterRateLimit);
    expect(later.length).toBeGreaterThan(3);
    for (const s of later) expect(s.at).toBeGreaterThanOrEqual(rateLimitedAt! + 7000);
    expect(stats.ratePauses).toBe(1);
    expect(stats.retries).toBe(1);
  });

  it('retries 5xx and succeeds; gives up with the kind after the attempts run out', async () => {
    server.set({ respond: (_r, i) => (i < 2 ? { kind: 'status', status: 503 } : undefined) });
    const ok = await run(items.slice(0, 1), { concurrency: 1 });
    expect(ok.failures).toEqual([]);
    expect(ok.records[0]!.cp.judgments[0]!.attempts).toBe(3);

    server.set({ respond: () => ({ kind: 'status', status: 500 }) });
    const bad = await run(items.slice(0, 1), { concurrency: 1, maxTransportAttempts: 2 });
    expect(bad.failures).toEqual([
      expect.objectContaining({ id: items[0]!.sample.id, stage: 'judge', kind: 'server' }),
    ]);
    expect(server.requests).toHaveLength(4 + 4); // 2 failures + CP + PF, then 2 x 2 failed attempts
  });

  it('asks again on malformed replies and fails `unparseable` after 3 replies, keeping the partial score', async () => {
    const bad = ['no score here', 'Score: 1\nScore: 3', 'Score: 7'];
    server.set({
      respond: (r, i) =>
        imagesInRequest(r.body).length === 1 ? { kind: 'reply', text: bad[i % 3]! } : undefined,
    });
    const { records, failures, stats } = await run(items.slice(0, 2), { concurrency: 1 });
    expect(failures.map((f) => f.kind)).toEqual(['unparseable', 'unparseable']);
    expect(failures[0]!.reason).toMatch(/PF: .*after 3 replies/);
    expect(records[0]!.pf.judgments[0]!.attempts).toBe(3);
    expect(records[0]!.cp.score).toBe(await expectedScores(items[0]!)); // partial score kept
    expect(records[0]!.scored).toBe(false);
    // CP still counts; PF has no outcome (unparseable is the judge service's failure).
    expect(toScoredSamples(records).map((x) => x.pf)).toEqual([null, null]);
    expect(stats.failuresByKind).toEqual({ unparseable: 2 });
  });

  it('recognises refusals (field and text) and counts them per category', async () => {
    server.set({
      respond: (r) => {
        if (imagesInRequest(r.body).length !== 2) return undefined;
        const human = JSON.stringify(r.body).includes('facial'); // subject template
        return human
          ? { kind: 'refusal', text: "I can't compare people's faces." }
          : { kind: 'reply', text: "I'm sorry, I can't help with that." };
      },
    });
    const subset = items.slice(0, 4); // animal, human, object, style
    const { failures, stats, records } = await run(subset, { concurrency: 2 });
    expect(failures.map((f) => f.kind)).toEqual(['refused', 'refused', 'refused', 'refused']);
    expect(records[1]!.cp.judgments[0]!.reply).toContain("can't compare");
    expect(stats.refusalsByCategory).toEqual({ animal: 3, human: 3, object: 3, style: 3 });
  });

  it('times out a hung request, retries it, and fails `timeout` when the judge never answers', async () => {
    server.set({ respond: (_r, i) => (i === 0 ? { kind: 'hang' } : undefined) });
    const ok = await run(items.slice(0, 1), { concurrency: 1 }, { transport: transport(150) });
    expect(ok.failures).toEqual([]);
    expect(ok.records[0]!.cp.judgments[0]!.attempts).toBe(2);

    server.set({ respond: () => ({ kind: 'hang' }) });
    const bad = await run(
      items.slice(0, 1),
      { concurrency: 2, maxTransportAttempts: 2 },
      { transport: transport(150) },
    );
    expect(bad.failures).toEqual([expect.objectContaining({ kind: 'timeout', stage: 'judge' })]);
    expect(bad.failures[0]!.reason).toMatch(/within the timeout/);
  });

  it('a second run over identical images makes no calls and returns the same scores', async () => {
    const cache = new FolderJudgeCache(path.join(await tempDir(), 'cache'));
    const first = await run(items, {}, { cache });
    const calls = server.requests.length;
    expect(first.stats.cacheMisses).toBe(24);
    const second = await run(items, {}, { cache: new FolderJudgeCache(cache.dir) });
    expect(server.requests.length).toBe(calls);
    expect(second.stats).toMatchObject({ calls: 0, cacheHits: 24, cacheMisses: 0, costUsd: 0 });
    expect(second.records.map((r) => [r.cp.score, r.pf.score])).toEqual(
      first.records.map((r) => [r.cp.score, r.pf.score]),
    );
    expect(second.records[0]!.cp.judgments[0]!.cached).toBe(true);
    // A new repeat index is a new judgment.
    await run(items.slice(0, 1), { repeats: 2 }, { cache });
    expect(server.requests.length).toBe(calls + 2);
  });

  it('judges byte-identical inputs of one run once, however the calls interleave', async () => {
    // Two prompts of one concept whose generated images are byte-identical: CP has one key.
    const first = items[0]!;
    const twin = {
      ...first,
      sample: { ...first.sample, id: `${first.sample.concept}-p5`, prompt: 'another prompt' },
    };
    const before = server.requests.length;
    const result = await run(
      [items[0]!, twin],
      { concurrency: 4 },
      { cache: new MemoryJudgeCache() },
    );
    // CP once (shared), PF twice (the prompts differ).
    expect(server.requests.length - before).toBe(3);
    expect(result.stats).toMatchObject({ calls: 3, cacheHits: 1, cacheMisses: 3 });
    expect(result.records[1]!.cp.judgments[0]).toMatchObject({ cached: true, costUsd: 0 });
    expect(result.records[1]!.cp.score).toBe(result.records[0]!.cp.score);
  });

  it('stops scheduling at the cost cap and fails the rest with `budget`, honestly', async () => {
    // Each call: (120 + 255*images) prompt tokens at $2.5/M + small output at $10/M ≈ $0.0011-0.0017.
    // The first sample is held at the prior (2 x $0.0052), so the cap must cover that.
    const { records, failures, stats } = await run(items, { concurrency: 1, maxCostUsd: 0.02 });
    const scored = records.filter((r) => r.scored).length;
    expect(scored).toBeGreaterThan(0);
    expect(scored).toBeLessThan(items.length);
    expect(stats.costUsd).toBeLessThanOrEqual(0.02);
    expect(failures.length).toBe(items.length - scored);
    expect(failures.every((f) => f.kind === 'budget')).toBe(true);
    expect(failures.at(-1)).toMatchObject({ stage: 'budget' });
    expect(failures[0]!.reason).toMatch(/max-cost-usd 0.02/);
  });

  it('uses log-probabilities under expected scoring and falls back to sampled without them', async () => {
    server.set({ distribution: () => ({ 2: 0.5, 3: 0.5 }) });
    const expected = await run(items.slice(0, 1), { scoring: 'expected' });
    const j = expected.records[0]!.pf.judgments[0]!;
    expect(server.requests[0]!.body).toMatchObject({ logprobs: true, top_logprobs: 10 });
    expect(j).toMatchObject({ scoring: 'expected', expected: 2.5 });
    expect(expected.records[0]!.pf).toMatchObject({ score: 2.5, scoring: 'expected' });

    server.set({ logprobs: false });
    const sampled = await run(items.slice(0, 1), { scoring: 'expected' });
    expect(sampled.records[0]!.pf).toMatchObject({
      scoring: 'sampled',
      score: await expectedScores(items[0]!),
    });
    expect(sampled.stats.scoringUsed).toEqual({ expected: 0, sampled: 2 });
  });

  it('averages K repeats', async () => {
    server.set({
      respond: (r, i) =>
        imagesInRequest(r.body).length === 1
          ? { kind: 'reply', text: `Score: ${i % 2 === 0 ? 1 : 4}` }
          : undefined,
    });
    const { records } = await run(items.slice(0, 1), { repeats: 2, concurrency: 1 });
    expect(records[0]!.pf.judgments.map((j) => j.sampled)).toEqual([1, 4]);
    expect(records[0]!.pf.score).toBe(2.5);
  });

  it('never writes the API key to logs or records, even when the endpoint echoes it', async () => {
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
    server.set({
      respond: (_r, i) =>
        i === 0
          ? {
              kind: 'status',
              status: 500,
              body: { error: { message: `upstream failed for key ${API_KEY}` } },
            }
          : {
              kind: 'status',
              status: 401,
              body: {
                error: { message: `Incorrect API key provided: ${API_KEY.slice(0, 8)}****cdef` },
              },
            },
    });
    const result = await run(items.slice(0, 3), { concurrency: 1 }, { log });
    expect(result.failures.map((f) => f.kind)).toEqual(['auth', 'auth', 'auth']);
    expect(server.requests).toHaveLength(2); // a bad key stops the run instead of failing 24 calls
    const everything = JSON.stringify([lines, result]);
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain(API_KEY.slice(0, 8));
  });

  it('works behind an Azure-style path prefix', async () => {
    const judge = createOpenAIJudge({
      apiKey: API_KEY,
      baseURL: `${server.origin}/openai/deployments/gpt4o`,
      timeoutMs: 5000,
      defaultQuery: { 'api-version': '2024-10-21' },
    });
    const { failures } = await scoreSamples(
      items.slice(0, 1),
      { transport: judge, clock: fakeClock() },
      { ...base, templates },
    );
    expect(failures).toEqual([]);
    expect(server.requests[0]!.url).toBe(
      '/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21',
    );
  });

  it('records usage with cached tokens and prices it', async () => {
    server.set({ cachedTokens: 100 });
    const { stats, records } = await run(items.slice(0, 1), { concurrency: 1 });
    // CP: 120 + 2*255 = 630 prompt tokens, PF: 375; 100 of each cached.
    expect(stats.tokens.promptTokens).toBe(630 + 375);
    expect(stats.tokens.cachedTokens).toBe(200);
    const pf = records[0]!.pf.judgments[0]!;
    expect(pf.costUsd).toBeCloseTo(
      (275 * 2.5 + 100 * 1.25 + pf.usage.completionTokens * 10) / 1e6,
      12,
    );
  });

  it('fails an unreadable image with kind `image` and judges the rest', async () => {
    const broken = { ...items[1]!, imagePath: path.join(dir, 'missing.png') };
    const { failures, records } = await run([items[0]!, broken]);
    expect(failures).toEqual([expect.objectContaining({ id: broken.sample.id, kind: 'image' })]);
    expect(failures[0]!.reason).toContain('missing.png');
    expect(records[0]!.scored).toBe(true);
  });

  it('memory cache works the same and the cache interface is all it needs', async () => {
    const cache = new MemoryJudgeCache();
    await run(items.slice(0, 2), {}, { cache });
    expect(cache.entries.size).toBe(4);
  });
});
