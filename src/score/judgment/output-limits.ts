// How many visible tokens each metric's reply may use (the output limit is charged in full
// against the account's token bucket, so it is sized to the reply: CP answers with a score line,
// PF with a short analysis and a score). A reply cut short raises its metric's limit for the rest
// of the run, up to a ceiling.
import type { Metric } from '../../types.ts';

export type OutputTokens = Readonly<Record<Metric, number>>;

/** `Score: N`, with room for emphasis or a stray sentence. */
export const DEFAULT_OUTPUT_TOKENS: OutputTokens = { cp: 64, pf: 400 };
const MAX_OUTPUT_TOKENS = 4096;
const GROWTH = 4;

export class OutputLimits {
  readonly #limits: Record<Metric, number>;

  constructor(base: OutputTokens) {
    this.#limits = { ...base };
  }

  get(metric: Metric): number {
    return this.#limits[metric];
  }

  /** After a reply cut short at `cutAt` tokens: a larger limit for `metric`; false at the ceiling. */
  grow(metric: Metric, cutAt: number): boolean {
    const current = Math.max(this.#limits[metric], cutAt);
    if (current >= MAX_OUTPUT_TOKENS) return false;
    this.#limits[metric] = Math.min(MAX_OUTPUT_TOKENS, current * GROWTH);
    return true;
  }
}
