// The `max-cost-usd` guard: a call is scheduled only if what is spent, what is in flight and the
// expected cost of this call stay within the cap.

export class Budget {
  readonly #maxUsd: number | undefined;
  #spent = 0;
  #reserved = 0;
  #completed = 0;
  readonly #prior: number;
  constructor(maxUsd: number | undefined, priorCallUsd: number) {
    this.#maxUsd = maxUsd;
    this.#prior = priorCallUsd;
  }
  /** Expected cost of the next call: the mean of completed calls, the prior before any. */
  get expectedCallUsd(): number {
    return this.#completed > 0 ? this.#spent / this.#completed : this.#prior;
  }
  get spentUsd(): number {
    return this.#spent;
  }
  get maxUsd(): number | undefined {
    return this.#maxUsd;
  }
  /** Reserves the expected cost; returns the reservation, or `undefined` when it would pass the cap. */
  reserve(): number | undefined {
    const expected = this.expectedCallUsd;
    if (this.#maxUsd !== undefined && this.#spent + this.#reserved + expected > this.#maxUsd)
      return undefined;
    this.#reserved += expected;
    return expected;
  }
  /**
   * Releases a reservation and books what the call really cost; `undefined` when the call got no
   * reply (timeout, network error), which is not billed and must not drag the mean down.
   */
  settle(reservation: number, actualUsd: number | undefined): void {
    this.#reserved -= reservation;
    if (actualUsd === undefined) return;
    this.#spent += actualUsd;
    this.#completed += 1;
  }
}
