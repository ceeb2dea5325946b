// Reads what an answer says about the account's limits (pure). OpenAI sends, on every answer:
//   x-ratelimit-limit-{requests,tokens}      what a full bucket holds
//   x-ratelimit-remaining-{requests,tokens}  what is left now
//   x-ratelimit-reset-{requests,tokens}      until the bucket is full again: `1s`, `6m0s`, `350ms`
// and a 429 may add `retry-after-ms` / `retry-after`, and says "Please try again in 2.882s." in
// its message (https://platform.openai.com/docs/guides/rate-limits). Azure sends the same names;
// values it cannot give are `-1`, taken here as not given.
import type { RateLimitHeaders } from './judge-transport.ts';
import { parseRetryAfter } from './retry-policy.ts';

const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000001,
};

/**
 * A Go duration (`6m0s`, `1.5s`, `350ms`, `1h2m3.5s`) or a plain number of seconds, in ms;
 * `undefined` for anything else.
 */
export function parseDuration(text: string | null | undefined): number | undefined {
  const value = text?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const part = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;
  let total = 0;
  let end = 0;
  for (let m = part.exec(value); m; m = part.exec(value)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    end = part.lastIndex;
  }
  return end === value.length && end > 0 ? total : undefined;
}

function count(text: string | null | undefined): number | undefined {
  const value = text?.trim();
  if (!value || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  return Number(value);
}

/** "Please try again in 2.882s" / "in 350ms" / "in 6m0s" of a 429 message, ms. */
export function retryHintInMessage(message: string | undefined): number | undefined {
  const m = /try again in (\d[\dhmsµun.]*)/i.exec(message ?? '');
  return m ? parseDuration(m[1]!.replace(/\.$/, '')) : undefined;
}

/**
 * The limits an answer reports; fields it does not give are absent. `get` looks a header up by
 * lower-case name; `nowMs` dates an HTTP-date `retry-after`; `message` is a 429's error text.
 */
export function readRateLimits(
  get: (name: string) => string | null | undefined,
  nowMs: number,
  message?: string,
): RateLimitHeaders {
  const out: Record<string, number> = {};
  const set = (key: keyof RateLimitHeaders, value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value)) out[key] = value;
  };
  set('limitTokens', count(get('x-ratelimit-limit-tokens')));
  set('remainingTokens', count(get('x-ratelimit-remaining-tokens')));
  set('resetTokensMs', parseDuration(get('x-ratelimit-reset-tokens')));
  set('limitRequests', count(get('x-ratelimit-limit-requests')));
  set('remainingRequests', count(get('x-ratelimit-remaining-requests')));
  set('resetRequestsMs', parseDuration(get('x-ratelimit-reset-requests')));
  set('retryAfterMs', parseRetryAfter(get, nowMs) ?? retryHintInMessage(message));
  return out;
}
