// Operating characteristics of the production gate on simulated PRs: how often it fails a PR that
// changed nothing (false alarms), how often it catches a true drop, what MDE it reports, and
// whether its intervals ever disagree with its verdicts. Shared by the fast seeded tests
// (test/compare/*.test.ts) and the heavy simulation (bench/gate.ts, npm run bench).
import { gate, type Gate } from '../../src/compare/index.ts';
import type { ScoredSample } from '../../src/types.ts';
import {
  CALIBRATED,
  latentShiftFor,
  simulatePair,
  withRefusals,
  withWorstBroken,
  type Design,
  type ScoreModel,
  type Scoring,
} from './score-model.ts';

export interface Scenario {
  readonly design: Design;
  readonly scoring: Scoring;
  /** True drop of the expected observed CP / PF, on the 0-1 scale (0: no change). */
  readonly cpDrop?: number;
  readonly pfDrop?: number;
  readonly tolerance: number;
  readonly confidence?: number;
  /** Per sample and metric, the chance that the judge refuses (both sides, independently). */
  readonly refusals?: number;
  /** Share of the PR's worst samples whose images break. */
  readonly prBroken?: number;
  readonly runs: number;
  readonly seed: number;
  readonly model?: ScoreModel;
}

export interface Operating {
  readonly runs: number;
  /** Share of PRs with verdict `regression`. */
  readonly regression: number;
  /** Per PR, whether the verdict was `regression` (for paired comparisons of two scenarios). */
  readonly regressed: readonly boolean[];
  /** Share with verdict `improvement`. */
  readonly improvement: number;
  /** Mean reported CP minimum detectable effect. */
  readonly cpMde: number;
  /** Gated metrics whose interval excludes 0 while the verdict is not significant, or the reverse. */
  readonly disagreements: number;
}

/** What a verdict calls significant (either direction, within the tolerance or not). */
export function isSignificant(verdict: Gate['cp']['verdict']): boolean {
  return verdict !== 'no significant change';
}

export function excludesZero(ci: readonly [number, number]): boolean {
  return ci[1] < 0 || ci[0] > 0;
}

/** One simulated PR: the baseline's and the PR's outcomes. */
export function simulatedRun(
  s: Scenario,
  run: number,
): { base: ScoredSample[]; pr: ScoredSample[] } {
  const model = s.model ?? CALIBRATED;
  const shift = {
    cp: s.cpDrop ? latentShiftFor(model.cp, -4 * s.cpDrop) : 0,
    pf: s.pfDrop ? latentShiftFor(model.pf, -4 * s.pfDrop) : 0,
  };
  const seed = s.seed + run;
  let { base, pr } = simulatePair(model, s.design, shift, seed, s.scoring);
  if (s.prBroken) pr = withWorstBroken(pr, s.prBroken);
  if (s.refusals) {
    base = withRefusals(base, s.refusals, seed ^ 0x5bd1e995);
    pr = withRefusals(pr, s.refusals, seed ^ 0x1b873593);
  }
  return { base, pr };
}

export function operate(s: Scenario): Operating {
  let regression = 0;
  let improvement = 0;
  let cpMde = 0;
  let disagreements = 0;
  const regressed: boolean[] = [];
  for (let run = 0; run < s.runs; run++) {
    const { base, pr } = simulatedRun(s, run);
    const g = gate(base, pr, { confidence: s.confidence ?? 0.95, tolerance: s.tolerance });
    regressed.push(g.verdict === 'regression');
    if (g.verdict === 'regression') regression++;
    if (g.verdict === 'improvement') improvement++;
    cpMde += g.cp.mde;
    for (const m of [g.cp, g.pf])
      if (excludesZero(m.ci) !== isSignificant(m.verdict)) disagreements++;
  }
  return {
    runs: s.runs,
    regression: regression / s.runs,
    regressed,
    improvement: improvement / s.runs,
    cpMde: cpMde / s.runs,
    disagreements,
  };
}

/** The four designs of METHOD.md's table: images x prompts per image. */
export const DESIGNS = {
  '150x1': { concepts: 150, promptsPerConcept: 1 },
  '50x3': { concepts: 50, promptsPerConcept: 3 },
  '17x9': { concepts: 17, promptsPerConcept: 9 },
  '150x9': { concepts: 150, promptsPerConcept: 9 },
} as const satisfies Record<string, Design>;
