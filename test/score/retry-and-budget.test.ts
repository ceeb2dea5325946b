import { describe, expect, it } from 'vitest';
import { Budget } from '../../src/score/budget.ts';
import { PriceTableError } from '../../src/score/errors.ts';
import {
  costUsd,
  DEFAULT_PRICES,
  estimateCallUsage,
  parsePriceOverrides,
  priceFor,
} from '../../src/score/pricing.ts';
import { redact } from '../../src/score/transport/redact.ts';
import { backoffDelayMs, parseRetryAfter } from '../../src/score/transport/retry-policy.ts';

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
    expect(() => parsePriceOverrides('nope')).toThrow(
      /^Environment variable DREAMBENCH_PRICES "nope"/,
    );
    expect(parsePriceOverrides(undefined)).toEqual({});
  });
  it('estimates detail-high image tokens as OpenAI counts them', () => {
    expect(estimateCallUsage(512, 1, 0).promptTokens).toBe(255 + 20);
    expect(estimateCallUsage(1024, 1, 0).promptTokens).toBe(85 + 170 * 4 + 20);
  });
});

describe('Budget', () => {
  it('holds a whole sample, books real costs and lets the estimate follow them', async () => {
    const budget = new Budget(0.1, 0.03);
    const a = (await budget.open(2))!;
    expect(a.reserved).toBeCloseTo(0.06, 10);
    const first = budget.beginCall(a)!;
    const second = budget.beginCall(a)!; // both calls fit in the hold
    expect([first, second]).toEqual([0.03, 0.03]);
    budget.endCall(a, first, 0.01); // real calls are cheaper: the estimate follows them
    expect(budget.expectedCallUsd).toBeCloseTo(0.01, 10);
    budget.endCall(a, second, undefined); // a timeout: not billed, not averaged
    expect(budget.expectedCallUsd).toBeCloseTo(0.01, 10);
    expect(budget.spentUsd).toBeCloseTo(0.01, 10);
  });

  it('makes a refused hold wait while others are open, then grants it when one settles cheaper', async () => {
    const budget = new Budget(0.1, 0.03);
    const a = (await budget.open(2))!; // 0.06 held
    let b: unknown = 'pending';
    const waiting = budget.open(2).then((hold) => (b = hold)); // 0.06 + 0.06 > 0.1: waits
    await Promise.resolve();
    expect(b).toBe('pending');
    const call = budget.beginCall(a)!;
    budget.endCall(a, call, 0.01);
    budget.close(a); // spent 0.01; the next sample is expected at 2 x 0.01
    await waiting;
    expect(b).toMatchObject({ reserved: 0.02 });
    expect(budget.exhausted).toBe(false);
  });

  it('refuses for good once a hold does not fit with none open', async () => {
    const budget = new Budget(0.05, 0.03);
    expect(await budget.open(2)).toBeUndefined(); // 0.06 > 0.05 with nothing outstanding
    expect(budget.exhausted).toBe(true);
    expect(await budget.open(1)).toBeUndefined(); // 0.03 would fit, but the budget is spent
  });

  it('wakes every waiter with a refusal when the last hold closes without room', async () => {
    const budget = new Budget(0.07, 0.03);
    const a = (await budget.open(2))!;
    const waiters = [budget.open(2), budget.open(2)];
    const call = budget.beginCall(a)!;
    budget.endCall(a, call, 0.03);
    const again = budget.beginCall(a)!;
    budget.endCall(a, again, 0.03);
    budget.close(a); // spent 0.06: 0.06 more does not fit, and nothing is open
    expect(await Promise.all(waiters)).toEqual([undefined, undefined]);
    expect(budget.spentUsd).toBeLessThanOrEqual(0.07);
  });

  it('tops a hold up for a retry only when the cap leaves room', async () => {
    const budget = new Budget(0.1, 0.03);
    const a = (await budget.open(1))!;
    const b = (await budget.open(2))!; // 0.03 + 0.06 = 0.09 committed
    const first = budget.beginCall(a)!;
    budget.endCall(a, first, 0.03);
    expect(budget.beginCall(a)).toBeUndefined(); // a retry: 0.09 + 0.03 > 0.1
    budget.close(b);
    expect(budget.beginCall(a)).toBeCloseTo(0.03, 10); // b gave its hold back
  });

  it('never refuses without a cap', async () => {
    const budget = new Budget(undefined, 1e9);
    const hold = (await budget.open(100))!;
    expect(budget.beginCall(hold)).toBe(1e9);
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

  it('removes a key of any shape it is given (an Azure key is 32 hex characters)', () => {
    const azure = '0123456789abcdef0123456789abcdef';
    expect(redact(`Access denied due to invalid subscription key ${azure}.`, [azure])).toBe(
      'Access denied due to invalid subscription key ***.',
    );
  });
});
