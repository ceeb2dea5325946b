// Domain types shared by every stage of the pipeline (plan → generate → score → compare → report).
// Pure data: no behaviour, no imports of edges.
import type { FinalTurn, JudgeEndpointKind, JudgeScoring } from './constants.ts';

export const CATEGORIES = ['animal', 'human', 'object', 'style'] as const;
export type Category = (typeof CATEGORIES)[number];

/** DreamBench++ prompt classes: indices 0-3 photorealistic, 4-6 style transfer, 7-8 imaginative. */
export const PROMPT_CLASSES = ['photorealistic', 'style_transfer', 'imaginative'] as const;
export type PromptClass = (typeof PROMPT_CLASSES)[number];

/** The two judged metrics: concept preservation and prompt following. */
export const METRICS = ['cp', 'pf'] as const;
export type Metric = (typeof METRICS)[number];

export interface ConceptPrompt {
  readonly index: number;
  readonly promptClass: PromptClass;
  readonly text: string;
}

/** One reference subject or style of a benchmark (a "cluster" for statistics). */
export interface Concept {
  /** e.g. `live_subject_animal_00_kitten`, `object_03_teapot`. */
  readonly id: string;
  /**
   * The name upstream gives it, kept as upstream has it (`live_subject_animal_00_cotton-top_tamarin`
   * where our id slugs the hyphen away): DreamBench++'s `collection_id`, or the DreamBooth
   * subject folder.
   */
  readonly upstreamId: string;
  readonly category: Category;
  readonly subject: string;
  /** Absolute paths; the first one is the image the judge sees. */
  readonly referenceImages: readonly string[];
  readonly prompts: readonly ConceptPrompt[];
}

export interface Benchmark {
  /** `dreambench-plus`, `dreambench`, or `local`. */
  readonly name: string;
  readonly revision: string;
  /** sha256 of the downloaded archive, or of the folder's content for local datasets. */
  readonly sha256: string;
  readonly concepts: readonly Concept[];
}

/** One planned (concept, prompt) pair. Its id is `<concept>-p<index>`. */
export interface Sample {
  readonly id: string;
  readonly concept: string;
  /** Upstream's key of the sample, `{collection_id}-{prompt_index}`: joins with its released ratings. */
  readonly upstreamKey: string;
  readonly category: Category;
  readonly subject: string;
  readonly promptIndex: number;
  readonly promptClass: PromptClass;
  readonly prompt: string;
  readonly referenceImages: readonly string[];
  /** Generation seed, derived from the sample id and `sample-seed`. */
  readonly seed: number;
}

/** A sample that could not be scored, and why. Nothing is dropped without one of these. */
export interface SampleFailure {
  readonly id: string;
  readonly stage: 'generate' | 'judge' | 'budget';
  /** Short machine-readable kind: `missing`, `corrupt`, `outside-output-dir`, `unparseable`, `refused`, `budget`, … */
  readonly kind: string;
  /** Human-readable reason. */
  readonly reason: string;
}

/**
 * The per-sample input of the statistics: each metric's outcome on the 0-4 scale. A failure that
 * belongs to the model (its image missing, unreadable or invalid, or the judge refusing it) is an
 * outcome: the lowest score, 0, with its kind in `failedAs`. A failure of the judge's service
 * (rate limit, timeout, budget, unparseable replies) is no outcome: `null`, left out of that metric.
 */
export interface ScoredSample {
  readonly id: string;
  readonly concept: string;
  readonly category: Category;
  readonly promptClass: PromptClass;
  /** Concept preservation, 0-4 (mean over repeats; may be fractional under `expected` scoring). */
  readonly cp: number | null;
  /** Prompt following, 0-4. */
  readonly pf: number | null;
  /** Per metric, the kind of a model-owned failure counted in it as 0 (absent: the judge scored
   * every repeat). With repeats, a refused repeat counts 0 in the mean. */
  readonly failedAs?: Readonly<Partial<Record<Metric, string>>>;
}

/** How images are made judge-size (src/score/prepare-image.ts); `version` changes with any step. */
export interface ImagePreparation {
  readonly version: number;
  /** sharp's `fit` into the square: `contain` pads, where upstream's scripts stretch. */
  readonly fit: string;
  /** JPEG quality. */
  readonly quality: number;
}

/**
 * What must agree for two results to be comparable (see design.md "Results and baseline"); how
 * each field counts is in src/compare/fingerprint.ts. Fields after `imageSize` came with results
 * schema 3: read from an older file they are filled in by src/results/fingerprint-upgrade.ts, as
 * the older version did them, or `null` where it did not record them.
 */
export interface Fingerprint {
  readonly dataset: string;
  readonly datasetRevision: string;
  readonly datasetSha256: string;
  readonly sampleSeed: number;
  readonly samples: number | 'all';
  readonly categories: readonly Category[];
  readonly judgeModel: string;
  readonly judgeScoring: JudgeScoring;
  readonly judgeRepeats: number;
  readonly templatesSha256: string;
  readonly imageSize: number;
  /** The snapshots the endpoint said it served (sorted; empty when it named none): observed. */
  readonly judgeServed: readonly string[];
  /** `null`: not recorded (results schema 1 and 2). */
  readonly judgeEndpoint: JudgeEndpointKind | null;
  readonly judgeTemperature: number;
  /** The visible output-token limits asked for per metric; `null`: not recorded (schema 1 and 2). */
  readonly judgeOutputTokens: { readonly cp: number; readonly pf: number } | null;
  readonly finalTurn: FinalTurn;
  readonly imagePreparation: ImagePreparation;
}
