// Defect 2: the interval shown for a gated metric contradicted its verdict (a bootstrap interval
// entirely below zero next to "no significant change"). Property: over many seeded comparisons of
// every shape, a gated metric's interval excludes 0 exactly when its verdict says the change is
// significant, and that is exactly when its Holm-adjusted one-sided p-value is below alpha.
import { describe, expect, it } from 'vitest';
import { compare, type Comparison } from '../../src/compare/index.ts';
import { excludesZero, isSignificant, simulatedRun, type Scenario } from './operating.ts';

const SHAPES: Omit<Scenario, 'runs' | 'seed' | 'tolerance'>[] = [
  { design: { concepts: 17, promptsPerConcept: 9 }, scoring: 'expected', cpDrop: 0.05 },
  {
    design: { concepts: 17, promptsPerConcept: 9 },
    scoring: 'sampled',
    cpDrop: 0.02,
    pfDrop: 0.02,
  },
  { design: { concepts: 50, promptsPerConcept: 3 }, scoring: 'sampled', cpDrop: 0.05 },
  { design: { concepts: 8, promptsPerConcept: 9 }, scoring: 'expected', cpDrop: 0.05 },
  { design: { concepts: 4, promptsPerConcept: 3 }, scoring: 'sampled', cpDrop: 0.1 },
  { design: { concepts: 30, promptsPerConcept: 2 }, scoring: 'expected', cpDrop: -0.04 },
  {
    design: { concepts: 30, promptsPerConcept: 2 },
    scoring: 'expected',
    refusals: 0.05,
    pfDrop: 0.05,
  },
];
const TOLERANCES = [0, 0.02, 0.05];
const CONFIDENCES = [0.9, 0.95, 0.99];
const PER_CELL = 8;

function* seeded(): Generator<{ c: Comparison; label: string }> {
  let seed = 0;
  for (const [i, shape] of SHAPES.entries())
    for (const tolerance of TOLERANCES)
      for (const confidence of CONFIDENCES)
        for (let run = 0; run < PER_CELL; run++) {
          const s = { ...shape, tolerance, runs: 1, seed: 70_000 + 97 * seed++ };
          const { base, pr } = simulatedRun(s, run);
          const c = compare(base, pr, { confidence, tolerance, seed: run, iterations: 20 });
          yield {
            c,
            label: `shape ${i}, tolerance ${tolerance}, confidence ${confidence}, run ${run}`,
          };
        }
}

describe('the interval of a gated metric agrees with its verdict', () => {
  const all = [...seeded()];

  it('excludes zero exactly when the verdict says significant, over 504 seeded comparisons', () => {
    const disagree: string[] = [];
    let significant = 0;
    for (const { c, label } of all)
      for (const m of ['cp', 'pf'] as const) {
        const g = c[m];
        if (isSignificant(g.verdict)) significant++;
        if (excludesZero(g.ci) !== isSignificant(g.verdict))
          disagree.push(`${label} ${m}: ${g.verdict} with [${g.ci[0]}, ${g.ci[1]}]`);
      }
    expect(disagree).toEqual([]);
    // The property is not vacuous: plenty of each kind.
    expect(significant).toBeGreaterThan(150);
    expect(significant).toBeLessThan(800);
  });

  it('calls it significant exactly when Holm’s one-sided p is below alpha, in the right direction', () => {
    for (const { c, label } of all)
      for (const m of ['cp', 'pf'] as const) {
        const g = c[m];
        const alpha = 1 - c.confidence;
        const drop = g.pAdjusted.regression < alpha;
        const rise = g.pAdjusted.improvement < alpha;
        expect([label, m, g.ci[1] < 0, g.ci[0] > 0]).toEqual([label, m, drop, rise]);
        if (g.verdict === 'regression') expect(drop && g.delta < -g.tolerance).toBe(true);
        if (g.verdict === 'within tolerance')
          expect(Math.abs(g.delta)).toBeLessThanOrEqual(g.tolerance);
      }
  });
});
