// Absolute numbers as the DreamBench++ paper reports them: a metric is the mean judge score / 4,
// CP·PF is the product of the two means; every number comes with the count behind it.
import type { ScoredSample } from '../types.ts';
import { breakdown, type Breakdown } from './breakdown.ts';
import {
  buildClusterTable,
  clustersPerGroup,
  FIELD,
  FIELD_COUNT,
  type PairedRow,
} from './cluster-table.ts';
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
  /** Samples that entered the means. */
  readonly scored: number;
  /** Samples excluded because generation or judging failed (counted, never averaged). */
  readonly failed: number;
}

/** One side's samples as table rows: the scores go in `pr`, `base` stays zero. */
export function absoluteRows(samples: readonly ScoredSample[]): PairedRow[] {
  return samples.map((s) => ({
    concept: s.concept,
    category: s.category,
    promptClass: s.promptClass,
    baseCp: 0,
    basePf: 0,
    prCp: s.cp / 4,
    prPf: s.pf / 4,
  }));
}

function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** `failed` is the number of samples the caller could not score (they are not in `samples`). */
export function aggregate(samples: readonly ScoredSample[], failed: number): Aggregate {
  validateSamples(samples, 'scored');
  validateFailed(failed);
  const table = buildClusterTable(absoluteRows(samples));
  const concepts = clustersPerGroup(table);
  const stats = breakdown<GroupStats>((g) => ({
    samples: table.total[g * FIELD_COUNT + FIELD.n]!,
    concepts: concepts[g]!,
    cp: orNull(statistic(table.total, 0, g, 'cp', 'pr')),
    pf: orNull(statistic(table.total, 0, g, 'pf', 'pr')),
    cpPf: orNull(statistic(table.total, 0, g, 'cpPf', 'pr')),
  }));
  return { ...stats, scored: samples.length, failed };
}
