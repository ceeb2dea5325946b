// The `max-cost-usd` guard. A sample is judged completely or not at all: before its first call it
// holds the expected cost of all its calls, and the hold is only granted while what is spent plus
// what every open hold may still spend stays within the cap. A refused hold waits while others
// are open (they may settle below their estimate) and is refused for good once none is.

/** One sample's share of the budget, from its first call to its last. */
export interface BudgetHold {
  /** Dollars set aside for this sample (grows if its calls need more and the cap allows). */
  reserved: number;
  /** Dollars its settled calls cost. */
  spent: number;
  /** Estimates of its calls in flight. */
  inFlight: number;
}

export class Budget {
  readonly #maxUsd: number | undefined;
  readonly #prior: number;
  #spent = 0;
  #completed = 0;
  readonly #holds = new Set<BudgetHold>();
  #exhausted = false;
  #waiters: Array<() => void> = [];

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
  /** A hold was refused with none open: nothing more will be judged. */
  get exhausted(): boolean {
    return this.#exhausted;
  }

  /**
   * A hold for `calls` calls at the expected cost; waits while other holds are open and this one
   * does not fit; `undefined` once the budget is exhausted.
   */
  async open(calls: number): Promise<BudgetHold | undefined> {
    for (;;) {
      if (this.#exhausted) return undefined;
      const amount = calls * this.expectedCallUsd;
      if (this.#fits(amount)) {
        const hold = { reserved: amount, spent: 0, inFlight: 0 };
        this.#holds.add(hold);
        return hold;
      }
      if (this.#holds.size === 0) {
        this.#exhausted = true;
        this.#wake();
        return undefined;
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /**
   * Sets aside the expected cost of one call of `hold`; `undefined` when the call would need more
   * than the hold and the cap leaves no room (retries beyond the estimate). Never waits: the
   * sample's other calls may be what the others wait for.
   */
  beginCall(hold: BudgetHold): number | undefined {
    const expected = this.expectedCallUsd;
    const need = hold.spent + hold.inFlight + expected;
    if (need > hold.reserved) {
      if (!this.#fits(need - hold.spent - this.#share(hold))) return undefined;
      hold.reserved = need;
    }
    hold.inFlight += expected;
    return expected;
  }

  /**
   * Ends a call begun with `beginCall` and books what it cost; `undefined` when it got no reply
   * (timeout, network error), which is not billed and must not drag the mean down.
   */
  endCall(hold: BudgetHold, reservation: number, actualUsd: number | undefined): void {
    hold.inFlight = Math.max(0, hold.inFlight - reservation);
    if (actualUsd !== undefined) {
      hold.spent += actualUsd;
      this.#spent += actualUsd;
      this.#completed += 1;
    }
    this.#wake(); // the mean moved: a waiting hold may fit now
  }

  /** The sample is done: what its hold did not spend goes back to the others. */
  close(hold: BudgetHold): void {
    this.#holds.delete(hold);
    this.#wake();
  }

  /** What `hold` may still add to the spend. */
  #share(hold: BudgetHold): number {
    return Math.max(hold.reserved, hold.spent + hold.inFlight) - hold.spent;
  }
  #fits(amount: number): boolean {
    if (this.#maxUsd === undefined) return true;
    let committed = this.#spent;
    for (const hold of this.#holds) committed += this.#share(hold);
    return committed + amount <= this.#maxUsd;
  }
  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
