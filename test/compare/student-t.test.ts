import { describe, expect, it } from 'vitest';
import {
  logGamma,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
} from '../../src/compare/student-t.ts';

// Reference values from standard t tables (and closed forms for df = 1, 2).
describe('Student t distribution', () => {
  it.each([
    [0.975, 1, 12.706205],
    [0.975, 10, 2.228139],
    [0.975, 30, 2.042272],
    [0.995, 5, 4.032143],
    [0.8, 10, 0.879058],
    [0.9, 49, 1.299069],
  ])('quantile %d with %d df is %d', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 5);
    expect(studentTQuantile(1 - p, df)).toBeCloseTo(-expected, 5);
  });

  it('matches the closed forms for 1 and 2 degrees of freedom', () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 8); // Cauchy
    const t = 3.4641016;
    expect(studentTTwoSidedP(t, 2)).toBeCloseTo(1 - t / Math.sqrt(2 + t * t), 8);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
  });

  it('gives the tabulated two-sided p at the critical value', () => {
    expect(studentTTwoSidedP(2.228139, 10)).toBeCloseTo(0.05, 6);
    expect(studentTTwoSidedP(-2.042272, 30)).toBeCloseTo(0.05, 6);
  });

  // Reference values: scipy.special.gammaln. (A mistyped Lanczos coefficient once cost 1e-8.)
  it.each([
    [0.5, 0.5723649429247],
    [1, 0],
    [1.5, -0.12078223763524526],
    [8.5, 9.549267257300997],
    [75, 247.57291409618685],
  ])('log-gamma of %d to 12 digits', (x, want) => {
    expect(logGamma(x)).toBeCloseTo(want, 12);
  });
});
