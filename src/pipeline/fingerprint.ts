// The configuration fingerprint: what must agree for two runs to compare (design.md).
import type { Config } from '../config.ts';
import type { JudgeScoring } from '../constants.ts';
import type { Benchmark, Fingerprint } from '../types.ts';

/** `judgeScoring`: the scoring the judge allowed (`sampled` where it gave no log-probabilities). */
export function fingerprintOf(
  config: Config,
  benchmark: Benchmark,
  templatesSha256: string,
  judgeScoring: JudgeScoring = config.judge.scoring,
): Fingerprint {
  return {
    dataset: benchmark.name,
    datasetRevision: benchmark.revision,
    datasetSha256: benchmark.sha256,
    sampleSeed: config.sampling.seed,
    samples: config.sampling.size,
    categories: config.sampling.categories,
    judgeModel: config.judge.model,
    judgeScoring,
    judgeRepeats: config.judge.repeats,
    templatesSha256,
    imageSize: config.generation.imageSize,
  };
}
