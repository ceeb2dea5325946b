import { describe, expect, it } from 'vitest';
import { clusterRobustTest } from '../../src/compare/cluster-test.ts';
import { decide } from '../../src/compare/gate.ts';
import { holmAdjust } from '../../src/compare/holm.ts';
import { normalCdf } from '../../src/compare/normal.ts';
import { c4, gatePower, minimumDetectableEffect } from '../../src/compare/power.ts';
import { studentTCdf, studentTQuantile } from '../../src/compare/student-t.ts';
import { metricVerdict, overallVerdict } from '../../src/compare/verdict.ts';

describe('Holm adjustment', () => {
  it('multiplies the smallest p by 2 and keeps the sequence monotone', () => {
    expect(holmAdjust([0.01, 0.04])).toEqual([0.02, 0.04]);
    // Sorted: 0.02 -> 0.04, then 0.03 -> max(0.04, 0.03).
    expect(holmAdjust([0.03, 0.02])).toEqual([0.04, 0.04]);
    expect(holmAdjust([0.6, 0.9])).toEqual([1, 1]);
  });

  it('keeps an undefined p undefined and still counts it as a test', () => {
    const [a, b] = holmAdjust([NaN, 0.01]);
    expect(a).toBeNaN();
    expect(b).toBeCloseTo(0.02, 12);
  });
});

describe('cluster-robust t-test', () => {
  // Clusters A: deltas [1, 2], B: [0], C: [-1, 1, 3] -> D = [3, 0, 3], n = [2, 1, 3], N = 6.
  // delta = 6/6 = 1; residuals D - n*delta = [1, -1, 0]; CR1 variance = 3/2 * 2 / 36 = 1/12.
  it('computes delta, CR1 standard error, df and one-sided p by hand', () => {
    const r = clusterRobustTest([3, 0, 3], [2, 1, 3]);
    expect(r.delta).toBeCloseTo(1, 12);
    expect(r.se).toBeCloseTo(Math.sqrt(1 / 12), 12);
    expect(r.df).toBe(2);
    const t = 1 / Math.sqrt(1 / 12);
    // Closed form for df = 2: P(T >= t) = (1 - t / sqrt(2 + t^2)) / 2.
    expect(r.pUpper).toBeCloseTo((1 - t / Math.sqrt(2 + t * t)) / 2, 8);
    expect(r.pLower).toBeCloseTo(1 - r.pUpper, 12);
  });

  it('is not fooled by many samples in one cluster (the naive SE would be far smaller)', () => {
    // Two clusters of 50 identical deltas each: +1 and -1. Naive i.i.d. SE ~ 0.1, cluster SE = 1.
    const r = clusterRobustTest([50, -50], [50, 50]);
    expect(r.delta).toBe(0);
    expect(r.se).toBeCloseTo(Math.sqrt((2 * (50 * 50 * 2)) / (100 * 100)), 12);
  });

  it('treats identical deltas as certain', () => {
    expect(clusterRobustTest([0, 0, 0], [3, 3, 3])).toMatchObject({ pLower: 1, pUpper: 1 });
    expect(clusterRobustTest([-3, -3], [3, 3])).toMatchObject({ pLower: 0, pUpper: 1 });
  });
});

describe('one-sided gate with Holm per direction (defect 3: regressions were tested at about alpha/2)', () => {
  // A CP drop with t = -2.2 on 40 images (two-sided p 0.034, one-sided 0.017) and no PF change.
  const cp = {
    delta: -0.022,
    se: 0.01,
    df: 39,
    pLower: studentTCdf(-2.2, 39),
    pUpper: studentTCdf(2.2, 39),
  };
  const pf = { delta: 0, se: 0.01, df: 39, pLower: 0.5, pUpper: 0.5 };
  const d = decide({ cp, pf }, 0.05, { cp: 0.02, pf: 0.02 });

  it('calls a one-sided p of 0.017 a regression: Holm over two tests at 0.05 asks for 0.025', () => {
    expect(cp.pLower).toBeCloseTo(0.0169, 4);
    expect(d.cp.pAdjusted.regression).toBeCloseTo(2 * cp.pLower, 12);
    expect(d.cp.verdict).toBe('regression');
    expect(d.pf.verdict).toBe('no significant change');
  });

  it('shows the bound that decided: one-sided 97.5% at Holm’s first step, below zero', () => {
    expect(d.cp.upper.confidence).toBeCloseTo(0.975, 12);
    expect(d.cp.upper.value).toBeCloseTo(-0.022 + studentTQuantile(0.975, 39) * 0.01, 12);
    expect(d.cp.upper.value).toBeLessThan(0);
    // PF is tested at Holm's second step (alpha), since CP's drop was significant.
    expect(d.pf.upper.confidence).toBeCloseTo(0.95, 12);
    expect(d.pf.lower.confidence).toBeCloseTo(0.975, 12);
  });

  it('reports a rise with its own test, never as a regression', () => {
    const up = decide(
      { cp: { ...cp, delta: 0.022, pLower: cp.pUpper, pUpper: cp.pLower }, pf },
      0.05,
      {
        cp: 0.02,
        pf: 0.02,
      },
    );
    expect(up.cp.verdict).toBe('improvement');
    expect(up.cp.lower.value).toBeGreaterThan(0);
    expect(up.cp.upper.value).toBeGreaterThan(0);
  });

  it('calls a significant drop no larger than the tolerance "within tolerance"', () => {
    const small = decide({ cp, pf }, 0.05, { cp: 0.03, pf: 0.02 });
    expect(small.cp.verdict).toBe('within tolerance');
    expect(small.cp.upper.value).toBeLessThan(0);
  });
});

describe('minimum detectable effect (defect 4: optimistic at few images)', () => {
  // The true SE is estimated by SE / c4(df) (E[SE] = c4 * sigma); c4 from scipy.special.gammaln.
  it.each([
    [16, 0.9845064054718305],
    [10, 0.9753500771452293],
    [1, 0.7978845608028655],
  ])('corrects the SE by c4(%i)', (df, want) => {
    expect(c4(df)).toBeCloseTo(want, 12);
  });

  // Reference values: scipy.stats.nct, the ncp with P(t'(df, ncp) > t_{1-alpha/2, df}) = 0.8.
  it.each([
    [16, 0.05, 2.984546463620117],
    [10, 0.1, 2.673584708275716],
    [149, 0.05, 2.81980420410279],
    [1, 0.05, 16.33400886992097],
  ])(
    'is the noncentral t answer when the tolerance does not bind (df %i, alpha %f)',
    (df, alpha, ncp) => {
      expect((minimumDetectableEffect(0.001, df, alpha, 2, 0) / 0.001) * c4(df)).toBeCloseTo(
        ncp,
        4,
      );
    },
  );

  // Reference values: scipy quad of E_W[Phi((mde - max(c*s*W, tol)) / s)] = 0.8, s = se / c4(df).
  it.each([
    [0.01, 10, 0.1, 0.03, 0.03863490693205394],
    [0.01, 16, 0.05, 0.02, 0.03099275716897442],
    [0.001, 10, 0.1, 0.02, 0.02086289144102626],
  ])(
    'adds the tolerance exactly (se %f, df %i, alpha %f, tolerance %f)',
    (se, df, alpha, tol, mde) => {
      expect(minimumDetectableEffect(se, df, alpha, 2, tol)).toBeCloseTo(mde, 5);
    },
  );

  it('has the power it names, and is the tolerance when nothing varies', () => {
    const c = studentTQuantile(0.975, 16);
    const sigma = 0.01 / c4(16);
    const mde = minimumDetectableEffect(0.01, 16, 0.05, 2, 0.02);
    expect(gatePower(mde, sigma, 16, c, 0.02)).toBeCloseTo(0.8, 8);
    expect(minimumDetectableEffect(0, 16, 0.05, 2, 0.02)).toBe(0.02);
  });

  it('uses a normal CDF accurate far beyond what a power needs', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 8);
  });
});

describe('verdicts', () => {
  it('needs both significance and a change beyond the tolerance', () => {
    expect(metricVerdict(-0.05, 'drop', 0.02)).toBe('regression');
    expect(metricVerdict(0.05, 'rise', 0.02)).toBe('improvement');
    expect(metricVerdict(-0.01, 'drop', 0.02)).toBe('within tolerance');
    expect(metricVerdict(-0.2, null, 0.02)).toBe('no significant change');
  });

  it('fails the run when any gated metric regresses', () => {
    expect(overallVerdict(['improvement', 'regression'])).toBe('regression');
    expect(overallVerdict(['improvement', 'no significant change'])).toBe('improvement');
    expect(overallVerdict(['within tolerance', 'no significant change'])).toBe('pass');
  });
});
