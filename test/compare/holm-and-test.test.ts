import { describe, expect, it } from 'vitest';
import { clusterRobustTest, minimumDetectableEffect } from '../../src/compare/cluster-test.ts';
import { holmAdjust } from '../../src/compare/holm.ts';
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
  it('computes delta, CR1 standard error, df and p by hand', () => {
    const r = clusterRobustTest([3, 0, 3], [2, 1, 3]);
    expect(r.delta).toBeCloseTo(1, 12);
    expect(r.se).toBeCloseTo(Math.sqrt(1 / 12), 12);
    expect(r.df).toBe(2);
    const t = 1 / Math.sqrt(1 / 12);
    expect(r.p).toBeCloseTo(1 - t / Math.sqrt(2 + t * t), 8); // closed form for df = 2
  });

  it('is not fooled by many samples in one cluster (the naive SE would be far smaller)', () => {
    // Two clusters of 50 identical deltas each: +1 and -1. Naive i.i.d. SE ~ 0.1, cluster SE = 1.
    const r = clusterRobustTest([50, -50], [50, 50]);
    expect(r.delta).toBe(0);
    expect(r.se).toBeCloseTo(Math.sqrt((2 * (50 * 50 * 2)) / (100 * 100)), 12);
  });

  it('treats identical deltas as certain', () => {
    expect(clusterRobustTest([0, 0, 0], [3, 3, 3]).p).toBe(1);
    expect(clusterRobustTest([-3, -3], [3, 3]).p).toBe(0);
  });
});

describe('minimum detectable effect', () => {
  // confidence 0.9 -> alpha 0.1; Holm's first step over 2 tests: t_{1-0.1/4} = t_{0.975};
  // with df 10: 2.228139, and t_{0.8, 10} = 0.879058.
  it('is (t_crit + t_power) * SE when the critical value exceeds the tolerance', () => {
    expect(minimumDetectableEffect(0.01, 10, 0.1, 2, 0.02)).toBeCloseTo(
      (2.228139 + 0.879058) * 0.01,
      6,
    );
  });

  it('is tolerance + t_power * SE when the tolerance is the binding threshold', () => {
    expect(minimumDetectableEffect(0.001, 10, 0.1, 2, 0.02)).toBeCloseTo(0.02 + 0.000879058, 8);
  });
});

describe('verdicts', () => {
  it('needs both significance and a change beyond the tolerance', () => {
    expect(metricVerdict(-0.05, 0.001, 0.05, 0.02)).toBe('regression');
    expect(metricVerdict(0.05, 0.001, 0.05, 0.02)).toBe('improvement');
    expect(metricVerdict(-0.01, 0.001, 0.05, 0.02)).toBe('no significant change');
    expect(metricVerdict(-0.2, 0.05, 0.05, 0.02)).toBe('no significant change');
  });

  it('fails the run when any gated metric regresses', () => {
    expect(overallVerdict(['improvement', 'regression'])).toBe('regression');
    expect(overallVerdict(['improvement', 'no significant change'])).toBe('improvement');
    expect(overallVerdict(['no significant change', 'no significant change'])).toBe('pass');
  });
});
