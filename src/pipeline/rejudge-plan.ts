// Pure: which of the baseline's samples to judge again (`rejudge-baseline`), and the baseline as
// judged again. Only the paired ones: samples this run planned and has an outcome for, whose
// stored image is the one the baseline was judged on. The file checks are the caller's; this
// module is given their answers.
import { aggregate, type FingerprintDifference } from '../compare/index.ts';
import type { RejudgeView } from '../report/model.ts';
import type { PlannedSample, ResultsFile } from '../results/schema.ts';
import type { JudgeRecord, ScoreResult } from '../score/score-samples.ts';
import { toScoredSamples } from '../score/to-scored.ts';
import type { Fingerprint, SampleFailure } from '../types.ts';

/** This run's side of the pairing. */
export interface ThisRun {
  readonly samples: readonly PlannedSample[];
  readonly records: readonly JudgeRecord[];
  readonly failures: readonly SampleFailure[];
  readonly fingerprint: Fingerprint;
}

/**
 * This run has an outcome for the sample in some metric: a score, or a failure that belongs to
 * the model (to-scored.ts). A sample lost to the judge's service pairs with nothing, so its
 * baseline twin is not paid for.
 */
function outcomeIds(run: ThisRun): Set<string> {
  const outcomes = toScoredSamples(run.records, run);
  return new Set(outcomes.filter((s) => s.cp !== null || s.pf !== null).map((s) => s.id));
}

/** A baseline sample to judge again: its record's image hash, to check the stored file against. */
export interface Candidate {
  readonly sample: PlannedSample;
  readonly imageSha256: string;
}

export interface Candidates {
  readonly candidates: readonly Candidate[];
  /** Baseline failures that stay its outcome whatever the judge: its model wrote no usable image. */
  readonly kept: readonly SampleFailure[];
  /** Paired samples without an image to judge again, with why. */
  readonly leftOut: readonly string[];
}

export function candidatesOf(baseline: ResultsFile, run: ThisRun): Candidates {
  const paired = outcomeIds(run);
  const planned = new Set(run.samples.map((s) => s.id));
  const records = new Map(baseline.records.map((r) => [r.id, r]));
  const generationFailures = new Map(
    baseline.failures.filter((f) => f.stage === 'generate').map((f) => [f.id, f]),
  );
  const candidates: Candidate[] = [];
  const kept: SampleFailure[] = [];
  const leftOut: string[] = [];
  for (const sample of baseline.samples) {
    if (!planned.has(sample.id) || !paired.has(sample.id)) continue;
    const failure = generationFailures.get(sample.id);
    const sha = records.get(sample.id)?.imageSha256;
    if (failure) kept.push(failure);
    else if (sha) candidates.push({ sample, imageSha256: sha });
    else leftOut.push(`${sample.id}: the baseline recorded no judge image`);
  }
  return { candidates, kept, leftOut };
}

export interface RejudgeInput {
  readonly baseline: ResultsFile;
  readonly run: ThisRun;
  readonly differences: readonly FingerprintDifference[];
  /** The samples sent to this run's judge (their ids), and those left out on the way, with why. */
  readonly judgedIds: readonly string[];
  readonly leftOut: readonly string[];
  readonly kept: readonly SampleFailure[];
  readonly result: ScoreResult;
  /** The fingerprint the judging had: this run's, with the scoring the judge allowed it. */
  readonly judgedWith: Fingerprint;
  readonly reduced?: { readonly from: number; readonly to: number };
}

const EXAMPLES = 3;

/** The baseline as this run's judge scored it, and what the comment says about it. */
export function rejudgedBaseline(p: RejudgeInput): { results: ResultsFile; view: RejudgeView } {
  const served = Object.keys(p.result.stats.servedModels).sort();
  const mine = new Set(p.run.fingerprint.judgeServed);
  // The same judge as this run's, unless the endpoint served a snapshot this run never saw:
  // then the fingerprint says so, and the comparison is refused rather than paired across two.
  // A run that judged nothing (its model wrote no usable image) saw none to differ from.
  const sameSnapshots = mine.size === 0 || served.every((m) => mine.has(m));
  const fingerprint: Fingerprint = {
    ...p.judgedWith,
    judgeServed: sameSnapshots ? p.run.fingerprint.judgeServed : served,
  };
  const judged = new Set(p.judgedIds);
  const keptIds = new Set(p.kept.map((f) => f.id));
  const results: ResultsFile = {
    ...p.baseline,
    samples: p.baseline.samples.filter((s) => judged.has(s.id) || keptIds.has(s.id)),
    fingerprint,
    judge: {
      model: fingerprint.judgeModel,
      scoring: fingerprint.judgeScoring,
      repeats: fingerprint.judgeRepeats,
      stats: p.result.stats,
    },
    records: p.result.records,
    failures: [...p.kept, ...p.result.failures],
  };
  const before = toScoredSamples(
    p.baseline.records.filter((r) => judged.has(r.id)),
    { samples: results.samples, failures: p.baseline.failures },
  );
  const after = toScoredSamples(p.result.records, results);
  const s = p.result.stats;
  const view: RejudgeView = {
    differences: p.differences,
    judged: p.judgedIds.length,
    scored: s.scored,
    leftOut: { count: p.leftOut.length, examples: p.leftOut.slice(0, EXAMPLES) },
    calls: s.calls,
    cacheHits: s.cacheHits,
    costUsd: s.costUsd,
    served,
    ...(p.reduced === undefined ? {} : { reduced: p.reduced }),
    before: aggregate(before, results.samples.length - before.length),
    after: aggregate(after, results.samples.length - after.length),
  };
  return { results, view };
}
