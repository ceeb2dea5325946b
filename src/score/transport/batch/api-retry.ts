// A Batch API call tried again when the service, not the request, failed: 5xx, timeouts, network
// errors and 429s back off with jitter (retry-policy.ts), a few times; anything else is final.
import type { Clock } from '../clock.ts';
import { asTransportError } from '../dispatcher.ts';
import type { JudgeTransportError } from '../errors.ts';
import type { Logger } from '../judge-transport.ts';
import { backoffDelayMs, TRANSIENT_KINDS, type BackoffOptions } from '../retry-policy.ts';

export interface RetryContext {
  readonly clock: Clock;
  readonly rng: () => number;
  readonly backoff: BackoffOptions;
  readonly log: Logger;
  readonly redact: (text: string) => string;
  /** Tries in all; default 6. */
  readonly tries?: number;
}

/** `run`'s result, or the JudgeTransportError it last failed with. */
export async function withRetries<T>(
  what: string,
  run: () => Promise<T>,
  ctx: RetryContext,
): Promise<T> {
  const tries = ctx.tries ?? 6;
  for (let attempt = 1; ; attempt++) {
    let error: JudgeTransportError;
    try {
      return await run();
    } catch (caught) {
      error = asTransportError(caught);
    }
    if (!TRANSIENT_KINDS.has(error.kind) || attempt >= tries) throw error;
    const delay = backoffDelayMs(attempt, ctx.rng, ctx.backoff, error.retryAfterMs);
    // `what` names batch and file ids: the endpoint's words, redacted as its message is.
    ctx.log.warn(
      ctx.redact(`judge: ${what}: ${error.message}; trying again in ${Math.round(delay)} ms`),
    );
    await ctx.clock.sleep(delay);
  }
}
