// Paired comparison of a PR's scores with the baseline's: per-metric deltas over samples with an
// outcome on both sides, the gate on CP and PF (cluster-robust one-sided t-tests, Holm-corrected,
// with a tolerance) with the intervals its tests imply, and cluster-bootstrap intervals for the
// numbers that are not gated (CP·PF, the breakdowns).
import { METRICS, type Metric, type ScoredSample } from '../types.ts';
import type { Interval } from './absolute-report.ts';
import { bootstrapSums } from './bootstrap.ts';
import { breakdown, type Breakdown } from './breakdown.ts';
import {
  buildClusterTable,
  groupCounts,
  FIELD_COUNT,
  METRIC_FIELDS,
  OVERALL_GROUP,
  STRIDE,
  type ClusterTable,
  toRow,
} from './cluster-table.ts';
import { clusterRobustTest, type ClusterTest } from './cluster-test.ts';
import { InsufficientPairsError, InvalidOptionError } from './errors.ts';
import { percentileInterval, statistic, type Quantity } from './estimates.ts';
import { decide, GATED, type ConfidenceBound, type OneSided } from './gate.ts';
import { pairSamples, type Pairing, type SamplePair } from './pairing.ts';
import { sampleDeltas, type SampleDelta } from './sample-deltas.ts';
import {
  validateConfidence,
  validateSamples,
  validateStatOptions,
  type StatOptions,
} from './validate.ts';
import { overallVerdict, type ComparisonVerdict, type MetricVerdict } from './verdict.ts';

/** Smallest change (0-1 scale) that counts as a regression or improvement, per gated metric. */
export type Tolerance = Readonly<Record<Metric, number>>;

export interface GateOptions {
  /** Confidence level of the tests and intervals, e.g. 0.95 (alpha = 1 - confidence). */
  readonly confidence: number;
  /** One number for both metrics, or one per metric; e.g. 0.02. */
  readonly tolerance: number | Tolerance;
}

export interface CompareOptions extends StatOptions, GateOptions {}

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

/** A gated metric: paired means, the test, and the interval the test implies. */
export interface GatedMetric {
  readonly base: number;
  readonly pr: number;
  readonly delta: number;
  /** The test's interval, [lower, upper]: excludes 0 exactly when the change is significant. */
  readonly ci: Interval;
  readonly lower: ConfidenceBound;
  readonly upper: ConfidenceBound;
  /** Samples and reference images paired on this metric. */
  readonly samples: number;
  readonly concepts: number;
  /** Cluster-robust standard error of the delta and its degrees of freedom (clusters - 1). */
  readonly se: number;
  readonly df: number;
  /** One-sided p-values for a drop (regression) and a rise (improvement). */
  readonly p: OneSided;
  /** Holm-adjusted over the gated metrics (CP and PF), within each direction. */
  readonly pAdjusted: OneSided;
  /** Smallest true change this run would flag with 80% power (0-1 scale). */
  readonly mde: number;
  readonly tolerance: number;
  readonly verdict: MetricVerdict;
}

/** What the gate decides: the paired samples, CP and PF, and the run's verdict. */
export interface Gate {
  readonly pairing: Pairing;
  readonly cp: GatedMetric;
  readonly pf: GatedMetric;
  readonly verdict: ComparisonVerdict;
  readonly confidence: number;
  readonly tolerance: Tolerance;
}

export interface Comparison extends Gate, Breakdown<GroupDelta> {
  /** The summary product CP·PF: reported, not gated; its interval is the bootstrap's. */
  readonly cpPf: DeltaEstimate;
  /** Changes of the samples paired on both metrics, largest first (judge scale 0-4). */
  readonly sampleDeltas: readonly SampleDelta[];
  readonly seed: number;
  readonly iterations: number;
}

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

/** The cluster test of one metric over the clusters with a paired sample of it. */
function metricTest(table: ClusterTable, metric: Metric): ClusterTest {
  const f = METRIC_FIELDS[metric];
  const deltaSums: number[] = [];
  const sizes: number[] = [];
  for (let c = 0; c < table.concepts.length; c++) {
    const o = c * STRIDE + OVERALL_GROUP * FIELD_COUNT;
    const n = table.sums[o + f.n]!;
    if (n === 0) continue;
    deltaSums.push(table.sums[o + f.pr]! - table.sums[o + f.base]!);
    sizes.push(n);
  }
  return clusterRobustTest(deltaSums, sizes);
}

function toleranceOf(t: number | Tolerance): Tolerance {
  const both = typeof t === 'number' ? { cp: t, pf: t } : { cp: t.cp, pf: t.pf };
  for (const m of METRICS)
    if (!(both[m] >= 0 && both[m] < 1))
      throw new InvalidOptionError(
        typeof t === 'number' ? 'tolerance' : `tolerance.${m}`,
        both[m],
        'a number from 0 (inclusive) to 1',
      );
  return both;
}

function validatedPairs(base: readonly ScoredSample[], pr: readonly ScoredSample[]) {
  validateSamples(base, 'baseline');
  validateSamples(pr, 'pr');
  const paired = pairSamples(base, pr);
  for (const m of GATED) {
    const p = paired.pairing.byMetric[m];
    if (p.concepts < 2) throw new InsufficientPairsError(p.paired, p.concepts, m);
  }
  return paired;
}

function gateOf(table: ClusterTable, pairing: Pairing, opts: GateOptions): Gate {
  validateConfidence(opts.confidence);
  const tolerance = toleranceOf(opts.tolerance);
  const tests = { cp: metricTest(table, 'cp'), pf: metricTest(table, 'pf') };
  const decisions = decide(tests, 1 - opts.confidence, tolerance);
  const metric = (m: Metric): GatedMetric => {
    const t = tests[m];
    const d = decisions[m];
    return {
      base: statistic(table.total, 0, OVERALL_GROUP, m, 'base'),
      pr: statistic(table.total, 0, OVERALL_GROUP, m, 'pr'),
      delta: t.delta,
      ci: [d.lower.value, d.upper.value],
      lower: d.lower,
      upper: d.upper,
      samples: pairing.byMetric[m].paired,
      concepts: pairing.byMetric[m].concepts,
      se: t.se,
      df: t.df,
      p: d.p,
      pAdjusted: d.pAdjusted,
      mde: d.mde,
      tolerance: tolerance[m],
      verdict: d.verdict,
    };
  };
  const cp = metric('cp');
  const pf = metric('pf');
  return {
    pairing,
    cp,
    pf,
    verdict: overallVerdict([cp.verdict, pf.verdict]),
    confidence: opts.confidence,
    tolerance,
  };
}

function tableOf(pairs: readonly SamplePair[]): ClusterTable {
  return buildClusterTable(pairs.map(({ base, pr }) => toRow(pr, base)));
}

/** The gate alone (no bootstrap): what the verdict rests on. Simulations of the gate call this. */
export function gate(
  base: readonly ScoredSample[],
  pr: readonly ScoredSample[],
  opts: GateOptions,
): Gate {
  const { pairs, pairing } = validatedPairs(base, pr);
  return gateOf(tableOf(pairs), pairing, opts);
}

export function compare(
  base: readonly ScoredSample[],
  pr: readonly ScoredSample[],
  opts: CompareOptions,
): Comparison {
  const iterations = validateStatOptions(opts);
  const { pairs, pairing } = validatedPairs(base, pr);
  const table = tableOf(pairs);
  const gated = gateOf(table, pairing, opts);
  const replicates = bootstrapSums(table, iterations, opts.seed);
  const counts = groupCounts(table);
  const groups = breakdown<GroupDelta>((g) => ({
    ...counts(g),
    cp: deltaEstimate(table, replicates, g, 'cp', opts.confidence),
    pf: deltaEstimate(table, replicates, g, 'pf', opts.confidence),
    cpPf: deltaEstimate(table, replicates, g, 'cpPf', opts.confidence),
  }));
  return {
    ...groups,
    ...gated,
    cpPf: groups.overall.cpPf!,
    sampleDeltas: sampleDeltas(pairs),
    seed: opts.seed,
    iterations,
  };
}
