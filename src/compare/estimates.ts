// Statistics read off a block of group sums (the full-data totals or one bootstrap replicate), and
// percentile intervals over the bootstrap replicates.
import { FIELD_COUNT, METRIC_FIELDS, STRIDE } from './cluster-table.ts';

export type Quantity = 'cp' | 'pf' | 'cpPf';
export type Side = 'base' | 'pr' | 'delta';

/** One metric's mean of one side (0-1), or the PR-minus-base delta; NaN without samples. */
function metricValue(sums: Float64Array, o: number, m: 'cp' | 'pf', side: Side): number {
  const f = METRIC_FIELDS[m];
  const n = sums[o + f.n]!;
  if (n === 0) return NaN;
  const base = sums[o + f.base]! / n;
  const pr = sums[o + f.pr]! / n;
  return side === 'base' ? base : side === 'pr' ? pr : pr - base;
}

/** A group's mean (0-1 scale) of one side, or the PR-minus-base delta; NaN when the group has no
 * sample of that metric. `offset` is where the STRIDE block starts in `sums`. CP and PF each average
 * over the samples with an outcome for that metric; CP·PF is the product of the two means. */
export function statistic(
  sums: Float64Array,
  offset: number,
  group: number,
  q: Quantity,
  side: Side,
): number {
  const o = offset + group * FIELD_COUNT;
  if (q !== 'cpPf') return metricValue(sums, o, q, side);
  const product = (s: 'base' | 'pr') =>
    metricValue(sums, o, 'cp', s) * metricValue(sums, o, 'pf', s);
  return side === 'delta' ? product('pr') - product('base') : product(side);
}

/** Quantile of sorted values with linear interpolation (Hyndman-Fan type 7, R's default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < sorted.length ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

/** Above this share of replicates with an empty group, an interval would be misleading. */
const MAX_UNDEFINED_SHARE = 0.05;

/** Percentile bootstrap interval at `confidence`, or null when the group is too often empty. */
export function percentileInterval(
  replicates: Float64Array,
  group: number,
  q: Quantity,
  side: Side,
  confidence: number,
): readonly [number, number] | null {
  const iterations = replicates.length / STRIDE;
  const values: number[] = [];
  for (let it = 0; it < iterations; it++) {
    const v = statistic(replicates, it * STRIDE, group, q, side);
    if (!Number.isNaN(v)) values.push(v);
  }
  if (values.length === 0 || values.length < (1 - MAX_UNDEFINED_SHARE) * iterations) return null;
  const sorted = Float64Array.from(values).sort();
  const alpha = 1 - confidence;
  return [quantileSorted(sorted, alpha / 2), quantileSorted(sorted, 1 - alpha / 2)];
}
