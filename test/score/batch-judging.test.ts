// Batch judging (`judge-batch`), the real `openai` SDK against the loopback Batch API on fake
// time: the same requests as realtime at half the price, files split within the limits, asks
// again in a follow-up batch or in realtime, learned parameters, the cost cap, repeats and the
// cache as in realtime, pending batches recorded and collected by the next run, and cancelling.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scoreSamples, type ScoreItem, type ScoreOptions } from '../../src/score/score-samples.ts';
import type { ScoreDeps } from '../../src/score/options.ts';
import {
  BATCH_PRICE_FACTOR,
  costUsd,
  DEFAULT_PRICES,
  priceFor,
  priceVia,
} from '../../src/score/pricing.ts';
import { createOpenAIBatchApi } from '../../src/score/transport/batch/batch-api.ts';
import type { PendingBatch } from '../../src/score/transport/batch/pending.ts';
import { createOpenAIJudge } from '../../src/score/transport/openai-client.ts';
import type { ChatRequestBody } from '../harness/servers/openai.ts';
import {
  baseOptions,
  fakeClock,
  judgeFixture,
  logger,
  MemoryJudgeCache,
  seededRng,
  tempDir,
} from './helpers.ts';

const API_KEY = 'sk-test-BATCH-0123456789abcdef';
const fx = judgeFixture(8, ['animal', 'human', 'object', 'style']);

afterEach(() => {
  fx.server.batch.set({});
  fx.server.batch.batches.length = 0;
  fx.server.batch.lines.length = 0;
  fx.server.batch.calls.length = 0;
});

const base = baseOptions(API_KEY, { scoring: 'expected' });

interface Run {
  items?: readonly ScoreItem[];
  options?: Partial<ScoreOptions>;
  batch?: Partial<NonNullable<ScoreOptions['batch']>> | false;
  deps?: Partial<ScoreDeps>;
  clock?: ReturnType<typeof fakeClock>;
}

/** The stage in batch mode (unless `batch: false`), the loopback's batches on the same fake clock. */
async function run(r: Run = {}) {
  const clock = r.clock ?? fakeClock();
  fx.server.batch.set({
    now: clock.now,
    durations: { validating: 500, inProgress: 5000, finalizing: 500 },
    ...batchServer,
  });
  const { lines, log } = logger();
  const endpoint = { apiKey: API_KEY, baseURL: fx.server.baseURL, timeoutMs: 5000 };
  const spoolDir = path.join(await tempDir(), 'spool');
  const result = await scoreSamples(
    r.items ?? fx.items,
    {
      transport: createOpenAIJudge(endpoint),
      batchApi: createOpenAIBatchApi(endpoint),
      clock,
      rng: seededRng(),
      log,
      ...r.deps,
    },
    {
      ...base,
      templates: fx.templates,
      ...(r.batch === false
        ? {}
        : {
            batch: {
              waitMs: 60 * 60_000,
              spoolDir,
              metadata: { run: 'https://github.com/o/r/actions/runs/7', configuration: 'abc123' },
              ...r.batch,
            },
          }),
      ...r.options,
    },
  );
  return { ...result, lines, clock, spoolDir };
}
let batchServer: Parameters<typeof fx.server.batch.set>[0] = {};
afterEach(() => (batchServer = {}));

/** A request's body, canonical: what the judge was asked, whichever way it came. */
const canonical = (body: ChatRequestBody) => JSON.stringify(body);

describe('batch judging', () => {
  it('judges every sample through one batch, with the bodies realtime sends, at half the cost', async () => {
    const realtime = await run({ batch: false });
    expect(realtime.failures).toEqual([]);
    const realtimeBodies = fx.server.requests.map((q) => canonical(q.body)).sort();
    fx.server.requests.length = 0;

    // One image prepared at a time: the round still waits for every judgment before it goes.
    const batch = await run({ options: { prepareConcurrency: 1 } });
    expect(batch.failures).toEqual([]);
    expect(batch.stats.scored).toBe(8);
    expect(fx.server.requests).toHaveLength(0); // not one realtime call
    expect(fx.server.batch.batches).toHaveLength(1);
    expect(fx.server.batch.lines.map((q) => canonical(q.body)).sort()).toEqual(realtimeBodies);
    // The same judgments: the loopback's scores depend on the request only.
    expect(batch.records.map((r) => [r.cp.score, r.pf.score])).toEqual(
      realtime.records.map((r) => [r.cp.score, r.pf.score]),
    );
    expect(batch.stats.scoringUsed).toEqual({ expected: 16, sampled: 0 }); // logprobs in batch bodies
    expect(batch.stats.tokens).toEqual(realtime.stats.tokens);
    expect(batch.stats.costUsd / realtime.stats.costUsd).toBeCloseTo(BATCH_PRICE_FACTOR, 10);
    expect(batch.stats).toMatchObject({
      judgingMode: 'batch',
      batch: { batches: 1, requests: 16, followUpBatches: 0, realtimeFollowUps: 0, collected: 0 },
    });
    expect(batch.stats.batch!.bytesUploaded).toBe(
      fx.server.batch.files.get(fx.server.batch.batches[0]!.inputFileId)!.bytes.length,
    );
    expect(batch.pending).toEqual([]);
    // The input files and the judge-size images kept on disk meanwhile are gone with the stage.
    expect(existsSync(batch.spoolDir)).toBe(false);
  });

  it('keeps each judge-size image in a file of its own while the batch runs, and judges those bytes', async () => {
    const spoolDir = path.join(await tempDir(), 'spool');
    let spooled: Buffer[] = [];
    batchServer = {
      fail: (method, route) => {
        if (method === 'POST' && route === '/batches') {
          const dir = path.join(spoolDir, 'images');
          spooled = readdirSync(dir).map((f) => readFileSync(path.join(dir, f)));
        }
        return undefined;
      },
    };
    const { records, failures } = await run({ batch: { spoolDir } });
    expect(failures).toEqual([]);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const judged = new Set(records.flatMap((r) => [r.imageSha256, r.referenceSha256]));
    expect(judged.size).toBe(8 + new Set(fx.items.map((i) => i.referencePath)).size);
    expect(new Set(spooled.map(sha))).toEqual(judged);
    // The lines carry those very bytes.
    const urls = fx.server.batch.lines.flatMap((q) =>
      JSON.stringify(q.body).match(/base64,[^"]+/g),
    );
    for (const b of spooled) expect(urls).toContain(`base64,${b.toString('base64')}`);
    expect(existsSync(spoolDir)).toBe(false);
  });

  it('names the run and configuration in metadata, and logs each poll with status and counts', async () => {
    const { lines } = await run();
    const created = fx.server.batch.batches[0]!;
    expect(created.metadata).toEqual({
      run: 'https://github.com/o/r/actions/runs/7',
      configuration: 'abc123',
      round: '1',
      file: '1/1',
    });
    const polls = lines.filter((l) => /^judge: batch batch_\w+: /.test(l));
    expect(polls.map((l) => l.replace(/batch_\w+/, 'B'))).toEqual([
      'judge: batch B: in_progress, 1/16 completed, 0 failed', // 1 s after submission
      'judge: batch B: in_progress, 8/16 completed, 0 failed', // t = 3 s
      'judge: batch B: completed, 16/16 completed, 0 failed', // t = 7 s
      'judge: batch B: read 16 replies and 0 failed lines',
    ]);
    expect(
      lines.some((l) => /submitted batch batch_\w+ \(round 1, file 1 of 1\): 16 requests/.test(l)),
    ).toBe(true);
  });

  it('splits the requests into files by bytes (images bind first) and by count, one model per batch', async () => {
    const one = await run({ items: fx.items.slice(0, 1) });
    const perLine = one.stats.batch!.bytesUploaded / 2;
    fx.server.batch.batches.length = 0;
    const limit = Math.ceil(perLine * 5.5);
    const bySize = await run({ batch: { limits: { requests: 50_000, bytes: limit } } });
    expect(bySize.failures).toEqual([]);
    const files = fx.server.batch.batches.map((b) => fx.server.batch.files.get(b.inputFileId)!);
    expect(files.length).toBeGreaterThan(2);
    expect(files.every((f) => f.bytes.length <= limit)).toBe(true);
    expect(files.reduce((n, f) => n + f.bytes.length, 0)).toBe(bySize.stats.batch!.bytesUploaded);

    fx.server.batch.batches.length = 0;
    const byCount = await run({ batch: { limits: { requests: 3, bytes: 200_000_000 } } });
    expect(byCount.failures).toEqual([]);
    expect(fx.server.batch.batches.map((b) => b.lines.length)).toEqual([3, 3, 3, 3, 3, 1]);
    expect(new Set(fx.server.batch.batches.map((b) => b.model))).toEqual(
      new Set(['gpt-4o-2024-08-06']),
    );
  });

  it('asks the few unusable replies again in realtime, and says so', async () => {
    const bad = new Set<string>();
    fx.server.set({
      respond: (q) => {
        if (q.batchLine && q.batchLine.customId.endsWith('-2')) {
          bad.add(q.batchLine.customId);
          return { kind: 'reply', text: 'I would rate it highly.' };
        }
        return undefined;
      },
    });
    const { failures, stats, lines, records } = await run();
    expect(failures).toEqual([]);
    expect(bad.size).toBe(1);
    expect(fx.server.batch.batches).toHaveLength(1);
    expect(fx.server.requests).toHaveLength(1); // the one ask again, in realtime
    expect(stats.batch).toMatchObject({ realtimeFollowUps: 1, followUpBatches: 0 });
    expect(
      lines.some((l) =>
        /asking 1 judgment\(s\) again in realtime \(at most 20 go realtime/.test(l),
      ),
    ).toBe(true);
    // Billed as it was carried: its batch reply at batch prices, the realtime ask at full price,
    // so the judgment costs more than all of its tokens at batch prices and less than at full.
    const twice = records
      .flatMap((r) => [...r.cp.judgments, ...r.pf.judgments])
      .filter((j) => j.attempts === 2);
    expect(twice).toHaveLength(1);
    const full = priceFor('gpt-4o-2024-08-06', DEFAULT_PRICES)!;
    const { usage, costUsd: cost } = twice[0]!;
    expect(cost).toBeGreaterThan(costUsd(usage, priceVia(full, 'batch')) * 1.05);
    expect(cost).toBeLessThan(costUsd(usage, full) * 0.95);
  });

  it('asks many again in a follow-up batch: failed lines and unparseable replies alike', async () => {
    fx.server.set({
      respond: (q) => {
        const id = q.batchLine?.customId ?? '';
        if (!id.startsWith('r1-')) return undefined;
        if (Number(id.slice(3)) % 4 === 0) return { kind: 'status', status: 500 };
        if (Number(id.slice(3)) % 4 === 1) return { kind: 'reply', text: 'no score here' };
        return undefined;
      },
    });
    const { failures, stats, lines } = await run({ batch: { realtimeFollowUps: 2 } });
    expect(failures).toEqual([]);
    expect(fx.server.requests).toHaveLength(0);
    expect(fx.server.batch.batches).toHaveLength(2);
    expect(fx.server.batch.batches[1]!.lines).toHaveLength(8);
    expect(stats.batch).toMatchObject({ followUpBatches: 1, realtimeFollowUps: 0, requests: 24 });
    expect(
      lines.some((l) => /asking 8 judgments again in a follow-up batch \(more than 2\)/.test(l)),
    ).toBe(true);
  });

  it("fails at once, with the hint, the lines of a batch over the account's enqueued-token limit (a follow-up would fail alike)", async () => {
    batchServer = { enqueuedTokenLimit: 1 };
    const { failures, lines, stats } = await run({ batch: { realtimeFollowUps: 0 } });
    expect(fx.server.batch.batches).toHaveLength(1);
    expect(stats.batch).toMatchObject({ batches: 1, followUpBatches: 0, realtimeFollowUps: 0 });
    expect(lines.some((l) => /again in a follow-up batch/.test(l))).toBe(false);
    expect(failures).toHaveLength(fx.items.length);
    for (const f of failures)
      expect(f.reason).toMatch(/token_limit_exceeded: .*enqueued-token limit for this model/);
  });

  it('does not ask again a line the account has no credit for (429 insufficient_quota): its judgments fail, said so', async () => {
    const quota = {
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    };
    fx.server.set({
      respond: (q) => (q.batchLine ? { kind: 'status', status: 429, body: quota } : undefined),
    });
    const { failures, stats } = await run({ batch: { realtimeFollowUps: 0 } });
    expect(fx.server.batch.batches).toHaveLength(1);
    expect(fx.server.requests).toHaveLength(0);
    expect(stats.batch).toMatchObject({ batches: 1, followUpBatches: 0, realtimeFollowUps: 0 });
    expect(failures).toHaveLength(fx.items.length);
    for (const f of failures) {
      expect(f.kind).toBe('quota');
      expect(f.reason).toMatch(/insufficient_quota\): add credit or billing/);
    }
  });

  it('asks again, in realtime here, the requests a batch did not run before its window expired', async () => {
    batchServer = { completionWindowMs: 60_000, durations: { inProgress: 120_000 } };
    const { failures, stats } = await run();
    expect(failures).toEqual([]);
    expect(fx.server.batch.status(fx.server.batch.batches[0]!.id)).toBe('expired');
    expect(stats.batch!.realtimeFollowUps).toBe(8); // half the lines ran before the window closed
    expect(fx.server.requests).toHaveLength(8);
  });

  it('names the batch wait, not judge-time-budget-minutes, when its realtime calls run out of time', async () => {
    // Every realtime call is answered 429: the probe of a model not known waits until no call may start.
    fx.server.set({
      respond: (q) =>
        q.batchLine
          ? undefined
          : { kind: 'status', status: 429, headers: { 'retry-after-ms': '60000' } },
    });
    const { failures, clock } = await run({
      batch: { waitMs: 60_000 },
      options: { model: 'gpt-5-judge-preview', timeBudgetMs: 120 * 60_000 },
    });
    const stopped = failures.filter((f) => /time budget exhausted/.test(f.reason));
    expect(stopped).toHaveLength(1); // the probe; the rest went in a batch, left pending
    expect(stopped[0]!.reason).toMatch(
      /time budget exhausted \(judge-batch-wait-minutes: 1, and 15 minutes after it for realtime calls\)/,
    );
    expect(stopped[0]!.reason).not.toMatch(/judge-time-budget-minutes/);
    expect(clock.now()).toBeLessThan(120 * 60_000);
  });

  it('learns a refused parameter from the batch lines and asks those again with what the model takes', async () => {
    fx.server.set({ reasoning: { reasoningTokens: 100 } });
    const { failures, stats } = await run({ batch: { realtimeFollowUps: 0 } });
    expect(failures).toEqual([]);
    expect(fx.server.requests).toHaveLength(0);
    expect(Object.keys(stats.refusedParameters).sort()).toEqual(['logprobs', 'max_tokens']);
    expect(stats.scoringUsed.sampled).toBe(16);
    const last = fx.server.batch.batches.at(-1)!;
    expect(
      last.lines.every((l) => l.body?.max_completion_tokens !== undefined && !l.body?.logprobs),
    ).toBe(true);
  });

  it('probes a model whose parameters are not known with one realtime call, then batches the rest', async () => {
    fx.server.set({ reasoning: { reasoningTokens: 100 } });
    const { failures } = await run({ options: { model: 'gpt-5-mini' } });
    expect(failures).toEqual([]);
    // The probe learns max_tokens and logprobs in three realtime requests; 15 go in one batch.
    expect(fx.server.requests.map((q) => q.body.max_tokens === undefined)).toEqual([
      false,
      true,
      true,
    ]);
    expect(fx.server.batch.batches).toHaveLength(1);
    expect(fx.server.batch.batches[0]!.lines).toHaveLength(15);
  });

  it('takes repeats, the cache and the cost cap as realtime does', async () => {
    const cache = new MemoryJudgeCache();
    const first = await run({ options: { repeats: 2 }, deps: { cache } });
    expect(first.failures).toEqual([]);
    expect(fx.server.batch.batches[0]!.lines).toHaveLength(32);
    fx.server.batch.batches.length = 0;
    const again = await run({ options: { repeats: 2 }, deps: { cache } });
    expect(again.stats.cacheHits).toBe(32);
    expect(fx.server.batch.batches).toHaveLength(0);

    // The cap holds at batch prices: samples judged while it fits, in as many rounds as that takes.
    fx.server.batch.batches.length = 0;
    const capped = await run({ options: { maxCostUsd: 0.006, scoring: 'sampled' } });
    const budget = capped.failures.filter((f) => f.stage === 'budget');
    expect(budget.length).toBeGreaterThan(0);
    expect(budget.length).toBeLessThan(8);
    expect(capped.stats.costUsd).toBeLessThanOrEqual(0.006);
    expect(capped.stats.scored + budget.length).toBe(8);
    expect(fx.server.batch.batches.length).toBeGreaterThan(1);
    expect(fx.server.requests).toHaveLength(0);
  });

  it('sends a judgment once when a twin of the same inputs waits for it (the cache shares it)', async () => {
    const twin = {
      ...fx.items[0]!,
      sample: { ...fx.items[0]!.sample, id: 'animal_00_thing-twin' },
    };
    const { failures, stats } = await run({
      items: [fx.items[0]!, twin, fx.items[1]!],
      deps: { cache: new MemoryJudgeCache() },
    });
    expect(failures).toEqual([]);
    expect(fx.server.batch.batches).toHaveLength(1);
    expect(fx.server.batch.batches[0]!.lines).toHaveLength(4);
    expect(stats.cacheHits).toBe(2);
  });
});

describe('a batch that outlasts the wait', () => {
  it('fails its judgments as pending and records the batch; the next run collects it without a second batch', async () => {
    batchServer = { hold: true };
    const first = await run({ batch: { waitMs: 60_000 } });
    expect(first.stats.scored).toBe(0);
    expect(first.failures.every((f) => f.kind === 'pending')).toBe(true);
    expect(first.failures[0]!.reason).toMatch(
      /still in_progress when judge-batch-wait-minutes: 1 ran out; it is recorded/,
    );
    expect(first.pending).toHaveLength(1);
    const recorded: PendingBatch = first.pending[0]!;
    expect(recorded.id).toBe(fx.server.batch.batches[0]!.id);
    expect(recorded.lines).toHaveLength(16);
    expect(first.lines.some((l) => /left running and recorded for the next run/.test(l))).toBe(
      true,
    );
    expect(first.clock.now()).toBeLessThanOrEqual(60_000);

    fx.server.batch.release();
    const record = JSON.parse(JSON.stringify(first.pending)) as PendingBatch[];
    const next = await run({ deps: { pendingBatches: record }, clock: first.clock });
    expect(next.failures).toEqual([]);
    expect(fx.server.batch.batches).toHaveLength(1); // the same batch, collected
    expect(fx.server.requests).toHaveLength(0);
    expect(next.stats.batch).toMatchObject({ collected: 16, batches: 0 });
    // The collecting run books what the batch cost, at batch prices.
    const batchPrice = priceVia(priceFor('gpt-4o-2024-08-06', DEFAULT_PRICES)!, 'batch');
    expect(next.stats.costUsd).toBeGreaterThan(0);
    expect(next.stats.costUsd).toBeCloseTo(costUsd(next.stats.tokens, batchPrice), 10);
    expect(next.pending).toEqual([]);
    // No input file was written, but its judge-size images were kept on disk: gone all the same.
    expect(existsSync(next.spoolDir)).toBe(false);
  });

  it("keeps the endpoint's words out of the record: a key echoed in a batch's status is redacted", async () => {
    batchServer = { hold: true };
    const first = await run({ batch: { waitMs: 0 } });
    const id = first.pending[0]!.id;
    const echoed = { id, object: 'batch', status: `in_progress ${API_KEY}`, request_counts: null };
    batchServer = {
      hold: true,
      fail: (method, route) =>
        method === 'GET' && route === '/batches/{id}' ? { status: 200, body: echoed } : undefined,
    };
    const next = await run({ batch: { waitMs: 0 }, deps: { pendingBatches: first.pending } });
    expect(next.pending.map((b) => b.id)).toEqual([id]);
    // The echoed status did arrive, in the record and the poll's log line, with the key masked.
    expect(next.pending[0]!.status).toBe('in_progress ***');
    expect(next.lines.some((l) => l.includes(`batch ${id}: in_progress ***,`))).toBe(true);
    expect(JSON.stringify(next.pending)).not.toContain(API_KEY);
    expect(next.lines.join('\n')).not.toContain(API_KEY);
    expect(JSON.stringify(next.failures)).not.toContain(API_KEY);
  });

  it("keeps the endpoint's words out of the log while it tries a status read again: a key echoed in a batch's id is redacted", async () => {
    const secret = 'sk0proxy0key0without0dashes';
    const secrets = { options: { secrets: [API_KEY, secret] } };
    batchServer = { hold: true };
    const first = await run({ batch: { waitMs: 0 }, ...secrets });
    const echoed: PendingBatch = { ...first.pending[0]!, id: `batch_${secret}` };
    batchServer = {
      hold: true,
      fail: (method, route) =>
        method === 'GET' && route === '/batches/{id}' ? { status: 503 } : undefined,
    };
    const next = await run({
      batch: { waitMs: 0 },
      deps: { pendingBatches: [echoed] },
      ...secrets,
    });
    expect(
      next.lines.some((l) => /batch batch_\*\*\*: status: .*503.*; trying again/.test(l)),
    ).toBe(true);
    expect(next.lines.join('\n')).not.toContain(secret);
    expect(JSON.stringify(next.pending)).not.toContain(secret);
  });

  it('stays pending, carried on and never batched twice, while it outlasts the next wait too', async () => {
    batchServer = { hold: true };
    const first = await run({ batch: { waitMs: 30_000 } });
    const next = await run({
      batch: { waitMs: 30_000 },
      deps: { pendingBatches: first.pending },
      clock: first.clock,
    });
    expect(fx.server.batch.batches).toHaveLength(1);
    expect(next.failures.every((f) => f.kind === 'pending')).toBe(true);
    expect(next.pending.map((b) => b.id)).toEqual([first.pending[0]!.id]);
  });

  it('asks afresh what a recorded batch the key cannot read would have answered', async () => {
    batchServer = { hold: true };
    const first = await run({ batch: { waitMs: 0 } });
    const unknown: PendingBatch = { ...first.pending[0]!, id: 'batch_of_another_org' };
    batchServer = {};
    const { failures, stats, lines } = await run({ deps: { pendingBatches: [unknown] } });
    expect(failures).toEqual([]);
    expect(stats.batch).toMatchObject({ batches: 1, requests: 16, collected: 0 });
    expect(fx.server.batch.batches).toHaveLength(2);
    expect(lines.some((l) => /batch batch_of_another_org cannot be read \(.*404/.test(l))).toBe(
      true,
    );
  });

  it('records with a batch still running the batches it did read, so that no answer is paid twice without the cache', async () => {
    batchServer = { hold: true };
    // Two batches: the first finishes within the wait, the second outlasts it.
    const log = {
      info: (m: string) => {
        const first = /^judge: submitted batch (batch_\w+) \(round 1, file 1 of 2\)/.exec(m);
        if (first) fx.server.batch.release(first[1]);
      },
      warn() {},
    };
    const limits = { requests: 8, bytes: 200_000_000 };
    const first = await run({ batch: { waitMs: 60_000, limits }, deps: { log } });
    // Samples with both lines in the first are scored; the others wait on the second.
    expect(first.failures.length).toBeGreaterThan(0);
    expect(first.failures.every((f) => f.kind === 'pending')).toBe(true);
    expect(first.stats.scored + first.failures.length).toBe(8);
    const [read, running] = fx.server.batch.batches;
    expect(fx.server.batch.status(read!.id)).toBe('completed');
    expect(first.pending.map((b) => [b.id, b.status])).toEqual([
      [read!.id, 'completed'],
      [running!.id, 'in_progress'],
    ]);

    fx.server.batch.release();
    const next = await run({ deps: { pendingBatches: first.pending }, clock: first.clock });
    expect(next.failures).toEqual([]);
    expect(fx.server.batch.batches).toHaveLength(2); // nothing asked again
    expect(next.stats.batch).toMatchObject({ collected: 16, batches: 0 });
    expect(next.pending).toEqual([]);
  });

  it('asks afresh what a recorded batch cancelled meanwhile (in the dashboard) did not run', async () => {
    batchServer = { hold: true };
    const first = await run({ batch: { waitMs: 0 } });
    const id = first.pending[0]!.id;
    const endpoint = { apiKey: API_KEY, baseURL: fx.server.baseURL, timeoutMs: 5000 };
    await createOpenAIBatchApi(endpoint).cancel(id);
    await first.clock.sleep(10_000);
    expect(fx.server.batch.status(id)).toBe('cancelled');

    batchServer = {};
    const next = await run({ deps: { pendingBatches: first.pending }, clock: first.clock });
    expect(next.failures).toEqual([]);
    expect(next.stats.batch).toMatchObject({ collected: 0, batches: 1, requests: 16 });
    expect(next.pending).toEqual([]);
  });

  it('is collected by a realtime run once finished, and kept while still running', async () => {
    batchServer = { hold: true };
    const first = await run({ batch: { waitMs: 0 } });
    expect(first.pending).toHaveLength(1);
    const clock = first.clock; // the loopback's batches keep their time across the runs
    const running = await run({ batch: false, deps: { pendingBatches: first.pending }, clock });
    expect(running.failures).toEqual([]);
    expect(fx.server.requests).toHaveLength(16); // not finished: judged in realtime, batch kept
    expect(running.pending.map((b) => b.id)).toEqual([first.pending[0]!.id]);

    fx.server.requests.length = 0;
    fx.server.batch.release();
    await clock.sleep(10_000);
    const collected = await run({ batch: false, deps: { pendingBatches: first.pending }, clock });
    expect(collected.failures).toEqual([]);
    expect(fx.server.requests).toHaveLength(0);
    expect(collected.stats.batch!.collected).toBe(16);
    expect(collected.pending).toEqual([]);
  });

  it('cancels its unfinished batches when the job is cancelled, and says so', async () => {
    batchServer = { hold: true, durations: { cancelling: 1000 } };
    const job = new AbortController();
    const lines: string[] = [];
    const log = {
      info: (m: string) => {
        lines.push(m);
        if (/^judge: batch .*: in_progress/.test(m)) job.abort();
      },
      warn: (m: string) => lines.push(m),
    };
    const { failures, pending } = await run({ deps: { signal: job.signal, log } });
    const id = fx.server.batch.batches[0]!.id;
    expect(fx.server.batch.status(id)).toBe('cancelling');
    expect(fx.server.batch.calls).toContain('POST /batches/{id}/cancel');
    expect(failures.every((f) => f.kind === 'cancelled')).toBe(true);
    expect(failures[0]!.reason).toMatch(/the job was cancelled, and batch batch_\w+ with it/);
    expect(
      lines.some((l) =>
        /cancelled batch batch_\w+ with the job \(cancelling\): OpenAI bills only the requests it completed, 0 of 16/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(pending).toEqual([]);
  });
});
