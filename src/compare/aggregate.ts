// Absolute numbers as the DreamBench++ paper reports them: a metric is the mean judge score / 4,
// CP·PF is the product of the two means; every number comes with the count behind it. A
// model-owned failure counts as the lowest score here too, so that this run's numbers and the
// comparison's deltas tell the same story.
import type { ScoredSample } from '../types.ts';
import { breakdown, type Breakdown } from './breakdown.ts';
import { buildClusterTable, groupCounts, toRow, type ClusterTable } from './cluster-table.ts';
import { statistic } from './estimates.ts';
import { validateFailed, validateSamples } from './validate.ts';

export interface GroupStats {
  readonly samples: number;
  /** Reference images with at least one sample in the group. */
  readonly concepts: number;
  /** Means on the 0-1 scale; null when the group has no samples. */
  readonly cp: number | null;
  readonly pf: number | null;
  readonly cpPf: number | null;
}

export interface Aggregate extends Breakdown<GroupStats> {
  /** Samples that entered the means (with an outcome for at least one metric). */
  readonly scored: number;
  /** Among them, samples with a model-owned failure counted as the lowest score. */
  readonly counted: number;
  /** Samples left out: no outcome (a failure of the judge's service; listed, never averaged). */
  readonly failed: number;
}

function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** `failed` is the number of samples the caller left out (they are not in `samples`). */
export function aggregate(samples: readonly ScoredSample[], failed: number): Aggregate {
  validateSamples(samples, 'scored');
  validateFailed(failed);
  return aggregateOf(buildClusterTable(samples.map((s) => toRow(s))), samples, failed);
}

/** The absolute numbers of a one-sided table of `samples` (validated by the caller). */
export function aggregateOf(
  table: ClusterTable,
  samples: readonly ScoredSample[],
  failed: number,
): Aggregate {
  const counts = groupCounts(table);
  const stats = breakdown<GroupStats>((g) => ({
    ...counts(g),
    cp: orNull(statistic(table.total, 0, g, 'cp', 'pr')),
    pf: orNull(statistic(table.total, 0, g, 'pf', 'pr')),
    cpPf: orNull(statistic(table.total, 0, g, 'cpPf', 'pr')),
  }));
  const withOutcome = samples.filter((s) => s.cp !== null || s.pf !== null);
  const counted = withOutcome.filter((s) => s.failedAs?.cp ?? s.failedAs?.pf).length;
  return { ...stats, scored: withOutcome.length, counted, failed };
}
