// The account limits of the loopback judge, the way OpenAI's API applies them: a token bucket
// and a request bucket per model, refilling continuously; each request is charged on arrival by
// an estimate of its prompt tokens plus its output limit (`max_tokens` or
// `max_completion_tokens`, times `n`), and refused with 429 when it does not fit. Every answer
// carries the x-ratelimit-* headers (429s included); `reset` is the time until the bucket is full
// again, written as the API writes it (Go durations: `6m0s`, `1.5s`, `350ms`). A request larger
// than the whole token bucket is refused as "Request too large" (no wait would let it in).
// https://platform.openai.com/docs/guides/rate-limits ("rate limits in headers", "error mitigation").
import type { ChatRequestBody } from './openai.ts';

export interface BucketOptions {
  /** What a full bucket holds: the `x-ratelimit-limit-*` value. */
  readonly capacity: number;
  /** Refill per second (a per-minute limit L refills at L / 60). */
  readonly refillPerSecond: number;
}

export interface RateLimitOptions {
  readonly tokens?: BucketOptions;
  readonly requests?: BucketOptions;
  /** 429s carry `retry-after` and `retry-after-ms` (default true); `false`: only x-ratelimit-*. */
  readonly retryAfter?: boolean;
  /** The tokens a request is charged; default `estimateCharge`. */
  readonly estimate?: (body: ChatRequestBody) => number;
  /** Milliseconds clock of the buckets; default `performance.now`. Tests pass their fake clock. */
  readonly now?: () => number;
}

/** Output limit the API assumes when a request gives none (a model's maximum output). */
export const DEFAULT_OUTPUT_LIMIT = 4096;

/** OpenAI's `detail: high` image tokens: fit in 2048, shortest side to 768, 170 per 512 tile + 85. */
export function imageTokens(width: number, height: number): number {
  const fit = Math.min(1, 2048 / Math.max(width, height));
  const short = Math.min(1, 768 / Math.min(width * fit, height * fit));
  const w = width * fit * short;
  const h = height * fit * short;
  return 85 + 170 * Math.ceil(w / 512) * Math.ceil(h / 512);
}

/** Width and height from a JPEG's SOF marker; `undefined` for anything else. */
export function jpegSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    const length = bytes.readUInt16BE(i + 2);
    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  return undefined;
}

/** Text characters / 4 and images by their size: the prompt part of the charge. */
export function estimatePromptTokens(body: ChatRequestBody): number {
  let chars = 0;
  let images = 0;
  for (const message of body.messages ?? []) {
    const parts = typeof message.content === 'string' ? [message.content] : message.content;
    if (!Array.isArray(parts)) continue;
    for (const part of parts as Array<
      string | { type?: string; text?: string; image_url?: { url?: string } }
    >) {
      if (typeof part === 'string') chars += part.length;
      else if (part.type === 'text') chars += part.text?.length ?? 0;
      else if (part.type === 'image_url') {
        const url = part.image_url?.url ?? '';
        const bytes = Buffer.from(
          url.slice(url.indexOf(',') + 1, url.indexOf(',') + 1 + 4096),
          'base64',
        );
        const size = jpegSize(bytes) ?? { width: 512, height: 512 };
        images += imageTokens(size.width, size.height);
      }
    }
  }
  return Math.ceil(chars / 4) + images;
}

/** The prompt estimate plus the output limit times `n`. */
export function estimateCharge(body: ChatRequestBody): number {
  const output = Number(body.max_completion_tokens ?? body.max_tokens ?? DEFAULT_OUTPUT_LIMIT);
  const n = Number(body.n ?? 1);
  return estimatePromptTokens(body) + output * n;
}

/** Go's time.Duration text, as the API writes reset times: `0s`, `350ms`, `1.5s`, `6m0s`, `1h2m3s`. */
export function goDuration(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const h = Math.floor(whole / 3_600_000);
  const m = Math.floor((whole % 3_600_000) / 60_000);
  const s = (whole % 60_000) / 1000;
  const seconds = `${Number(s.toFixed(3))}s`;
  if (h > 0) return `${h}h${m}m${seconds}`;
  if (m > 0) return `${m}m${seconds}`;
  return seconds;
}

class Bucket {
  readonly options: BucketOptions;
  #level: number;
  #at: number;
  constructor(options: BucketOptions, now: number) {
    this.options = options;
    this.#level = options.capacity;
    this.#at = now;
  }
  level(now: number): number {
    const refilled = this.#level + ((now - this.#at) / 1000) * this.options.refillPerSecond;
    this.#level = Math.min(this.options.capacity, refilled);
    this.#at = now;
    return this.#level;
  }
  take(amount: number, now: number): void {
    this.#level = this.level(now) - amount;
  }
  /** Ms until `amount` fits. */
  waitFor(amount: number, now: number): number {
    const missing = amount - this.level(now);
    return missing <= 0 ? 0 : (missing / this.options.refillPerSecond) * 1000;
  }
  headers(kind: 'tokens' | 'requests', now: number): Record<string, string> {
    const level = this.level(now);
    const resetMs = ((this.options.capacity - level) / this.options.refillPerSecond) * 1000;
    return {
      [`x-ratelimit-limit-${kind}`]: String(this.options.capacity),
      [`x-ratelimit-remaining-${kind}`]: String(Math.max(0, Math.floor(level))),
      [`x-ratelimit-reset-${kind}`]: goDuration(resetMs),
    };
  }
}

export interface Admission {
  readonly admitted: boolean;
  /** Tokens charged (0 when refused). */
  readonly charged: number;
  readonly headers: Record<string, string>;
  /** The 429 body when refused. */
  readonly body?: unknown;
}

/** Both buckets of one model; `admit` is called once per arriving request. */
export class AccountLimits {
  readonly #options: RateLimitOptions;
  readonly #now: () => number;
  readonly #tokens: Bucket | undefined;
  readonly #requests: Bucket | undefined;
  /** Tokens charged so far, and requests refused. */
  charged = 0;
  refused = 0;

  constructor(options: RateLimitOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    const now = this.#now();
    this.#tokens = options.tokens ? new Bucket(options.tokens, now) : undefined;
    this.#requests = options.requests ? new Bucket(options.requests, now) : undefined;
  }

  /** Charges the request if it fits, else refuses it; the headers describe the buckets after. */
  admit(body: ChatRequestBody): Admission {
    const now = this.#now();
    const cost = (this.#options.estimate ?? estimateCharge)(body);
    const tokenWait = this.#tokens?.waitFor(cost, now) ?? 0;
    const requestWait = this.#requests?.waitFor(1, now) ?? 0;
    if (tokenWait === 0 && requestWait === 0) {
      this.#tokens?.take(cost, now);
      this.#requests?.take(1, now);
      this.charged += cost;
      return { admitted: true, charged: cost, headers: this.#headers(now) };
    }
    this.refused += 1;
    const waitMs = Math.max(tokenWait, requestWait);
    const onTokens = tokenWait >= requestWait;
    const limit = onTokens ? this.#tokens! : this.#requests!;
    const used = Math.ceil(limit.options.capacity - limit.level(now));
    const headers = this.#headers(now);
    if (this.#options.retryAfter ?? true) {
      headers['retry-after-ms'] = String(Math.ceil(waitMs));
      headers['retry-after'] = String(Math.ceil(waitMs / 1000));
    }
    const what = onTokens ? 'tokens per min (TPM)' : 'requests per min (RPM)';
    const requested = onTokens ? cost : 1;
    const model = body.model ?? 'gpt-4o';
    // More than the whole bucket: no wait helps, and the API says so in other words.
    const message =
      onTokens && cost > limit.options.capacity
        ? `Request too large for ${model} in organization org-loopback on ${what}: Limit ${limit.options.capacity}, Requested ${requested}. The input or output tokens must be reduced in order to run successfully.`
        : `Rate limit reached for ${model} in organization org-loopback on ${what}: Limit ${limit.options.capacity}, Used ${used}, Requested ${requested}. Please try again in ${goDuration(waitMs)}.`;
    return {
      admitted: false,
      charged: 0,
      headers,
      body: {
        error: {
          message: `${message} Visit https://platform.openai.com/account/rate-limits to learn more.`,
          type: onTokens ? 'tokens' : 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
    };
  }

  /** The headers of an answer that was not charged here (an error before admission). */
  headersNow(): Record<string, string> {
    return this.#headers(this.#now());
  }

  #headers(now: number): Record<string, string> {
    return {
      ...this.#requests?.headers('requests', now),
      ...this.#tokens?.headers('tokens', now),
    };
  }
}
