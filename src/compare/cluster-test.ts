// The gate's test: a cluster-robust t-test of the mean paired delta. Analytic rather than bootstrap
// p-values so the gate is deterministic (no Monte Carlo noise, independent of seed and iteration
// count) and gets a small-sample correction for few reference images (CR1 variance, t with
// clusters-1 degrees of freedom), where a percentile bootstrap is known to be too narrow.
import { studentTCdf } from './student-t.ts';

export interface ClusterTest {
  /** Mean paired delta over samples (0-1 scale). */
  readonly delta: number;
  /** Cluster-robust standard error of the delta. */
  readonly se: number;
  /** Degrees of freedom: clusters - 1. */
  readonly df: number;
  /** One-sided p-values: P(T <= t) for a drop, P(T >= t) for a rise, under no change. */
  readonly pLower: number;
  readonly pUpper: number;
}

/**
 * `deltaSums[c]` is the sum of per-sample deltas in cluster c, `sizes[c]` its sample count (every
 * cluster has at least one sample). The delta is the ratio sum/size over all samples; its CR1
 * variance is K/(K-1) * sum_c (D_c - n_c * delta)^2 / N^2 (the sandwich estimator of an
 * intercept-only model).
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
  if (se === 0) {
    return { delta, se, df, pLower: delta < 0 ? 0 : 1, pUpper: delta > 0 ? 0 : 1 };
  }
  const t = delta / se;
  return { delta, se, df, pLower: studentTCdf(t, df), pUpper: studentTCdf(-t, df) };
}
