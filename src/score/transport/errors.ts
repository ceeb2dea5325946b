// Named errors of the judge transport.

export type TransportErrorKind =
  'rate-limit' | 'server' | 'timeout' | 'network' | 'auth' | 'quota' | 'client';

/**
 * A judge call failed below the level of the reply's content. `retryAfterMs` is what the server
 * asked for (`retry-after-ms` / `retry-after`), when it said.
 */
export class JudgeTransportError extends Error {
  readonly kind: TransportErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(kind: TransportErrorKind, message: string, status?: number, retryAfterMs?: number) {
    super(message);
    this.name = 'JudgeTransportError';
    this.kind = kind;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}
