// The account's token and request buckets as the client can know them (pure; time is passed in).
// An answer's x-ratelimit-* headers describe the bucket just after the API charged that request,
// on its arrival; so the freshest view is the answered call that was sent last, and what is
// available now is its `remaining`, refilled since it was answered (not since it was sent: when
// it arrived is unknown, and counting from the answer errs on the safe side by one call's
// duration of refill), minus every call sent after it.
// The refill rate follows from the headers too: (limit - remaining) / reset. The client's
// estimate of a call's charge is calibrated against what consecutive views show was charged.
import type { RateLimitHeaders } from '../judge-transport.ts';

/** One call the mirror knows of: its order, when it went out and its estimated charge. */
export interface SentCall {
  readonly seq: number;
  readonly sentAt: number;
  readonly tokens: number;
}

/**
 * Kept free of the token bucket: a share of its limit (estimates are estimates), and at least one
 * call's worth: concurrent calls may reach the API in another order than they were sent, so the
 * freshest view may lack a call sent just before it.
 */
const MARGIN = 0.01;
const FACTOR_RANGE = [0.5, 4] as const;

class BucketView {
  limit: number | undefined;
  remaining = 0;
  /** When the answer that reported `remaining` came, and its call's order. */
  at = 0;
  seq = -1;
  #rate: number | undefined;
  /** The deficit the rate was measured at: larger deficits round less. */
  #rateDeficit = 0;

  /** Takes the view of an answer if it is fresher; returns the view it replaced (or `undefined`). */
  update(call: SentCall, now: number, limit?: number, remaining?: number, resetMs?: number) {
    if (limit === undefined || remaining === undefined || limit <= 0) return undefined;
    if (limit !== this.limit) this.#rateDeficit = 0;
    const deficit = limit - remaining;
    if (resetMs !== undefined && resetMs > 0 && deficit > 0 && deficit >= this.#rateDeficit) {
      this.#rate = deficit / resetMs;
      this.#rateDeficit = deficit;
    }
    if (call.seq <= this.seq && limit === this.limit) return undefined;
    const before = this.limit === undefined ? undefined : { ...this.snapshot() };
    this.limit = limit;
    this.remaining = remaining;
    this.at = now;
    this.seq = call.seq;
    return before;
  }
  snapshot() {
    return { limit: this.limit, remaining: this.remaining, at: this.at, seq: this.seq };
  }
  get rateKnown(): boolean {
    return this.#rate !== undefined;
  }
  /** Refill per ms: measured, else a per-minute limit's. */
  get rate(): number {
    return this.#rate ?? (this.limit ?? 0) / 60_000;
  }
  levelAt(now: number, from = this.snapshot()): number {
    const limit = from.limit ?? Infinity;
    return Math.min(limit, from.remaining + this.rate * Math.max(0, now - from.at));
  }
}

export class AccountMirror {
  readonly #tokens = new BucketView();
  readonly #requests = new BucketView();
  /** Calls sent after the current views, by order: their estimates, and whether refused. */
  readonly #recent = new Map<number, { tokens: number; refused: boolean }>();
  #charged = 0;
  #estimated = 0;
  /** The largest call sent so far, in tokens. */
  #largest = 0;

  get limitTokens(): number | undefined {
    return this.#tokens.limit;
  }
  get known(): boolean {
    return this.#tokens.limit !== undefined || this.#requests.limit !== undefined;
  }
  /** Server charge / client estimate, from the views so far; 1 until measured. */
  get factor(): number {
    if (this.#estimated <= 0) return 1;
    const raw = this.#charged / this.#estimated;
    return Math.min(FACTOR_RANGE[1], Math.max(FACTOR_RANGE[0], raw));
  }

  sent(call: SentCall): void {
    this.#recent.set(call.seq, { tokens: call.tokens, refused: false });
    this.#largest = Math.max(this.#largest, call.tokens);
  }

  /** An answer for `call` came back (`refused`: a 429, which the API did not charge). */
  answered(
    call: SentCall,
    now: number,
    headers: RateLimitHeaders | undefined,
    refused: boolean,
  ): void {
    const entry = this.#recent.get(call.seq);
    if (entry) entry.refused = refused;
    if (!headers || !this.#hasLimits(headers)) {
      if (!this.known) this.#recent.delete(call.seq); // nothing to calibrate against
      return;
    }
    const before = this.#tokens.update(
      call,
      now,
      headers.limitTokens,
      headers.remainingTokens,
      headers.resetTokensMs,
    );
    if (before) this.#calibrate(before, call);
    this.#requests.update(
      call,
      now,
      headers.limitRequests,
      headers.remainingRequests,
      headers.resetRequestsMs,
    );
    const views = [this.#tokens, this.#requests].filter((v) => v.limit !== undefined);
    const oldest = Math.min(...views.map((v) => v.seq));
    for (const seq of this.#recent.keys()) if (seq <= oldest) this.#recent.delete(seq);
  }

  #hasLimits(h: RateLimitHeaders): boolean {
    return h.limitTokens !== undefined || h.limitRequests !== undefined;
  }

  /** What the API charged between two views, against what the client estimated for those calls. */
  #calibrate(before: ReturnType<BucketView['snapshot']>, call: SentCall): void {
    const view = this.#tokens;
    const interval = view.at - before.at;
    if (!view.rateKnown && interval > 0) return; // refill unknown: the difference means nothing yet
    let estimated = 0;
    for (const [seq, entry] of this.#recent) {
      if (seq > before.seq && seq <= call.seq && !entry.refused) estimated += entry.tokens;
    }
    const charged = view.levelAt(view.at, before) - view.remaining;
    if (estimated <= 0 || charged <= 0) return;
    this.#charged += charged;
    this.#estimated += estimated;
  }

  /** Ms until a call estimated at `tokens` fits both buckets, given the calls in flight; 0: now. */
  waitMs(now: number, tokens: number, inFlight: Iterable<SentCall>): number {
    let tokensOut = 0;
    let requestsOut = 0;
    for (const call of inFlight) {
      if (call.seq > this.#tokens.seq) tokensOut += call.tokens * this.factor;
      if (call.seq > this.#requests.seq) requestsOut += 1;
    }
    const tokenMargin = Math.max(MARGIN * (this.#tokens.limit ?? 0), this.#largest * this.factor);
    return Math.max(
      this.#waitFor(this.#tokens, now, tokens * this.factor, tokensOut, tokenMargin),
      this.#waitFor(this.#requests, now, 1, requestsOut, 1),
    );
  }

  /** A call the token bucket can never hold, even full (the API refuses it for good). */
  exceedsLimit(tokens: number): boolean {
    const limit = this.#tokens.limit;
    return limit !== undefined && tokens * this.factor > limit;
  }

  #waitFor(view: BucketView, now: number, need: number, out: number, margin: number): number {
    if (view.limit === undefined) return 0;
    // A call larger than the margin allows still goes once the bucket is as full as it gets.
    const wanted = Math.min(need + margin, view.limit);
    const missing = wanted - (view.levelAt(now) - out);
    return missing <= 1e-6 ? 0 : missing / view.rate;
  }
}
