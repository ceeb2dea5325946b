// When to try a judge call again and how long to wait (pure; randomness and time are injected).

export interface BackoffOptions {
  /** First delay before jitter, ms. */
  readonly baseMs: number;
  /** Upper bound of the exponential delay before jitter, ms. */
  readonly capMs: number;
  /** Longest server-requested wait we honour, ms; longer requests are clamped to it. */
  readonly maxRetryAfterMs: number;
}

/**
 * Failures of the service, not of the request: worth another try (a call's, a Batch API call's,
 * or a batch line's).
 */
export const TRANSIENT_KINDS: ReadonlySet<string> = new Set([
  'server',
  'timeout',
  'network',
  'rate-limit',
]);

export const DEFAULT_BACKOFF: BackoffOptions = {
  baseMs: 500,
  capMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/**
 * Delay before retry number `retry` (1 = first retry). A server-requested wait wins (it knows its
 * own rate limits); otherwise "equal jitter": half the exponential delay fixed, half random, so
 * that workers that failed together do not retry together but never retry immediately.
 */
export function backoffDelayMs(
  retry: number,
  rng: () => number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined)
    return Math.min(Math.max(0, retryAfterMs), options.maxRetryAfterMs);
  const exponential = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, retry - 1));
  return exponential / 2 + rng() * (exponential / 2);
}

/**
 * Reads `retry-after-ms` (OpenAI's, milliseconds) or `retry-after` (seconds, or an HTTP date).
 * `get` looks a header up by lower-case name; `nowMs` dates the HTTP-date form.
 */
export function parseRetryAfter(
  get: (name: string) => string | null | undefined,
  nowMs: number,
): number | undefined {
  const ms = get('retry-after-ms');
  if (ms != null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = get('retry-after');
  if (value == null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
