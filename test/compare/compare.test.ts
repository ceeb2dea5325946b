import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../src/compare/holm.ts';
import { minimumDetectableEffect } from '../../src/compare/power.ts';
import {
  compare,
  InsufficientPairsError,
  InvalidOptionError,
  InvalidSampleError,
  largestChanges,
} from '../../src/compare/index.ts';
import { mulberry32 } from '../../src/compare/prng.ts';
import { studentTCdf, studentTQuantile } from '../../src/compare/student-t.ts';
import type { ScoredSample } from '../../src/types.ts';

type Cat = ScoredSample['category'];
type Cls = ScoredSample['promptClass'];
const s = (
  id: string,
  concept: string,
  category: Cat,
  promptClass: Cls,
  cp: number,
  pf: number,
): ScoredSample => ({
  id,
  concept,
  category,
  promptClass,
  cp,
  pf,
});

// Four reference images; `mug-p3` is scored only on the baseline, `ink-p8` only on the PR.
const BASE = [
  s('cat-p0', 'cat', 'animal', 'photorealistic', 3, 4),
  s('cat-p4', 'cat', 'animal', 'style_transfer', 2, 3),
  s('kid-p1', 'kid', 'human', 'photorealistic', 4, 4),
  s('kid-p7', 'kid', 'human', 'imaginative', 1, 2),
  s('mug-p2', 'mug', 'object', 'photorealistic', 3, 3),
  s('mug-p3', 'mug', 'object', 'photorealistic', 4, 4),
  s('ink-p5', 'ink', 'style', 'style_transfer', 2, 4),
];
const PR = [
  s('cat-p0', 'cat', 'animal', 'photorealistic', 2, 4),
  s('cat-p4', 'cat', 'animal', 'style_transfer', 2, 2),
  s('kid-p1', 'kid', 'human', 'photorealistic', 3, 4),
  s('kid-p7', 'kid', 'human', 'imaginative', 1, 3),
  s('mug-p2', 'mug', 'object', 'photorealistic', 3, 3),
  s('ink-p5', 'ink', 'style', 'style_transfer', 0, 4),
  s('ink-p8', 'ink', 'style', 'imaginative', 0, 0),
];
const OPTS = { confidence: 0.95, tolerance: 0.02, seed: 7, iterations: 500 };

/** Independent bootstrap: draws K-1 clusters per replicate (clusters in category, then id order),
 * recomputes the statistic from the raw sample lists, type-7 percentiles. */
function referenceInterval(
  clusters: ScoredSample[][][], // per cluster: [base, pr] pairs
  stat: (pairs: ScoredSample[][]) => number,
  seed: number,
  iterations: number,
  confidence: number,
): [number, number] {
  const random = mulberry32(seed);
  const k = clusters.length;
  const values: number[] = [];
  for (let it = 0; it < iterations; it++) {
    const drawn: ScoredSample[][] = [];
    for (let d = 0; d < k - 1; d++) drawn.push(...clusters[Math.floor(random() * k)]!);
    const v = stat(drawn);
    if (!Number.isNaN(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (values.length - 1) * p;
    const lo = Math.floor(h);
    return values[lo]! + (h - lo) * ((values[lo + 1] ?? values[lo]!) - values[lo]!);
  };
  return [q((1 - confidence) / 2), q(1 - (1 - confidence) / 2)];
}

describe('compare: pairing and point estimates', () => {
  const c = compare(BASE, PR, OPTS);

  it('counts paired and one-sided samples', () => {
    expect(c.pairing).toEqual({
      paired: 6,
      pairedConcepts: 4,
      byMetric: { cp: { paired: 6, concepts: 4 }, pf: { paired: 6, concepts: 4 } },
      baseOnly: 1,
      prOnly: 1,
      baseOnlyIds: ['mug-p3'],
      prOnlyIds: ['ink-p8'],
      counted: { base: { samples: 0, byKind: {} }, pr: { samples: 0, byKind: {} } },
    });
  });

  it('computes paired means and deltas on the 0-1 scale from paired samples only', () => {
    // CP base 3+2+4+1+3+2 = 15, PR 2+2+3+1+3+0 = 11, over 6 samples x 4.
    expect(c.cp.base).toBeCloseTo(15 / 24, 12);
    expect(c.cp.pr).toBeCloseTo(11 / 24, 12);
    expect(c.cp.delta).toBeCloseTo(-4 / 24, 12);
    expect(c.pf.delta).toBeCloseTo(0, 12); // 20 vs 20
    expect(c.cpPf.delta).toBeCloseTo((11 / 24) * (20 / 24) - (15 / 24) * (20 / 24), 12);
    expect(c.byCategory.style).toMatchObject({ samples: 1, concepts: 1 });
    expect(c.byCategory.style.cp!.delta).toBeCloseTo(-0.5, 12);
    expect(c.byClass.photorealistic).toMatchObject({ samples: 3, concepts: 3 });
    expect(c.byClass.photorealistic.cp!.delta).toBeCloseTo(-2 / 12, 12);
  });

  it('runs the one-sided cluster-robust tests, Holm per direction and MDE on hand values', () => {
    // Per-cluster CP delta sums (0-1): cat -0.25, kid -0.25, mug 0, ink -0.5; sizes 2, 2, 1, 1.
    const d = -1 / 6;
    const residuals = [-0.25 - 2 * d, -0.25 - 2 * d, 0 - d, -0.5 - d];
    const se = Math.sqrt(((4 / 3) * residuals.reduce((a, r) => a + r * r, 0)) / 36);
    expect(c.cp.se).toBeCloseTo(se, 12);
    expect(c.cp.df).toBe(3);
    expect(c.cp.p.regression).toBeCloseTo(studentTCdf(d / se, 3), 12);
    expect(c.cp.p.improvement).toBeCloseTo(1 - studentTCdf(d / se, 3), 12);
    expect(c.pf.p).toEqual({ regression: 0.5, improvement: 0.5 }); // mean delta 0
    expect([c.cp.pAdjusted.regression, c.pf.pAdjusted.regression]).toEqual(
      holmAdjust([c.cp.p.regression, c.pf.p.regression]),
    );
    expect(c.cp.mde).toBeCloseTo(minimumDetectableEffect(se, 3, 0.05, 2, 0.02), 12);
    // A 0.17 drop on 4 reference images is not evidence of a regression (one-sided p ~ 0.056).
    expect(c.cp.p.regression).toBeGreaterThan(0.05);
    expect(c.cp.verdict).toBe('no significant change');
    // The interval is the test's: each end a one-sided 97.5% t bound, 3 df.
    const t = studentTQuantile(0.975, 3);
    expect(c.cp.ci[0]).toBeCloseTo(d - t * se, 12);
    expect(c.cp.ci[1]).toBeCloseTo(d + t * se, 12);
    expect(c.cp.ci[1]).toBeGreaterThan(0);
    expect(c.verdict).toBe('pass');
  });

  it('reproduces the bootstrap interval with an independent implementation', () => {
    const order = ['cat', 'kid', 'mug', 'ink']; // category order, then id
    const clusters = order.map((concept) =>
      PR.filter((p) => p.concept === concept && BASE.some((b) => b.id === p.id)).map((p) => [
        BASE.find((b) => b.id === p.id)!,
        p,
      ]),
    );
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const cpDelta = (pairs: ScoredSample[][]) => mean(pairs.map(([b, p]) => (p!.cp! - b!.cp!) / 4));
    const photo = (pairs: ScoredSample[][]) => {
      const ps = pairs.filter(([, p]) => p!.promptClass === 'photorealistic');
      return ps.length === 0 ? NaN : mean(ps.map(([b, p]) => (p!.pf! - b!.pf!) / 4));
    };
    const cpPf = (pairs: ScoredSample[][]) =>
      mean(pairs.map(([, p]) => p!.cp! / 4)) * mean(pairs.map(([, p]) => p!.pf! / 4)) -
      mean(pairs.map(([b]) => b!.cp! / 4)) * mean(pairs.map(([b]) => b!.pf! / 4));
    const [lo, hi] = referenceInterval(clusters, cpDelta, 7, 500, 0.95);
    expect(c.overall.cp!.ci![0]).toBeCloseTo(lo, 12);
    expect(c.overall.cp!.ci![1]).toBeCloseTo(hi, 12);
    expect(lo).toBeLessThan(hi);
    const [plo, phi] = referenceInterval(clusters, photo, 7, 500, 0.95);
    expect(c.byClass.photorealistic.pf!.ci![0]).toBeCloseTo(plo, 12);
    expect(c.byClass.photorealistic.pf!.ci![1]).toBeCloseTo(phi, 12);
    const [xlo, xhi] = referenceInterval(clusters, cpPf, 7, 500, 0.95);
    expect(c.cpPf.ci).toEqual([expect.closeTo(xlo, 12), expect.closeTo(xhi, 12)]);
  });

  it('gives no interval for a group that most replicates leave empty', () => {
    // The style stratum is one of 4 images; 3 draws miss it in (3/4)^3 = 42% of replicates.
    expect(c.byCategory.style.cp!.ci).toBeNull();
  });
});

describe('compare: determinism', () => {
  it('is the same for the same seed, whatever the input order', () => {
    const a = compare(BASE, PR, OPTS);
    const b = compare([...BASE].reverse(), [...PR].reverse(), OPTS);
    expect(b).toEqual(a);
  });
});

/** 20 reference images x 3 prompts with varied scores; `cpChange` is added to the PR's CP. */
function grid(cpChange: (c: number, i: number) => number) {
  const base: ScoredSample[] = [];
  const pr: ScoredSample[] = [];
  const cats: Cat[] = ['animal', 'human', 'object', 'style'];
  const classes: Cls[] = ['photorealistic', 'style_transfer', 'imaginative'];
  for (let c = 0; c < 20; c++)
    for (let i = 0; i < 3; i++) {
      const common = {
        id: `c${c}-p${i}`,
        concept: `c${c}`,
        category: cats[c % 4]!,
        promptClass: classes[i]!,
      };
      const cp = 1 + ((c * 7 + i * 3) % 4) * 0.9;
      const pf = 1 + ((c * 5 + i) % 3);
      base.push({ ...common, cp, pf });
      pr.push({ ...common, cp: Math.min(4, Math.max(0, cp + cpChange(c, i))), pf });
    }
  return { base, pr };
}

describe('compare: seed', () => {
  it('moves the interval, not the estimate or the test, with the seed', () => {
    const { base, pr } = grid((c, i) => ((c * 3 + i) % 5) * 0.3 - 0.6);
    const a = compare(base, pr, OPTS);
    const b = compare(base, pr, { ...OPTS, seed: 8 });
    expect(b.overall.cp!.ci).not.toEqual(a.overall.cp!.ci);
    expect([b.cp.delta, b.cp.p, b.cp.ci, b.verdict]).toEqual([
      a.cp.delta,
      a.cp.p,
      a.cp.ci,
      a.verdict,
    ]);
  });
});

describe('compare: verdicts', () => {
  it('flags a significant CP drop beyond the tolerance as a regression', () => {
    const { base, pr } = grid((c, i) => -0.4 - ((c + i) % 3) * 0.1);
    const r = compare(base, pr, OPTS);
    expect(r.cp.verdict).toBe('regression');
    expect(r.pf.verdict).toBe('no significant change');
    expect(r.verdict).toBe('regression');
    expect(r.cp.ci[1]).toBeLessThan(0);
  });

  it('flags the same change upward as an improvement', () => {
    const { base, pr } = grid((c, i) => -0.4 - ((c + i) % 3) * 0.1);
    const r = compare(pr, base, OPTS);
    expect(r.cp.verdict).toBe('improvement');
    expect(r.verdict).toBe('improvement');
  });

  it('passes a certain but smaller-than-tolerance drop, calling it within tolerance', () => {
    const { base, pr } = grid(() => -0.04); // -0.01 on the 0-1 scale, identical everywhere
    const r = compare(base, pr, OPTS);
    expect(r.cp.delta).toBeCloseTo(-0.01, 12);
    expect(r.cp.p.regression).toBeLessThan(1e-10);
    expect(r.cp.verdict).toBe('within tolerance');
    expect(r.cp.ci[1]).toBeLessThan(0);
    expect(r.verdict).toBe('pass');
  });

  it('takes one tolerance per metric', () => {
    const { base, pr } = grid((c, i) => -0.4 - ((c + i) % 3) * 0.1); // CP about -0.125
    expect(compare(base, pr, { ...OPTS, tolerance: { cp: 0.2, pf: 0 } }).cp.verdict).toBe(
      'within tolerance',
    );
    const r = compare(base, pr, { ...OPTS, tolerance: { cp: 0.1, pf: 0.5 } });
    expect([r.cp.verdict, r.cp.tolerance, r.tolerance]).toEqual([
      'regression',
      0.1,
      { cp: 0.1, pf: 0.5 },
    ]);
  });

  it('passes identical results with zero-width intervals', () => {
    const { base } = grid(() => 0);
    const r = compare(base, base, OPTS);
    expect([r.cp.delta, r.cp.p, r.cp.ci]).toEqual([0, { regression: 1, improvement: 1 }, [0, 0]]);
    expect(r.verdict).toBe('pass');
  });
});

describe('compare: per-sample changes', () => {
  it('lists the largest changes first, ties by id', () => {
    const r = compare(BASE, PR, OPTS);
    expect(r.sampleDeltas.map((d) => d.id)).toEqual([
      'ink-p5',
      'cat-p0',
      'cat-p4',
      'kid-p1',
      'kid-p7',
      'mug-p2',
    ]);
    expect(r.sampleDeltas[0]!.cp).toEqual({ base: 2, pr: 0, delta: -2 });
    expect(largestChanges(r.sampleDeltas, 2, 'pf').map((d) => d.id)).toEqual(['cat-p4', 'kid-p7']);
  });
});

describe('compare: refusals', () => {
  it('needs paired samples from at least two reference images', () => {
    const only = (xs: ScoredSample[]) => xs.filter((x) => x.concept === 'cat');
    expect(() => compare(only(BASE), only(PR), OPTS)).toThrow(InsufficientPairsError);
    expect(() => compare(only(BASE), only(PR), OPTS)).toThrow(
      /2 sample\(s\) from 1 reference image\(s\) have a CP outcome/,
    );
  });

  it('refuses one id that names different samples on the two sides', () => {
    const moved = PR.map((p) =>
      p.id === 'mug-p2' ? { ...p, promptClass: 'imaginative' as const } : p,
    );
    expect(() => compare(BASE, moved, OPTS)).toThrow(InvalidSampleError);
    expect(() => compare(BASE, moved, OPTS)).toThrow(/"mug-p2": promptClass is "imaginative"/);
  });

  it.each([
    [{ confidence: 1 }, /confidence is 1/],
    [{ tolerance: -0.1 }, /tolerance is -0.1/],
    [{ tolerance: { cp: 0.02, pf: 1 } }, /tolerance.pf is 1/],
    [{ seed: 1.5 }, /seed is 1.5/],
    [{ iterations: 0 }, /iterations is 0/],
  ])('refuses options %o', (patch, message) => {
    expect(() => compare(BASE, PR, { ...OPTS, ...patch })).toThrow(InvalidOptionError);
    expect(() => compare(BASE, PR, { ...OPTS, ...patch })).toThrow(message);
  });
});

describe('largestChanges per reference image', () => {
  const d = (id: string, concept: string, cp: number) => ({
    id,
    concept,
    category: 'object' as const,
    promptClass: 'photorealistic' as const,
    cp: { base: 4, pr: 4 - cp, delta: -cp },
    pf: { base: 2, pr: 2, delta: 0 },
  });
  const deltas = [
    d('a-p0', 'a', 3),
    d('a-p1', 'a', 3),
    d('a-p2', 'a', 3),
    d('b-p0', 'b', 2),
    d('c-p0', 'c', 1),
  ];

  it('caps the samples taken from one reference image, keeping the order by size', () => {
    expect(largestChanges(deltas, 4, 'cp', 2).map((x) => x.id)).toEqual([
      'a-p0',
      'a-p1',
      'b-p0',
      'c-p0',
    ]);
    expect(largestChanges(deltas, 3, 'cp').map((x) => x.id)).toEqual(['a-p0', 'a-p1', 'a-p2']);
  });

  it('breaks a tie of the larger change by the other metric, then by id', () => {
    const both = (id: string, cp: number, pf: number) => ({
      ...d(id, id, cp),
      pf: { base: 4, pr: 4 - pf, delta: -pf },
    });
    // All three moved CP by 2.6; the one that also lost PF comes first, then the improvement
    // in PF (a change either way), then the sample that moved only in CP.
    const tied = [both('z-p0', 2.6, 0), both('y-p0', 2.6, 1), both('x-p0', 2.6, -0.5)];
    expect(largestChanges(tied, 3).map((x) => x.id)).toEqual(['y-p0', 'x-p0', 'z-p0']);
  });
});
