// The comparison as results.json carries it: the verdict and, per gated metric, the numbers the
// gate decided on (delta, the test's interval, p-values, MDE), so that tools can read the outcome
// of a run without re-deriving it. Plain JSON data; the report's per-sample lists stay out.
import type { Metric } from '../types.ts';
import type { Interval } from './absolute-report.ts';
import type { Comparison, GatedMetric, Tolerance } from './compare.ts';
import type { OneSided } from './gate.ts';
import type { Pairing } from './pairing.ts';
import type { ComparisonVerdict, MetricVerdict } from './verdict.ts';

/** Names the test, so a reader knows what `p` and `interval` mean. */
export const GATE_METHOD =
  'paired per-metric deltas; one-sided cluster-robust t-tests (CR1, reference images - 1 df) per ' +
  'direction, Holm over cp and pf; intervals are the tests own bounds; cpPf: cluster bootstrap';

export interface GatedMetricRecord {
  readonly base: number;
  readonly pr: number;
  readonly delta: number;
  /** The test's interval [lower, upper], and each end's one-sided confidence. */
  readonly interval: Interval;
  readonly intervalConfidence: { readonly lower: number; readonly upper: number };
  readonly se: number;
  readonly df: number;
  readonly samples: number;
  readonly concepts: number;
  readonly p: OneSided;
  readonly pAdjusted: OneSided;
  readonly mde: number;
  readonly tolerance: number;
  readonly verdict: MetricVerdict;
}

export interface ComparisonRecord {
  readonly method: string;
  readonly verdict: ComparisonVerdict;
  readonly confidence: number;
  readonly tolerance: Tolerance;
  readonly pairing: Omit<Pairing, 'baseOnlyIds' | 'prOnlyIds'>;
  readonly cp: GatedMetricRecord;
  readonly pf: GatedMetricRecord;
  /** The summary product: reported, not gated; a bootstrap percentile interval (null when too
   * sparse). */
  readonly cpPf: {
    readonly base: number;
    readonly pr: number;
    readonly delta: number;
    readonly interval: Interval | null;
  };
  readonly bootstrap: { readonly seed: number; readonly iterations: number };
}

function gatedRecord(g: GatedMetric): GatedMetricRecord {
  return {
    base: g.base,
    pr: g.pr,
    delta: g.delta,
    interval: g.ci,
    intervalConfidence: { lower: g.lower.confidence, upper: g.upper.confidence },
    se: g.se,
    df: g.df,
    samples: g.samples,
    concepts: g.concepts,
    p: g.p,
    pAdjusted: g.pAdjusted,
    mde: g.mde,
    tolerance: g.tolerance,
    verdict: g.verdict,
  };
}

export function comparisonRecord(c: Comparison): ComparisonRecord {
  const p = c.pairing;
  const pairing = {
    paired: p.paired,
    pairedConcepts: p.pairedConcepts,
    byMetric: p.byMetric,
    baseOnly: p.baseOnly,
    prOnly: p.prOnly,
    counted: p.counted,
  };
  const metric = (m: Metric) => gatedRecord(c[m]);
  return {
    method: GATE_METHOD,
    verdict: c.verdict,
    confidence: c.confidence,
    tolerance: c.tolerance,
    pairing,
    cp: metric('cp'),
    pf: metric('pf'),
    cpPf: { base: c.cpPf.base, pr: c.cpPf.pr, delta: c.cpPf.delta, interval: c.cpPf.ci },
    bootstrap: { seed: c.seed, iterations: c.iterations },
  };
}
