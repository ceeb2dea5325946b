// The batches an earlier run of this configuration left pending, as this run collects them (pure):
// each line waits for its answer, and a request whose body hashes like a line's claims that line,
// one request per line (repeats send the same body more than once).
import {
  Deferred,
  type LineOutcome,
  type TrackedBatch,
  type TrackedLine,
} from './batch-tracker.ts';
import type { PendingBatch } from './pending.ts';

export class AdoptedBatches {
  readonly batches: readonly TrackedBatch[];
  /** Lines in all. */
  readonly lines: number;
  /** Lines by the sha256 of their body. */
  readonly #slots = new Map<string, TrackedLine[]>();
  readonly #claimed = new Set<TrackedLine>();

  constructor(pending: readonly PendingBatch[]) {
    this.batches = pending.map((p) => ({
      ...p,
      adopted: true,
      lines: p.lines.map((l) => ({ ...l, outcome: new Deferred<LineOutcome>() })),
    }));
    const lines = this.batches.flatMap((b) => b.lines);
    this.lines = lines.length;
    for (const line of lines) {
      const same = this.#slots.get(line.bodySha256) ?? [];
      same.push(line);
      this.#slots.set(line.bodySha256, same);
    }
  }

  /** An unclaimed line with this body; `answeredOnly`: one whose answer is already in. */
  claim(bodySha256: string, answeredOnly: boolean): TrackedLine | undefined {
    const line = this.#slots
      .get(bodySha256)
      ?.find((l) => !this.#claimed.has(l) && (!answeredOnly || l.outcome.settled));
    if (line) this.#claimed.add(line);
    return line;
  }

  /** Lines answered that no request of this run claimed. */
  get unused(): number {
    return this.batches
      .flatMap((b) => b.lines)
      .filter((l) => l.outcome.settled && !this.#claimed.has(l)).length;
  }
}
