// Paired comparison of a PR's scores with the baseline's: deltas over samples scored on both
// sides, cluster-bootstrap intervals for every number, and the gate on CP and PF (cluster-robust
// t-tests, Holm-corrected, with a tolerance).
import type { Metric, ScoredSample } from '../types.ts';
import type { Interval } from './absolute-report.ts';
import { bootstrapSums } from './bootstrap.ts';
import { breakdown, type Breakdown } from './breakdown.ts';
import {
  buildClusterTable,
  groupCounts,
  FIELD,
  FIELD_COUNT,
  OVERALL_GROUP,
  STRIDE,
  type ClusterTable,
  toRow,
} from './cluster-table.ts';
import { clusterRobustTest, minimumDetectableEffect } from './cluster-test.ts';
import { InsufficientPairsError, InvalidOptionError } from './errors.ts';
import { percentileInterval, statistic, type Quantity } from './estimates.ts';
import { holmAdjust } from './holm.ts';
import { pairSamples, type Pairing } from './pairing.ts';
import { sampleDeltas, type SampleDelta } from './sample-deltas.ts';
import { validateSamples, validateStatOptions, type StatOptions } from './validate.ts';
import {
  metricVerdict,
  overallVerdict,
  type ComparisonVerdict,
  type MetricVerdict,
} from './verdict.ts';

export interface CompareOptions extends StatOptions {
  /** Smallest change (0-1 scale) that counts as a regression or improvement, e.g. 0.02. */
  readonly tolerance: number;
}

/** Paired means (0-1 scale) of both sides, their difference and its bootstrap interval. */
export interface DeltaEstimate {
  readonly base: number;
  readonly pr: number;
  readonly delta: number;
  /** Percentile interval of the delta; null when the group is too sparse to resample. */
  readonly ci: Interval | null;
}

export interface GroupDelta {
  readonly samples: number;
  readonly concepts: number;
  /** null when no paired sample falls in the group. */
  readonly cp: DeltaEstimate | null;
  readonly pf: DeltaEstimate | null;
  readonly cpPf: DeltaEstimate | null;
}

/** A gated metric: the estimate plus its test. */
export interface GatedMetric extends DeltaEstimate {
  /** Cluster-robust standard error of the delta and its degrees of freedom (clusters - 1). */
  readonly se: number;
  readonly df: number;
  readonly p: number;
  /** Holm-adjusted over the gated metrics (CP and PF). */
  readonly pAdjusted: number;
  /** Smallest true change this run would flag with 80% power (0-1 scale). */
  readonly mde: number;
  readonly verdict: MetricVerdict;
}

export interface Comparison extends Breakdown<GroupDelta> {
  readonly pairing: Pairing;
  readonly cp: GatedMetric;
  readonly pf: GatedMetric;
  /** Diagnostic, not gated. */
  readonly cpPf: DeltaEstimate;
  readonly verdict: ComparisonVerdict;
  /** Per-sample changes, largest first (judge scale 0-4). */
  readonly sampleDeltas: readonly SampleDelta[];
  readonly confidence: number;
  readonly tolerance: number;
  readonly seed: number;
  readonly iterations: number;
}

/** The gated metrics, in the order Holm's correction sees them. */
const GATED = ['cp', 'pf'] as const;
const POWER = 0.8;

function deltaEstimate(
  table: ClusterTable,
  replicates: Float64Array,
  g: number,
  q: Quantity,
  confidence: number,
): DeltaEstimate | null {
  const delta = statistic(table.total, 0, g, q, 'delta');
  if (Number.isNaN(delta)) return null;
  return {
    base: statistic(table.total, 0, g, q, 'base'),
    pr: statistic(table.total, 0, g, q, 'pr'),
    delta,
    ci: percentileInterval(replicates, g, q, 'delta', confidence),
  };
}

/** Per-cluster delta sums and sizes of the overall group, the inputs of the cluster test. */
function clusterDeltas(table: ClusterTable, metric: Metric) {
  const k = table.concepts.length;
  const deltaSums = new Float64Array(k);
  const sizes = new Float64Array(k);
  const [baseField, prField] =
    metric === 'cp' ? [FIELD.baseCp, FIELD.prCp] : [FIELD.basePf, FIELD.prPf];
  for (let c = 0; c < k; c++) {
    const o = c * STRIDE + OVERALL_GROUP * FIELD_COUNT;
    deltaSums[c] = table.sums[o + prField]! - table.sums[o + baseField]!;
    sizes[c] = table.sums[o + FIELD.n]!;
  }
  return { deltaSums, sizes };
}

export function compare(
  base: readonly ScoredSample[],
  pr: readonly ScoredSample[],
  opts: CompareOptions,
): Comparison {
  const iterations = validateStatOptions(opts);
  if (!(opts.tolerance >= 0 && opts.tolerance < 1))
    throw new InvalidOptionError('tolerance', opts.tolerance, 'a number from 0 (inclusive) to 1');
  validateSamples(base, 'baseline');
  validateSamples(pr, 'pr');
  const { pairs, pairing } = pairSamples(base, pr);
  if (pairing.pairedConcepts < 2)
    throw new InsufficientPairsError(pairing.paired, pairing.pairedConcepts);

  const table = buildClusterTable(pairs.map(({ base, pr }) => toRow(pr, base)));
  const replicates = bootstrapSums(table, iterations, opts.seed);
  const counts = groupCounts(table);
  const groups = breakdown<GroupDelta>((g) => ({
    ...counts(g),
    cp: deltaEstimate(table, replicates, g, 'cp', opts.confidence),
    pf: deltaEstimate(table, replicates, g, 'pf', opts.confidence),
    cpPf: deltaEstimate(table, replicates, g, 'cpPf', opts.confidence),
  }));

  const alpha = 1 - opts.confidence;
  const tests = GATED.map((m) => {
    const { deltaSums, sizes } = clusterDeltas(table, m);
    return clusterRobustTest(deltaSums, sizes);
  });
  const adjusted = holmAdjust(tests.map((t) => t.p));
  const [cp, pf] = GATED.map((m, i): GatedMetric => {
    const test = tests[i]!;
    const pAdjusted = adjusted[i]!;
    return {
      ...groups.overall[m]!,
      se: test.se,
      df: test.df,
      p: test.p,
      pAdjusted,
      mde: minimumDetectableEffect(test.se, test.df, alpha, GATED.length, opts.tolerance, POWER),
      verdict: metricVerdict(test.delta, pAdjusted, alpha, opts.tolerance),
    };
  }) as [GatedMetric, GatedMetric];

  return {
    ...groups,
    pairing,
    cp,
    pf,
    cpPf: groups.overall.cpPf!,
    verdict: overallVerdict([cp.verdict, pf.verdict]),
    sampleDeltas: sampleDeltas(pairs),
    confidence: opts.confidence,
    tolerance: opts.tolerance,
    seed: opts.seed,
    iterations,
  };
}
