// Does the production gate keep its promises on DreamBench++-like data? 400 simulated PRs per
// scenario (score model and parameters in score-model.ts). The gate is compare(...).verdict; the
// bootstrap only draws intervals, so fewer iterations here change no verdict, only save time.
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/compare/index.ts';
import { holmAdjust } from '../../src/compare/holm.ts';
import { studentTTwoSidedP } from '../../src/compare/student-t.ts';
import type { ScoredSample } from '../../src/types.ts';
import {
  DREAMBENCH_LIKE,
  expectedScore,
  latentShiftFor,
  simulatePair,
  type Design,
} from './score-model.ts';

const RUNS = 400;
const OPTS = { confidence: 0.95, tolerance: 0.02, seed: 11, iterations: 100 };
const WIDE: Design = { concepts: 50, promptsPerConcept: 3 }; // what a cluster-aware sampler gives
const DEEP: Design = { concepts: 17, promptsPerConcept: 9 }; // same 150 samples, few images
/** Latent shift that lowers the expected observed CP by 0.05 on the 0-1 scale (0.2 judge points). */
const CP_DROP = latentShiftFor(DREAMBENCH_LIKE.cp, -0.2);

/** What a test that treats the samples as independent would conclude, with the same Holm and
 * tolerance rules: the mistake this module exists to avoid. */
function naiveTests(base: ScoredSample[], pr: ScoredSample[]) {
  const tests = (['cp', 'pf'] as const).map((m) => {
    const d = pr.map((p, i) => (p[m] - base[i]![m]) / 4);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
    const p =
      sd === 0
        ? Number(mean === 0)
        : studentTTwoSidedP(mean / (sd / Math.sqrt(d.length)), d.length - 1);
    return { mean, p };
  });
  const adjusted = holmAdjust(tests.map((t) => t.p));
  return {
    gateFires: tests.some((t, i) => adjusted[i]! < 0.05 && t.mean < -OPTS.tolerance),
    cpP: tests[0]!.p,
  };
}

function simulate(design: Design, cpShift: number, seed0: number) {
  let fires = 0;
  let naive = 0;
  let cpSignificant = 0;
  let naiveCpSignificant = 0;
  let cpMean = 0;
  let pfMean = 0;
  let mde = 0;
  for (let run = 0; run < RUNS; run++) {
    const { base, pr } = simulatePair(DREAMBENCH_LIKE, design, { cp: cpShift, pf: 0 }, seed0 + run);
    const c = compare(base, pr, OPTS);
    if (c.verdict === 'regression') fires++;
    const n = naiveTests(base, pr);
    if (n.gateFires) naive++;
    if (c.cp.p < 0.05) cpSignificant++;
    if (n.cpP < 0.05) naiveCpSignificant++;
    cpMean += c.cp.base / RUNS;
    pfMean += c.pf.base / RUNS;
    mde += c.cp.mde / RUNS;
  }
  return {
    fires: fires / RUNS,
    naive: naive / RUNS,
    /** Share of runs with unadjusted two-sided CP p < 0.05: the test's size under no change. */
    cpSignificant: cpSignificant / RUNS,
    naiveCpSignificant: naiveCpSignificant / RUNS,
    cpMean,
    pfMean,
    mde,
  };
}

describe('gate on simulated DreamBench++ scores', () => {
  it('uses a score model that looks like DreamBench++ (CP ~0.6, PF ~0.8)', () => {
    expect(expectedScore(DREAMBENCH_LIKE.cp) / 4).toBeCloseTo(0.6, 1);
    expect(expectedScore(DREAMBENCH_LIKE.pf) / 4).toBeCloseTo(0.8, 1);
    expect(
      expectedScore(DREAMBENCH_LIKE.cp, CP_DROP) - expectedScore(DREAMBENCH_LIKE.cp),
    ).toBeCloseTo(-0.2, 6);
  });

  it('raises few false alarms with no true change (50 images x 3 prompts)', () => {
    const r = simulate(WIDE, 0, 1_000);
    expect(r.cpMean).toBeGreaterThan(0.55);
    expect(r.cpMean).toBeLessThan(0.65);
    expect(r.pfMean).toBeGreaterThan(0.75);
    expect(r.pfMean).toBeLessThan(0.85);
    expect(r.fires).toBeLessThanOrEqual(0.05); // measured 0.0175
    expect(r.cpSignificant).toBeLessThanOrEqual(0.075); // measured 0.0625 (0.049 over 3000 runs)
  });

  it('raises few false alarms with no true change (17 images x 9 prompts), unlike an i.i.d. test', () => {
    const r = simulate(DEEP, 0, 2_000);
    expect(r.fires).toBeLessThanOrEqual(0.05); // measured 0.02
    // The naive test counts 9 correlated prompts as 9 independent witnesses.
    expect(r.naive).toBeGreaterThan(2 * r.fires); // measured 0.055
    // Size of the plain two-sided CP test at 5%: ours near nominal, the naive one over twice it.
    expect(r.cpSignificant).toBeLessThanOrEqual(0.075); // measured 0.055
    expect(r.naiveCpSignificant).toBeGreaterThan(0.09); // measured 0.1025
  });

  it('catches a true CP drop of 0.05 in at least 80% of PRs at 150 samples (50 x 3)', () => {
    const r = simulate(WIDE, CP_DROP, 3_000);
    expect(r.fires).toBeGreaterThanOrEqual(0.8); // measured 0.83
    // The reported MDE is honest: this drop sits at the 80%-power boundary.
    expect(r.mde).toBeGreaterThan(0.045);
    expect(r.mde).toBeLessThan(0.055);
  });

  it('has less power for the same 150 samples on 17 images x 9 prompts, and says so via the MDE', () => {
    const r = simulate(DEEP, CP_DROP, 4_000);
    expect(r.fires).toBeLessThan(0.8); // measured 0.57: clustering eats effective sample size
    expect(r.fires).toBeGreaterThan(0.4);
    expect(r.mde).toBeGreaterThan(0.05); // measured 0.061
  });
});
