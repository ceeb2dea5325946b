// Named errors of the judge transport.
import type { RateLimitHeaders } from './judge-transport.ts';

/**
 * `rate-limit`: a 429 for the account's limits (waited out, never a failed try); `quota`: no
 * credit (fatal); `refused`: the endpoint's content filter refused the prompt (a refusal);
 * `endpoint`: the answer is not a chat completion (fatal: the base URL is wrong); `pending`: in a
 * Batch API batch still unfinished when the step stopped waiting (the next run collects it);
 * `cancelled`: in a batch cancelled with the job.
 */
export type TransportErrorKind =
  | 'rate-limit'
  | 'server'
  | 'timeout'
  | 'network'
  | 'auth'
  | 'quota'
  | 'client'
  | 'refused'
  | 'endpoint'
  | 'pending'
  | 'cancelled';

export interface TransportErrorDetails {
  readonly status?: number;
  /** The API's error `param` and `code` (e.g. `max_tokens`, `unsupported_parameter`). */
  readonly param?: string;
  readonly code?: string;
  readonly rateLimits?: RateLimitHeaders;
}

/** A judge call failed below the level of the reply's content. */
export class JudgeTransportError extends Error {
  readonly kind: TransportErrorKind;
  readonly status: number | undefined;
  readonly param: string | undefined;
  readonly code: string | undefined;
  /** The x-ratelimit-* and retry-after headers of the answer, when it had any. */
  readonly rateLimits: RateLimitHeaders | undefined;
  constructor(kind: TransportErrorKind, message: string, details: TransportErrorDetails = {}) {
    super(message);
    this.name = 'JudgeTransportError';
    this.kind = kind;
    this.status = details.status;
    this.param = details.param;
    this.code = details.code;
    this.rateLimits = details.rateLimits;
  }
  /** What the server asked us to wait, ms. */
  get retryAfterMs(): number | undefined {
    return this.rateLimits?.retryAfterMs;
  }
}

/** `openai-base-url` cannot be used as given (an Azure endpoint without its api-version). */
export class EndpointError extends Error {
  readonly baseUrl: string;
  constructor(baseUrl: string, problem: string) {
    super(`Input "openai-base-url" ${JSON.stringify(baseUrl)} ${problem}`);
    this.name = 'EndpointError';
    this.baseUrl = baseUrl;
  }
}
