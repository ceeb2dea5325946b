// When to send a round of batches: once every judgment still in flight is waiting, on a batch or
// on something that waits on one (a twin judgment of the same inputs, a cost-cap hold). Busy work
// (preparing images, reading the cache, a realtime probe) is counted; a task parks while it
// waits. The gate fires when the count has stayed at zero through a turn of the event loop, so
// a wait that ends at once (a promise already settled) does not send a half-gathered round.

export class IdleGate {
  #busy = 0;
  #scheduled = false;
  #onIdle: () => void = () => {};

  set onIdle(fire: () => void) {
    this.#onIdle = fire;
  }

  get busy(): number {
    return this.#busy;
  }

  enter(): void {
    this.#busy += 1;
  }

  leave(): void {
    this.#busy -= 1;
    if (this.#busy === 0 && !this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        if (this.#busy === 0) this.#onIdle();
      });
    }
  }

  /** Waits for `p` without counting as busy. */
  async park<T>(p: Promise<T>): Promise<T> {
    this.leave();
    try {
      return await p;
    } finally {
      this.enter();
    }
  }
}

/** The gate of a mode that never gathers (realtime): parking is just waiting. */
export const NO_GATE = {
  enter() {},
  leave() {},
  park: <T>(p: Promise<T>) => p,
} as const;

export type Gate = Pick<IdleGate, 'enter' | 'leave' | 'park'>;
