// The power of the gate's one-sided test, and from it the minimum detectable effect. Exact for
// normal per-image sums: the estimate is N(effect, sigma^2) and the test's standard error is
// sigma * sqrt(chi2_df / df), independent of it. With tolerance 0 this is the noncentral t power
// P(t'(df, effect / sigma) > critical); with a tolerance the flag also needs the estimate past it.
import { normalCdf } from './normal.ts';
import { logGamma, studentTQuantile } from './student-t.ts';

interface Quadrature {
  /** Values of W = sqrt(chi2_df / df). */
  readonly w: Float64Array;
  /** Their probability weights (sum 1). */
  readonly p: Float64Array;
}

const NODES = 200; // Simpson intervals over +-8 sd of the chi distribution: smooth integrand
const quadratures = new Map<number, Quadrature>();

/** Simpson's rule over x = sqrt(chi2_df) (finite density at 0 even for df = 1), normalised. */
function quadrature(df: number): Quadrature {
  const known = quadratures.get(df);
  if (known) return known;
  const centre = Math.sqrt(df);
  const lo = Math.max(0, centre - 8);
  const hi = centre + 8;
  const h = (hi - lo) / NODES;
  const logNorm = (1 - df / 2) * Math.LN2 - logGamma(df / 2);
  const w = new Float64Array(NODES + 1);
  const p = new Float64Array(NODES + 1);
  let sum = 0;
  for (let i = 0; i <= NODES; i++) {
    const x = lo + i * h;
    const density =
      x === 0
        ? df === 1
          ? Math.sqrt(2 / Math.PI)
          : 0
        : Math.exp(logNorm + (df - 1) * Math.log(x) - (x * x) / 2);
    const simpson = i === 0 || i === NODES ? 1 : i % 2 === 1 ? 4 : 2;
    w[i] = x / centre;
    p[i] = simpson * density;
    sum += p[i]!;
  }
  for (let i = 0; i <= NODES; i++) p[i]! /= sum;
  const q = { w, p };
  quadratures.set(df, q);
  return q;
}

/**
 * P(the gate flags a true change of `effect` in the tested direction), and its derivative in
 * `effect`: the estimate passes the tolerance and estimate / SE passes `critical`. `sigma` is the
 * true standard error of the estimate.
 */
function powerAndSlope(
  effect: number,
  sigma: number,
  df: number,
  critical: number,
  tolerance: number,
): { power: number; slope: number } {
  const { w, p } = quadrature(df);
  let power = 0;
  let slope = 0;
  for (let i = 0; i < w.length; i++) {
    const z = (effect - Math.max(critical * sigma * w[i]!, tolerance)) / sigma;
    power += p[i]! * normalCdf(z);
    slope += (p[i]! * Math.exp(-0.5 * z * z)) / (Math.sqrt(2 * Math.PI) * sigma);
  }
  return { power, slope };
}

export function gatePower(
  effect: number,
  sigma: number,
  df: number,
  critical: number,
  tolerance: number,
): number {
  if (sigma === 0) return effect > tolerance ? 1 : 0;
  return powerAndSlope(effect, sigma, df, critical, tolerance).power;
}

/** E[s] / sigma for a standard deviation estimated with `df` degrees of freedom (normal data). */
export function c4(df: number): number {
  return Math.sqrt(2 / df) * Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2));
}

/**
 * The smallest true change (0-1 scale) the gate flags with probability `power`. The true standard
 * error is estimated by this run's SE / c4(df), which is unbiased where the SE itself runs low
 * (by 1.6% at 17 images). The critical value is Holm's first step, t_{1-alpha/tests}: the level a
 * metric is tested at when the other did not change. Newton's method on the (increasing) power
 * curve, kept inside a bisection bracket.
 */
export function minimumDetectableEffect(
  se: number,
  df: number,
  alpha: number,
  tests: number,
  tolerance: number,
  power = 0.8,
): number {
  if (se === 0) return tolerance;
  const critical = studentTQuantile(1 - alpha / tests, df);
  const sigma = se / c4(df);
  let lo = tolerance;
  let hi = tolerance + (critical + 20) * sigma;
  let x = Math.max(critical * sigma, tolerance) + 0.85 * sigma;
  for (let i = 0; i < 100; i++) {
    const { power: at, slope } = powerAndSlope(x, sigma, df, critical, tolerance);
    if (at < power) lo = x;
    else hi = x;
    const newton = slope > 0 ? x - (at - power) / slope : NaN;
    const next = newton > lo && newton < hi ? newton : (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-10 * sigma) return next;
    x = next;
  }
  return x;
}
