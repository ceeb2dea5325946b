// The judge stage within an account's limits, on fake time shared with the loopback judge's
// token bucket (so waits are virtual and the counts are deterministic): a 429 is never a failed
// try, waits follow the x-ratelimit-* headers, workers do not stampede after a pause, concurrency
// adapts, the stage's time budget bounds the waiting, and progress is reported.
import { describe, expect, it } from 'vitest';
import { scoreSamples } from '../../src/score/score-samples.ts';
import type { JudgeTransport } from '../../src/score/transport/judge-transport.ts';
import { createOpenAIJudge } from '../../src/score/transport/openai-client.ts';
import { estimateCharge, type RateLimitOptions } from '../harness/servers/openai-limits.ts';
import { baseOptions, fakeClock, judgeFixture, seededRng } from './helpers.ts';

const API_KEY = 'sk-test-LIMITS-0123456789abcdef';

const fx = judgeFixture(30, ['animal', 'human', 'object', 'style']);

const base = baseOptions(API_KEY, { concurrency: 8 });

/** A CP request of these tests is charged about this much at today's right-sized limits. */
const CALL = 1200;

function transport(): JudgeTransport {
  return createOpenAIJudge({ apiKey: API_KEY, baseURL: fx.server.baseURL, timeoutMs: 5000 });
}

/** The server's bucket on the test's fake clock, so that virtual waits refill it. */
function limited(clock: { now(): number }, limits: Omit<RateLimitOptions, 'now'>) {
  fx.server.set({ rateLimits: { ...limits, now: () => clock.now() } });
}

function logger() {
  const lines: Array<{ at: number; text: string }> = [];
  return (clock: { now(): number }) => ({
    lines,
    log: {
      info: (m: string) => lines.push({ at: clock.now(), text: m }),
      warn: (m: string) => lines.push({ at: clock.now(), text: m }),
    },
  });
}

const share429 = () =>
  fx.server.answers.filter((a) => a.status === 429).length / Math.max(1, fx.server.answers.length);

describe('a 429 for rate limits', () => {
  it('is never a failed try: a call refused more often than the attempt limit still scores', async () => {
    const clock = fakeClock();
    fx.server.set({
      respond: (_r, i) =>
        i < 8 ? { kind: 'status', status: 429, headers: { 'retry-after-ms': '500' } } : undefined,
    });
    const { failures, stats, records } = await scoreSamples(
      fx.items.slice(0, 1),
      { transport: transport(), clock, rng: seededRng() },
      { ...base, templates: fx.templates, concurrency: 1, maxTransportAttempts: 6 },
    );
    expect(failures).toEqual([]);
    expect(records[0]!.scored).toBe(true);
    expect(stats.rateLimited).toBe(8);
  });

  it('waits for x-ratelimit-reset-tokens when the 429 carries no retry-after (minute forms too)', async () => {
    const clock = fakeClock();
    // Two calls fit; the next waits ~4 minutes for 1,200 tokens at 5 a second ("3m40s"-style resets).
    limited(clock, { tokens: { capacity: 2.2 * CALL, refillPerSecond: 5 }, retryAfter: false });
    const { failures, stats } = await scoreSamples(
      fx.items.slice(0, 2),
      { transport: transport(), clock, rng: seededRng() },
      { ...base, templates: fx.templates, concurrency: 1 },
    );
    expect(failures).toEqual([]);
    expect(stats.rateLimited).toBeLessThanOrEqual(1);
    expect(clock.now()).toBeGreaterThan(2 * 60_000); // it did wait, virtually
  });

  it('does not release every waiting worker at once when a pause ends', async () => {
    const clock = fakeClock();
    const sentAt: number[] = [];
    const inner = transport();
    const recording: JudgeTransport = {
      complete(request) {
        sentAt.push(clock.now());
        return inner.complete(request);
      },
    };
    // Room for four calls, then one call's worth a second.
    limited(clock, { tokens: { capacity: 4 * CALL, refillPerSecond: CALL } });
    const { failures } = await scoreSamples(
      fx.items.slice(0, 12),
      { transport: recording, clock, rng: seededRng() },
      { ...base, templates: fx.templates, concurrency: 8 },
    );
    expect(failures).toEqual([]);
    const burst = new Map<number, number>();
    for (const at of sentAt.slice(8)) burst.set(at, (burst.get(at) ?? 0) + 1);
    expect(Math.max(...burst.values())).toBeLessThanOrEqual(2);
    // The first eight go out before any answer told the limits: four of them may be refused.
    expect(fx.server.answers.filter((a) => a.status === 429).length).toBeLessThanOrEqual(5);
  });

  it('stays within the bucket: every sample scored, at most 5% of answers 429', async () => {
    const clock = fakeClock();
    limited(clock, {
      tokens: { capacity: 6 * CALL, refillPerSecond: 2 * CALL },
      requests: { capacity: 20, refillPerSecond: 4 },
    });
    const { failures, records } = await scoreSamples(
      fx.items.slice(0, 24),
      { transport: transport(), clock, rng: seededRng() },
      { ...base, templates: fx.templates, concurrency: 6 },
    );
    expect(failures).toEqual([]);
    expect(records.every((r) => r.scored)).toBe(true);
    expect(share429()).toBeLessThanOrEqual(0.05);
  });

  it('calibrates its estimate from the remaining tokens the answers report', async () => {
    const clock = fakeClock();
    // The account charges half as much again as the client can know from the request.
    limited(clock, {
      tokens: { capacity: 6 * CALL, refillPerSecond: 2 * CALL },
      estimate: (body) => Math.ceil(1.5 * estimateCharge(body)),
    });
    const { failures } = await scoreSamples(
      fx.items.slice(0, 24),
      { transport: transport(), clock, rng: seededRng() },
      { ...base, templates: fx.templates, concurrency: 4 },
    );
    expect(failures).toEqual([]);
    expect(share429()).toBeLessThanOrEqual(0.1);
  });

  it('halves the calls in flight under pressure and climbs back to the ceiling', async () => {
    const clock = fakeClock();
    // In flight as the client sees it, at each send, and whether a 429 had come back before.
    const sends: Array<{ inFlight: number; after429: boolean }> = [];
    let inFlight = 0;
    let seen429 = false;
    const inner = transport();
    const counting: JudgeTransport = {
      async complete(request) {
        inFlight += 1;
        sends.push({ inFlight, after429: seen429 });
        try {
          return await inner.complete(request);
        } catch (error) {
          seen429 = true;
          throw error;
        } finally {
          inFlight -= 1;
        }
      },
    };
    fx.server.set({
      latencyMs: 15,
      // A limit without headers (a proxy): three refusals after the first 20 calls.
      respond: (_r, i) =>
        i >= 20 && i < 23
          ? { kind: 'status', status: 429, headers: { 'retry-after-ms': '1000' } }
          : undefined,
    });
    const { failures } = await scoreSamples(
      fx.items.slice(0, 30),
      { transport: counting, clock, rng: seededRng() },
      { ...base, templates: fx.templates, concurrency: 8, repeats: 2 },
    );
    expect(failures).toEqual([]);
    const before = sends.filter((s) => !s.after429);
    const after = sends.filter((s) => s.after429);
    expect(Math.max(...before.map((s) => s.inFlight))).toBe(8);
    // Just after the refusals: at most half the ceiling in flight...
    expect(Math.max(...after.slice(0, 4).map((s) => s.inFlight))).toBeLessThanOrEqual(4);
    // ...and back at the ceiling before the end.
    expect(Math.max(...after.slice(40).map((s) => s.inFlight))).toBe(8);
  });
});

describe('the judge time budget', () => {
  it('lists the samples it could not reach as failed, naming the budget', async () => {
    const clock = fakeClock();
    // Two and a half calls, then one call a minute: a 2-minute budget reaches four or five.
    limited(clock, { tokens: { capacity: 2.5 * CALL, refillPerSecond: CALL / 60 } });
    const { failures, records } = await scoreSamples(
      fx.items.slice(0, 6),
      { transport: transport(), clock, rng: seededRng() },
      { ...base, templates: fx.templates, concurrency: 4, timeBudgetMs: 120_000 },
    );
    const scored = records.filter((r) => r.scored).length;
    expect(scored).toBeGreaterThan(0);
    expect(scored).toBeLessThan(6);
    expect(failures).toHaveLength(6 - scored);
    for (const f of failures) {
      expect(f).toMatchObject({ stage: 'judge', kind: 'rate-limit' });
      expect(f.reason).toMatch(
        /rate limit: judge time budget exhausted \(judge-time-budget-minutes: 2\)/,
      );
    }
    expect(clock.now()).toBeLessThan(120_000 + 10_000);
  });
});

describe('progress', () => {
  it('logs done/total, calls and tokens per minute against the limit, 429s and the time left, every 15-30 s', async () => {
    const clock = fakeClock();
    const { lines, log } = logger()(clock);
    limited(clock, { tokens: { capacity: 3 * CALL, refillPerSecond: CALL / 10 } });
    await scoreSamples(
      fx.items.slice(0, 6),
      { transport: transport(), clock, rng: seededRng(), log },
      { ...base, templates: fx.templates, concurrency: 4 },
    );
    const progress = lines.filter((l) => /^judge: \d+\/12 judgments/.test(l.text));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[0]!.text).toMatch(
      /^judge: \d+\/12 judgments \(\d+%\), [\d.]+ calls\/min, [\d,]+ tokens\/min of [\d,]+ allowed, \d+ answered 429 so far, about .+ left$/,
    );
    const gaps = progress.slice(1).map((l, i) => l.at - progress[i]!.at);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(15_000);
      expect(gap).toBeLessThanOrEqual(30_000);
    }
  });
});
