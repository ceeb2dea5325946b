// The gate's decisions on CP and PF, and the intervals that go with them.
//
// Each direction is its own family of one-sided tests, Holm-corrected at alpha over the gated
// metrics: "regression" tests each metric for a drop, "improvement" for a rise (an improvement
// never fails the check, and testing it separately costs the regression test nothing).
//
// The interval shown for a gated metric is the test's own: each end is the one-sided t bound
// (CR1 SE, clusters-1 df) at the level Holm tested that metric at in that direction. Holm tests a
// metric at alpha / (tests - r), r being how many of the other metrics it rejected; so the bound
// excludes zero exactly when Holm rejects (U < 0 <=> P(T <= t) < level). With nothing significant
// both ends sit at alpha / tests: for CP and PF at 95%, the ordinary two-sided 95% t-interval.
import type { Metric } from '../types.ts';
import type { ClusterTest } from './cluster-test.ts';
import { holmAdjust } from './holm.ts';
import { minimumDetectableEffect } from './power.ts';
import { studentTQuantile } from './student-t.ts';
import { metricVerdict, type MetricVerdict, type Significance } from './verdict.ts';

/** One-sided p-values, one per direction. */
export interface OneSided {
  readonly regression: number;
  readonly improvement: number;
}

/** One end of a gated metric's interval: its value and its one-sided confidence (e.g. 0.975). */
export interface ConfidenceBound {
  readonly value: number;
  readonly confidence: number;
}

export interface GateDecision {
  readonly p: OneSided;
  /** Holm-adjusted over the gated metrics, within each direction. */
  readonly pAdjusted: OneSided;
  /** Upper bound: the regression test's. Below zero exactly when the drop is significant. */
  readonly upper: ConfidenceBound;
  /** Lower bound: the improvement test's. Above zero exactly when the rise is significant. */
  readonly lower: ConfidenceBound;
  readonly significant: Significance;
  readonly verdict: MetricVerdict;
  /** Smallest true change the gate flags with 80% power (0-1 scale). */
  readonly mde: number;
}

export const GATED = ['cp', 'pf'] as const satisfies readonly Metric[];
const POWER = 0.8;

/** Per metric, from its Holm-adjusted p-value: the one-sided level Holm tested it at, and whether
 * it rejected. */
function holmLevels(
  adjusted: readonly number[],
  alpha: number,
): { level: number; rejected: boolean }[] {
  const rejected = adjusted.map((q) => q < alpha);
  return adjusted.map((_, i) => {
    const others = rejected.filter((r, j) => r && j !== i).length;
    return { level: alpha / (adjusted.length - others), rejected: rejected[i]! };
  });
}

function bound(test: ClusterTest, level: number, side: 1 | -1): ConfidenceBound {
  const value =
    test.se === 0 ? test.delta : test.delta + side * studentTQuantile(1 - level, test.df) * test.se;
  return { value, confidence: 1 - level };
}

export function decide(
  tests: Readonly<Record<Metric, ClusterTest>>,
  alpha: number,
  tolerance: Readonly<Record<Metric, number>>,
): Record<Metric, GateDecision> {
  const down = GATED.map((m) => tests[m].pLower);
  const up = GATED.map((m) => tests[m].pUpper);
  const [adjDown, adjUp] = [holmAdjust(down), holmAdjust(up)];
  const [levelsDown, levelsUp] = [holmLevels(adjDown, alpha), holmLevels(adjUp, alpha)];
  const out = {} as Record<Metric, GateDecision>;
  GATED.forEach((m, i) => {
    const test = tests[m];
    const significant: Significance = levelsDown[i]!.rejected
      ? 'drop'
      : levelsUp[i]!.rejected
        ? 'rise'
        : null;
    out[m] = {
      p: { regression: down[i]!, improvement: up[i]! },
      pAdjusted: { regression: adjDown[i]!, improvement: adjUp[i]! },
      upper: bound(test, levelsDown[i]!.level, 1),
      lower: bound(test, levelsUp[i]!.level, -1),
      significant,
      verdict: metricVerdict(test.delta, significant, tolerance[m]),
      mde: minimumDetectableEffect(test.se, test.df, alpha, GATED.length, tolerance[m], POWER),
    };
  });
  return out;
}
