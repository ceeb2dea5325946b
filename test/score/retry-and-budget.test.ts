import { describe, expect, it } from 'vitest';
import { Budget } from '../../src/score/budget.ts';
import { RateGate } from '../../src/score/clock.ts';
import { PriceTableError } from '../../src/score/errors.ts';
import {
  costUsd,
  DEFAULT_PRICES,
  estimateCallUsage,
  parsePriceOverrides,
  priceFor,
} from '../../src/score/pricing.ts';
import { redact } from '../../src/score/redact.ts';
import { backoffDelayMs, parseRetryAfter } from '../../src/score/retry-policy.ts';
import { fakeClock } from './helpers.ts';

const opts = { baseMs: 100, capMs: 1000, maxRetryAfterMs: 10_000 };

describe('backoffDelayMs', () => {
  it('grows exponentially with jitter in [half, full] and stops at the cap', () => {
    expect(backoffDelayMs(1, () => 0, opts)).toBe(50);
    expect(backoffDelayMs(1, () => 0.999999, opts)).toBeCloseTo(100, 3);
    expect(backoffDelayMs(3, () => 0, opts)).toBe(200);
    expect(backoffDelayMs(20, () => 1, opts)).toBe(1000);
  });
  it('uses the server-requested wait, clamped to the maximum', () => {
    expect(backoffDelayMs(1, () => 0.5, opts, 2500)).toBe(2500);
    expect(backoffDelayMs(1, () => 0.5, opts, 99_000)).toBe(10_000);
  });
});

describe('parseRetryAfter', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name];
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), 0)).toBe(
      1500,
    );
    expect(parseRetryAfter(headers({ 'retry-after': '2' }), 0)).toBe(2000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now)).toBe(
      3000,
    );
    expect(parseRetryAfter(headers({}), 0)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), 0)).toBeUndefined();
  });
});

describe('RateGate', () => {
  it('holds every caller until the latest pause ends', async () => {
    const clock = fakeClock();
    const gate = new RateGate(clock);
    gate.pauseFor(500);
    gate.pauseFor(200); // shorter: does not shorten the pause
    await Promise.all([gate.pass(), gate.pass()]);
    expect(clock.now()).toBeGreaterThanOrEqual(500);
    expect(gate.pauses).toBe(1);
  });
});

describe('pricing', () => {
  it('prices dated snapshots by the longest matching family and bills cached tokens at the cached rate', () => {
    expect(priceFor('gpt-4o-mini-2099-01-01', DEFAULT_PRICES)).toEqual(
      DEFAULT_PRICES['gpt-4o-mini'],
    );
    expect(priceFor('gpt-4o-2024-05-13', DEFAULT_PRICES)?.input).toBe(5);
    expect(priceFor('llava-13b', DEFAULT_PRICES)).toBeUndefined();
    const usage = { promptTokens: 1_000_000, completionTokens: 100_000, cachedTokens: 400_000 };
    expect(costUsd(usage, { input: 2.5, cachedInput: 1.25, output: 10 })).toBeCloseTo(
      0.6 * 2.5 + 0.4 * 1.25 + 1,
      10,
    );
  });
  it('reads DREAMBENCH_PRICES and names the bad field', () => {
    expect(parsePriceOverrides('{"my-vlm":{"input":1,"output":2}}')).toEqual({
      'my-vlm': { input: 1, cachedInput: 1, output: 2 },
    });
    expect(() => parsePriceOverrides('{"m":{"input":-1,"output":2}}')).toThrow(/m\.input is -1/);
    expect(() => parsePriceOverrides('nope')).toThrow(PriceTableError);
    expect(parsePriceOverrides(undefined)).toEqual({});
  });
  it('estimates detail-high image tokens as OpenAI counts them', () => {
    expect(estimateCallUsage(512, 1, 0).promptTokens).toBe(255 + 20);
    expect(estimateCallUsage(1024, 1, 0).promptTokens).toBe(85 + 170 * 4 + 20);
  });
});

describe('Budget', () => {
  it('refuses a call whose expected cost would pass the cap, counting calls in flight', () => {
    const budget = new Budget(0.1, 0.03);
    const a = budget.reserve();
    const b = budget.reserve();
    const c = budget.reserve();
    expect([a, b, c]).toEqual([0.03, 0.03, 0.03]);
    expect(budget.reserve()).toBeUndefined(); // 0.09 reserved + 0.03 > 0.1
    budget.settle(a!, 0.01); // real calls are cheaper: the estimate follows them
    expect(budget.expectedCallUsd).toBeCloseTo(0.01, 10);
    budget.settle(b!, undefined); // a timeout: not billed, not averaged
    expect(budget.expectedCallUsd).toBeCloseTo(0.01, 10);
    expect(budget.reserve()).toBeCloseTo(0.01, 10);
  });
  it('never refuses without a cap', () => {
    const budget = new Budget(undefined, 1e9);
    expect(budget.reserve()).toBe(1e9);
  });
});

describe('redact', () => {
  it('removes the key and key-shaped strings, even half-masked', () => {
    const out = redact('Incorrect API key provided: sk-abc123secretXYZ and sk-abc1*****XYZ', [
      'sk-abc123secretXYZ',
    ]);
    expect(out).not.toContain('secret');
    expect(out).not.toContain('abc1');
  });
});
