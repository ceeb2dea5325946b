// A seeded generator of DreamBench++-like judge scores for baseline/PR pairs, used by the
// simulation test. Each score is a rounded, clamped latent on the judge's 0-4 scale:
//
//   latent = mean + concept + prompt + model x concept + model x prompt + judge noise
//
// - concept (reference image difficulty) and prompt (this prompt on this image) are shared by
//   baseline and PR: the same reference image and prompt, generated with the same seed;
// - model x concept and model x prompt are drawn independently for each side: how this model
//   version happens to do on this image and this prompt. The model x concept term is what makes
//   the 9 prompts of one image correlated in the delta, i.e. the reason to cluster;
// - judge noise is drawn independently for each side and sample.
// Parameters (0-4 scale) are in DREAMBENCH_LIKE below; observed means come out at about
// CP 0.60 and PF 0.80 on the 0-1 scale, as the published DreamBooth-LoRA-SDXL numbers.
import { mulberry32 } from '../../src/compare/prng.ts';
import { CATEGORIES, PROMPT_CLASSES, type ScoredSample } from '../../src/types.ts';

export interface LatentParams {
  readonly mean: number;
  readonly conceptSd: number;
  readonly promptSd: number;
  readonly modelConceptSd: number;
  readonly modelPromptSd: number;
  readonly judgeSd: number;
}

export interface ScoreModel {
  readonly cp: LatentParams;
  readonly pf: LatentParams;
}

export const DREAMBENCH_LIKE: ScoreModel = {
  cp: {
    mean: 2.4,
    conceptSd: 0.7,
    promptSd: 0.5,
    modelConceptSd: 0.15,
    modelPromptSd: 0.25,
    judgeSd: 0.3,
  },
  pf: {
    mean: 3.35,
    conceptSd: 0.4,
    promptSd: 0.6,
    modelConceptSd: 0.15,
    modelPromptSd: 0.25,
    judgeSd: 0.3,
  },
};

/**
 * The model of the operating characteristics (METHOD.md, bench/gate.ts): DREAMBENCH_LIKE with more
 * image-to-image variation (model x prompt) and a noisier judge, calibrated so that the gate as it
 * stood before issue 11 (two-sided p-values, Holm, a direction required) detects a 0.05 CP drop at
 * 150 images x 1 prompt in 0.92 of PRs with expected scores and 0.51 with sampled scores, as
 * issue 11 measured it (0.917 and 0.515 here, 2,000 PRs each). Means: CP 0.59, PF 0.80.
 */
export const CALIBRATED: ScoreModel = {
  cp: { ...DREAMBENCH_LIKE.cp, modelPromptSd: 0.48, judgeSd: 0.58 },
  pf: { ...DREAMBENCH_LIKE.pf, modelPromptSd: 0.48, judgeSd: 0.58 },
};

export interface Design {
  readonly concepts: number;
  readonly promptsPerConcept: number;
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return 0.5 * (1 + (x >= 0 ? erf : -erf));
}

function totalSd(p: LatentParams): number {
  return Math.sqrt(
    p.conceptSd ** 2 +
      p.promptSd ** 2 +
      p.modelConceptSd ** 2 +
      p.modelPromptSd ** 2 +
      p.judgeSd ** 2,
  );
}

/** Expected observed score (0-4) of clamp(round(latent)): the number of thresholds 0.5..3.5 passed. */
export function expectedScore(p: LatentParams, shift = 0): number {
  const sd = totalSd(p);
  let e = 0;
  for (let j = 1; j <= 4; j++) e += normalCdf((p.mean + shift - (j - 0.5)) / sd);
  return e;
}

/** The latent shift that moves the expected observed score by `observedChange` (0-4 scale). */
export function latentShiftFor(p: LatentParams, observedChange: number): number {
  const target = expectedScore(p) + observedChange;
  let lo = -4;
  let hi = 4;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (expectedScore(p, mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function gaussian(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

const score = (latent: number) => Math.min(4, Math.max(0, Math.round(latent)));

/** How the judge's score is read: the sampled integer, or the expected value over 0-4. */
export type Scoring = 'sampled' | 'expected';

/**
 * The judge reads an image of quality `quality` with noise of sd `judgeSd` and answers the nearest
 * integer 0-4 (an ordered probit). `sampled` is one such answer; `expected` is its mean over the
 * judge's noise, which is what probability-weighted log-probabilities give.
 */
function judged(quality: number, noise: number, judgeSd: number, scoring: Scoring): number {
  if (scoring === 'sampled') return score(quality + judgeSd * noise);
  let e = 0;
  for (let j = 1; j <= 4; j++) e += normalCdf((quality - (j - 0.5)) / judgeSd);
  return e;
}

/** Prompt indices spread over the classes: 3 prompts -> one per class, 9 -> all. */
function promptIndices(count: number, concept: number): number[] {
  const spread = [0, 4, 7, 1, 5, 8, 2, 6, 3];
  return Array.from({ length: count }, (_, i) => spread[(i + concept) % 9]!);
}

/** One simulated PR: baseline and PR scores of the same samples. `shift` is the PR's latent shift. */
export function simulatePair(
  model: ScoreModel,
  design: Design,
  shift: { cp: number; pf: number },
  seed: number,
  scoring: Scoring = 'sampled',
): { base: ScoredSample[]; pr: ScoredSample[] } {
  const normal = gaussian(mulberry32(seed));
  const base: ScoredSample[] = [];
  const pr: ScoredSample[] = [];
  for (let c = 0; c < design.concepts; c++) {
    const category = CATEGORIES[c % CATEGORIES.length]!;
    const concept = `${category}_${String(c).padStart(3, '0')}`;
    const draw = (p: LatentParams) => ({
      shared: p.mean + p.conceptSd * normal(),
      baseModel: p.modelConceptSd * normal(),
      prModel: p.modelConceptSd * normal(),
    });
    const cc = draw(model.cp);
    const pc = draw(model.pf);
    for (const index of promptIndices(design.promptsPerConcept, c)) {
      const promptClass = PROMPT_CLASSES[index < 4 ? 0 : index < 7 ? 1 : 2]!;
      const side = (
        m: { shared: number; baseModel: number; prModel: number },
        p: LatentParams,
        prompt: number,
        isPr: boolean,
        s: number,
      ) =>
        judged(
          m.shared + prompt + (isPr ? m.prModel : m.baseModel) + p.modelPromptSd * normal() + s,
          normal(),
          p.judgeSd,
          scoring,
        );
      const cpPrompt = model.cp.promptSd * normal();
      const pfPrompt = model.pf.promptSd * normal();
      const id = `${concept}-p${index}`;
      const common = { id, concept, category, promptClass };
      base.push({
        ...common,
        cp: side(cc, model.cp, cpPrompt, false, 0),
        pf: side(pc, model.pf, pfPrompt, false, 0),
      });
      pr.push({
        ...common,
        cp: side(cc, model.cp, cpPrompt, true, shift.cp),
        pf: side(pc, model.pf, pfPrompt, true, shift.pf),
      });
    }
  }
  return { base, pr };
}

/**
 * Model-owned failures on one side, as the statistics read them: each metric of each sample is
 * refused with probability `rate` (independently), scoring 0 with `failedAs: 'refused'`.
 */
export function withRefusals(samples: readonly ScoredSample[], rate: number, seed: number) {
  const random = mulberry32(seed);
  return samples.map((s) => {
    const failedAs: Partial<Record<'cp' | 'pf', string>> = {};
    const out = { ...s };
    for (const m of ['cp', 'pf'] as const) {
      if (random() < rate) {
        out[m] = 0;
        failedAs[m] = 'refused';
      }
    }
    return Object.keys(failedAs).length > 0 ? { ...out, failedAs } : out;
  });
}

/** The `share` of samples with the lowest CP + PF broken (both metrics 0, `failedAs: 'corrupt'`). */
export function withWorstBroken(samples: readonly ScoredSample[], share: number): ScoredSample[] {
  const worst = new Set(
    [...samples]
      .sort((a, b) => a.cp! + a.pf! - (b.cp! + b.pf!) || (a.id < b.id ? -1 : 1))
      .slice(0, Math.round(share * samples.length))
      .map((s) => s.id),
  );
  return samples.map((s) =>
    worst.has(s.id) ? { ...s, cp: 0, pf: 0, failedAs: { cp: 'corrupt', pf: 'corrupt' } } : s,
  );
}
