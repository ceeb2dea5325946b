// A line a person can follow on a long judge stage, every 20 s of the stage's clock: judgments
// done of all, calls and tokens a minute (against the account's limit when the answers told it),
// 429s so far, and the time left at the pace so far. Driven by the stage's events and the
// scheduler's waits, never by a timer of its own, so fake time in tests moves it too.
import type { Clock } from './transport/clock.ts';
import type { Logger } from './transport/judge-transport.ts';

const PROGRESS_EVERY_MS = 20_000;

export interface ProgressCounters {
  readonly calls: number;
  readonly rateLimited: number;
  /** Tokens charged against the account's bucket (estimated). */
  readonly tokens: number;
  readonly tokenLimit: number | undefined;
}

export class Progress {
  readonly #total: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #counters: () => ProgressCounters;
  readonly #started: number;
  #done = 0;
  #last: { at: number; calls: number; tokens: number };

  constructor(total: number, clock: Clock, log: Logger, counters: () => ProgressCounters) {
    this.#total = total;
    this.#clock = clock;
    this.#log = log;
    this.#counters = counters;
    this.#started = clock.now();
    this.#last = { at: this.#started, calls: 0, tokens: 0 };
  }

  judgmentDone(): void {
    this.#done += 1;
    this.tick();
  }

  tick(): void {
    const now = this.#clock.now();
    if (now - this.#last.at < PROGRESS_EVERY_MS || this.#done >= this.#total) return;
    const c = this.#counters();
    const minutes = (now - this.#last.at) / 60_000;
    const callsPerMin = (c.calls - this.#last.calls) / minutes;
    const tokensPerMin = (c.tokens - this.#last.tokens) / minutes;
    const limit =
      c.tokenLimit === undefined ? ' (no limit reported)' : ` of ${count(c.tokenLimit)} allowed`;
    const percent = Math.floor((100 * this.#done) / this.#total);
    this.#log.info(
      `judge: ${this.#done}/${this.#total} judgments (${percent}%), ${callsPerMin.toFixed(1)} calls/min, ` +
        `${count(tokensPerMin)} tokens/min${limit}, ${c.rateLimited} answered 429 so far, ${this.#left(now)}`,
    );
    this.#last = { at: now, calls: c.calls, tokens: c.tokens };
  }

  #left(now: number): string {
    if (this.#done === 0) return 'time left not known yet';
    const ms = ((now - this.#started) / this.#done) * (this.#total - this.#done);
    return `about ${duration(ms)} left`;
  }
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (ms < 90_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (minutes < 90) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
