// The report when there is no comparable baseline: absolute numbers with bootstrap intervals
// (same cluster bootstrap as the comparison) and the verdict `no-baseline`.
import type { ScoredSample } from '../types.ts';
import { aggregateOf, type Aggregate } from './aggregate.ts';
import { bootstrapSums } from './bootstrap.ts';
import { breakdown, type Breakdown } from './breakdown.ts';
import { buildClusterTable, toRow } from './cluster-table.ts';
import { percentileInterval, type Quantity } from './estimates.ts';
import {
  validateFailed,
  validateSamples,
  validateStatOptions,
  type StatOptions,
} from './validate.ts';

export type Interval = readonly [number, number];

/** Intervals of one group's absolute metrics; null when the group is empty or too sparse. */
export interface GroupIntervals {
  readonly cp: Interval | null;
  readonly pf: Interval | null;
  readonly cpPf: Interval | null;
}

export interface AbsoluteReport {
  readonly verdict: 'no-baseline';
  readonly aggregate: Aggregate;
  readonly intervals: Breakdown<GroupIntervals>;
  readonly confidence: number;
  readonly seed: number;
  readonly iterations: number;
}

export function absoluteReport(
  samples: readonly ScoredSample[],
  failed: number,
  opts: StatOptions,
): AbsoluteReport {
  const iterations = validateStatOptions(opts);
  validateSamples(samples, 'scored');
  validateFailed(failed);
  const table = buildClusterTable(samples.map((s) => toRow(s)));
  const agg = aggregateOf(table, samples, failed);
  const replicates = bootstrapSums(table, iterations, opts.seed);
  const ci = (g: number, q: Quantity) =>
    percentileInterval(replicates, g, q, 'pr', opts.confidence);
  const intervals = breakdown<GroupIntervals>((g) => ({
    cp: ci(g, 'cp'),
    pf: ci(g, 'pf'),
    cpPf: ci(g, 'cpPf'),
  }));
  return {
    verdict: 'no-baseline',
    aggregate: agg,
    intervals,
    confidence: opts.confidence,
    seed: opts.seed,
    iterations,
  };
}
