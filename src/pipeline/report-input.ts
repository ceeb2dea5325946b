// Pure: the report's view model from what the stages produced.
import type { JudgeScoring } from '../constants.ts';
import type { Fingerprint, Metric, SampleFailure } from '../types.ts';
import type { Config } from '../config.ts';
import type { ReportSample, SideScores } from '../report/html/model.ts';
import type { JudgeView, ReportInput, ReportLinks, SampleView } from '../report/model.ts';
import type { PlannedSample } from '../results/schema.ts';
import type { JudgeRecord, ScoreStats } from '../score/score-samples.ts';
import type { Assessment, Measured } from './assess.ts';

/** What the stages measured and what it amounts to, plus where the report links to. */
export type ReportParts = Omit<Measured, 'resultsDir'> &
  Pick<Assessment, 'verdict' | 'absolute' | 'comparison' | 'history'> & {
    readonly config: Config;
    readonly mode: 'check' | 'baseline';
    readonly baselineRecords: readonly JudgeRecord[];
    /** The run's page and the artifacts uploaded so far. */
    readonly links: ReportLinks;
    readonly sha: string;
  };

function lastReply(record: JudgeRecord | undefined, metric: Metric): string | undefined {
  const judgments = record?.[metric].judgments ?? [];
  for (let i = judgments.length - 1; i >= 0; i--) {
    const reply = judgments[i]!.reply;
    if (reply) return reply;
  }
  return undefined;
}

export function sampleViews(
  samples: readonly PlannedSample[],
  records: readonly JudgeRecord[],
  baselineRecords: readonly JudgeRecord[],
): Map<string, SampleView> {
  const mine = new Map(records.map((r) => [r.id, r]));
  const theirs = new Map(baselineRecords.map((r) => [r.id, r]));
  return new Map(
    samples.map((s) => [
      s.id,
      {
        prompt: s.prompt,
        cpReply: lastReply(mine.get(s.id), 'cp'),
        pfReply: lastReply(mine.get(s.id), 'pf'),
        baseCpReply: lastReply(theirs.get(s.id), 'cp'),
        basePfReply: lastReply(theirs.get(s.id), 'pf'),
      },
    ]),
  );
}

function sideScores(record: JudgeRecord | undefined): SideScores | undefined {
  return record === undefined ? undefined : { cp: record.cp.score, pf: record.pf.score };
}

/**
 * Every planned sample with its scores on both sides (each metric on its own: one may be scored
 * where the other failed) and its failure, for the HTML report. `baselineRecords` only when the
 * run was compared: another configuration's scores are not this sample's baseline.
 */
export function reportSamples(
  samples: readonly PlannedSample[],
  records: readonly JudgeRecord[],
  baselineRecords: readonly JudgeRecord[],
  failures: readonly SampleFailure[],
): ReportSample[] {
  const mine = new Map(records.map((r) => [r.id, r]));
  const theirs = new Map(baselineRecords.map((r) => [r.id, r]));
  const failed = new Map(failures.map((f) => [f.id, f]));
  return samples.map((s) => {
    const pr = sideScores(mine.get(s.id));
    const base = sideScores(theirs.get(s.id));
    const failure = failed.get(s.id);
    return {
      id: s.id,
      concept: s.concept,
      category: s.category,
      promptClass: s.promptClass,
      prompt: s.prompt,
      ...(pr ? { pr } : {}),
      ...(base ? { base } : {}),
      ...(failure ? { failure } : {}),
    };
  });
}

/** From the fingerprint: a merge job's own inputs may not be those its shards judged with. */
export function judgeView(
  fingerprint: Fingerprint,
  stats: ScoreStats,
  maxCostUsd: number | undefined,
  scoringAsked?: JudgeScoring,
): JudgeView {
  return {
    model: fingerprint.judgeModel,
    servedModels: Object.keys(stats.servedModels).sort(),
    servedCounts: stats.servedModels,
    systemFingerprints: Object.keys(stats.systemFingerprints).sort(),
    scoring: fingerprint.judgeScoring,
    scoringUsed: stats.scoringUsed,
    repeats: fingerprint.judgeRepeats,
    calls: stats.calls,
    cacheHits: stats.cacheHits,
    cacheMisses: stats.cacheMisses,
    costUsd: stats.costUsd,
    promptTokens: stats.tokens.promptTokens,
    cachedPromptTokens: stats.tokens.cachedTokens,
    completionTokens: stats.tokens.completionTokens,
    refusalsByCategory: stats.refusalsByCategory,
    budgetStopped: (stats.failuresByKind.budget ?? 0) > 0,
    maxCostUsd,
    ...(scoringAsked ? { scoringAsked } : {}),
    refusedParameters: Object.keys(stats.refusedParameters ?? {}),
    rateLimited: stats.rateLimited ?? 0,
    lengthRetries: stats.lengthRetries ?? 0,
    timeBudgetStops: stats.timeBudgetStops ?? 0,
    judgingMode: stats.judgingMode ?? 'realtime',
    ...(stats.batch ? { batch: stats.batch } : {}),
  };
}

export function reportInput(p: ReportParts): ReportInput {
  return {
    commentId: p.config.comment.id,
    mode: p.mode,
    verdict: p.verdict,
    gate: { failOnRegression: p.config.gate.failOnRegression },
    absolute: p.absolute,
    comparison: p.comparison,
    planned: p.samples.length,
    failures: p.failures,
    samples: sampleViews(p.samples, p.records, p.baselineRecords),
    judge: judgeView(p.fingerprint, p.stats, p.config.judge.maxCostUsd, p.config.judge.scoring),
    fingerprint: p.fingerprint,
    links: p.links,
    history: p.history,
    sha: p.sha,
  };
}
