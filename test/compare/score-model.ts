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
        score(
          m.shared +
            prompt +
            (isPr ? m.prModel : m.baseModel) +
            p.modelPromptSd * normal() +
            p.judgeSd * normal() +
            s,
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
