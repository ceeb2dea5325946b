// When a judge call may go out: a queue in order (a call refused with 429 goes first again),
// admitted only while the calls in flight stay under the window, no pause is in force and the
// call fits what the account mirror says is left. The window starts at `judge-concurrency`
// and adapts: halved by a 429 (once
// per round of calls), grown by each answer, faster while no 429 has been seen or the limits are
// known. A 429 without a wait of its own pauses every call by backoff. No call starts after the
// deadline (the judge stage's time budget). Time is the injected clock's, so all of it runs on
// fake time in tests.
import type { Clock } from '../clock.ts';
import type { RateLimitHeaders } from '../judge-transport.ts';
import { backoffDelayMs, type BackoffOptions } from '../retry-policy.ts';
import { AccountMirror, type SentCall } from './account-mirror.ts';

/** Longest sleep between checks, so that progress lines (every 20 s) keep coming while calls wait. */
const TICK_MS = 5_000;

export interface SchedulerOptions {
  readonly clock: Clock;
  /** `judge-concurrency`: calls in flight, at most. */
  readonly ceiling: number;
  /** No call starts at or after this clock time; `Infinity`: none. */
  readonly deadline: number;
  readonly backoff: BackoffOptions;
  readonly rng: () => number;
  /** Called after every wait and every answer (the progress reporter looks at the clock). */
  readonly onTick?: () => void;
}

export type Outcome = 'ok' | 'rate-limited' | 'other';

interface Waiter {
  readonly tokens: number;
  readonly resolve: (call: SentCall | undefined) => void;
}

export class RateScheduler {
  readonly mirror = new AccountMirror();
  readonly #o: SchedulerOptions;
  readonly #queue: Waiter[] = [];
  readonly #inFlight = new Map<number, SentCall>();
  #window: number;
  #threshold = Infinity;
  /** Calls sent before this order were in flight when the window was last halved. */
  #cutBefore = 0;
  #pauseUntil = 0;
  #consecutive429 = 0;
  #seq = 0;
  #pumping = false;
  #wake: (() => void) | undefined;
  /** Calls sent, 429s answered, pauses a 429 set or extended, tokens charged (estimated). */
  readonly counters = { calls: 0, rateLimited: 0, pauses: 0, tokens: 0 };

  constructor(options: SchedulerOptions) {
    this.#o = options;
    this.#window = Math.max(1, options.ceiling);
  }

  get window(): number {
    return Math.floor(this.#window);
  }

  /** Resolves when a call estimated at `tokens` may go; `undefined` once the deadline passed. */
  admit(tokens: number, first = false): Promise<SentCall | undefined> {
    return new Promise((resolve) => {
      const waiter = { tokens, resolve };
      if (first) this.#queue.unshift(waiter);
      else this.#queue.push(waiter);
      void this.#pump();
    });
  }

  /** The answer of `call` came back, with what it said about the limits. */
  done(call: SentCall, outcome: Outcome, limits?: RateLimitHeaders): void {
    this.#inFlight.delete(call.seq);
    this.mirror.answered(call, this.#o.clock.now(), limits, outcome === 'rate-limited');
    if (outcome === 'ok') this.#grow();
    if (outcome === 'rate-limited') this.#shrink(call, limits);
    this.#o.onTick?.();
    this.#wake?.();
  }

  #grow(): void {
    this.#consecutive429 = 0;
    const step = this.#window < this.#threshold || this.mirror.known ? 1 : 1 / this.#window;
    this.#window = Math.min(this.#o.ceiling, this.#window + step);
  }

  #shrink(call: SentCall, limits: RateLimitHeaders | undefined): void {
    this.counters.rateLimited += 1;
    this.#consecutive429 += 1;
    if (call.seq >= this.#cutBefore) {
      this.#window = Math.max(1, Math.floor(this.#window / 2));
      this.#threshold = this.#window;
      this.#cutBefore = this.#seq;
    }
    // Where the answers tell the limits the mirror makes calls wait for room; a second 429 in a
    // row (a limit the headers do not show) or no headers at all: back off.
    const mirrored = this.mirror.known && this.#consecutive429 === 1;
    const wait =
      limits?.retryAfterMs ??
      (mirrored ? 0 : backoffDelayMs(this.#consecutive429, this.#o.rng, this.#o.backoff));
    const until = this.#o.clock.now() + Math.min(wait, this.#o.backoff.maxRetryAfterMs);
    if (until > this.#pauseUntil) {
      this.#pauseUntil = until;
      this.counters.pauses += 1;
    }
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const now = this.#o.clock.now();
        if (now >= this.#o.deadline) {
          for (const waiter of this.#queue.splice(0)) waiter.resolve(undefined);
          break;
        }
        if (this.#inFlight.size >= Math.floor(this.#window)) {
          await new Promise<void>((resolve) => (this.#wake = resolve));
          this.#wake = undefined;
          continue;
        }
        const head = this.#queue[0]!;
        const wait = Math.max(
          this.#pauseUntil - now,
          this.mirror.waitMs(now, head.tokens, this.#inFlight.values()),
        );
        if (wait <= 0) {
          this.#queue.shift();
          head.resolve(this.#send(head.tokens, now));
          continue;
        }
        // Whole milliseconds: a wait of 1e-13 ms would not move a clock that reads 7391.8.
        await this.#o.clock.sleep(Math.ceil(Math.min(wait, this.#o.deadline - now, TICK_MS)));
        this.#o.onTick?.();
      }
    } finally {
      this.#pumping = false;
    }
  }

  #send(tokens: number, now: number): SentCall {
    const call = { seq: this.#seq++, sentAt: now, tokens };
    this.#inFlight.set(call.seq, call);
    this.mirror.sent(call);
    this.counters.calls += 1;
    this.counters.tokens += tokens * this.mirror.factor;
    return call;
  }
}
