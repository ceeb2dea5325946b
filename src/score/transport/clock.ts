// Time as the score stage sees it: injected so that tests run retries and pauses on fake time.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A shared pause: after a 429 every worker waits until the server's retry time, not only the
 * one that was told. Pauses only ever extend.
 */
export class RateGate {
  readonly #clock: Clock;
  #until = 0;
  #pauses = 0;
  constructor(clock: Clock) {
    this.#clock = clock;
  }
  pauseFor(ms: number): void {
    const until = this.#clock.now() + ms;
    if (until > this.#until) {
      this.#until = until;
      this.#pauses += 1;
    }
  }
  get pausedUntil(): number {
    return this.#until;
  }
  get pauses(): number {
    return this.#pauses;
  }
  /** Resolves once no pause is in force (re-checks: another 429 may extend it meanwhile). */
  async pass(): Promise<void> {
    for (
      let wait = this.#until - this.#clock.now();
      wait > 0;
      wait = this.#until - this.#clock.now()
    ) {
      await this.#clock.sleep(wait);
    }
  }
}
