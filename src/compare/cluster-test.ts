// The gate's test: a cluster-robust t-test of the mean paired delta, and its minimum detectable
// effect. Analytic rather than bootstrap p-values so the gate is deterministic (no Monte Carlo
// noise, independent of seed and iteration count) and gets a small-sample correction for few
// reference images (CR1 variance, t with clusters-1 degrees of freedom), where a percentile
// bootstrap is known to be too narrow.
import { studentTQuantile, studentTTwoSidedP } from './student-t.ts';

export interface ClusterTest {
  /** Mean paired delta over samples (0-1 scale). */
  readonly delta: number;
  /** Cluster-robust standard error of the delta. */
  readonly se: number;
  /** Degrees of freedom: clusters - 1. */
  readonly df: number;
  /** Two-sided p-value for delta = 0. */
  readonly p: number;
}

/**
 * `deltaSums[c]` is the sum of per-sample deltas in cluster c, `sizes[c]` its sample count.
 * The delta is the ratio sum/size over all samples; its CR1 variance is
 * K/(K-1) * sum_c (D_c - n_c * delta)^2 / N^2 (the sandwich estimator of an intercept-only model).
 */
export function clusterRobustTest(
  deltaSums: ArrayLike<number>,
  sizes: ArrayLike<number>,
): ClusterTest {
  const k = deltaSums.length;
  let total = 0;
  let n = 0;
  for (let c = 0; c < k; c++) {
    total += deltaSums[c]!;
    n += sizes[c]!;
  }
  const delta = total / n;
  let ss = 0;
  for (let c = 0; c < k; c++) ss += (deltaSums[c]! - sizes[c]! * delta) ** 2;
  const se = Math.sqrt(((k / (k - 1)) * ss) / (n * n));
  const df = k - 1;
  // Identical deltas everywhere give se = 0: a certain change (or none).
  const p = se === 0 ? (delta === 0 ? 1 : 0) : studentTTwoSidedP(delta / se, df);
  return { delta, se, df, p };
}

/**
 * The smallest true change (0-1 scale) that the gate would flag with probability `power`:
 * a change is flagged when |delta| exceeds both the critical value c*SE and the tolerance, so
 * MDE = max(c*SE, tolerance) + t_power*SE, with c = t_{1-alpha/(2*tests)} (Holm's first step).
 */
export function minimumDetectableEffect(
  se: number,
  df: number,
  alpha: number,
  tests: number,
  tolerance: number,
  power = 0.8,
): number {
  const critical = studentTQuantile(1 - alpha / (2 * tests), df);
  return Math.max(critical * se, tolerance) + studentTQuantile(power, df) * se;
}
