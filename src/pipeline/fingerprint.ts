// The configuration fingerprint: what must agree for two runs to compare (design.md), including
// what the judge's answers showed (the snapshots served, the scoring the judge allowed).
import type { Config } from '../config.ts';
import type { JudgeScoring } from '../constants.ts';
import { DEFAULT_OUTPUT_TOKENS } from '../score/judgment/output-limits.ts';
import type { Templates } from '../score/judgment/templates.ts';
import { DEFAULT_JUDGE_TEMPERATURE } from '../score/options.ts';
import { IMAGE_PREPARATION } from '../score/prepare-image.ts';
import { scoringInEffect, type ScoreStats } from '../score/score-samples.ts';
import { endpointKind } from '../score/transport/endpoint.ts';
import type { Benchmark, Fingerprint } from '../types.ts';

/** The judge side of a fingerprint as its answers showed it. */
export interface JudgeObserved {
  /** The scoring the judge allowed (`sampled` where it gave no log-probabilities). */
  readonly scoring: JudgeScoring;
  /** The snapshots it said it served, sorted. */
  readonly served: readonly string[];
}

export function judgeObserved(config: Config, stats: ScoreStats): JudgeObserved {
  return {
    scoring: scoringInEffect(config.judge.scoring, stats),
    served: Object.keys(stats.servedModels).sort(),
  };
}

/** The endpoint the SDK talks to: `openai-base-url`, else `OPENAI_BASE_URL`, else OpenAI's. */
export function judgeBaseUrl(config: Config, env: NodeJS.ProcessEnv): string | undefined {
  return config.judge.baseUrl ?? (env.OPENAI_BASE_URL || undefined);
}

export function fingerprintOf(
  config: Config,
  benchmark: Benchmark,
  templates: Pick<Templates, 'sha256' | 'finalTurn'>,
  observed: JudgeObserved,
  baseUrl: string | undefined,
): Fingerprint {
  return {
    dataset: benchmark.name,
    datasetRevision: benchmark.revision,
    datasetSha256: benchmark.sha256,
    sampleSeed: config.sampling.seed,
    samples: config.sampling.size,
    categories: config.sampling.categories,
    judgeModel: config.judge.model,
    judgeScoring: observed.scoring,
    judgeRepeats: config.judge.repeats,
    templatesSha256: templates.sha256,
    imageSize: config.generation.imageSize,
    judgeServed: observed.served,
    judgeEndpoint: endpointKind(baseUrl),
    judgeTemperature: DEFAULT_JUDGE_TEMPERATURE,
    judgeOutputTokens: { ...DEFAULT_OUTPUT_TOKENS },
    finalTurn: templates.finalTurn,
    imagePreparation: { ...IMAGE_PREPARATION },
  };
}
