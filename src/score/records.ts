// What the score stage returns per sample and for the run (pure): the judge records, a sample's
// failure when it did not get both scores, and the stage's counters.
import type { JudgeScoring } from '../constants.ts';
import type { Category, Metric, Sample, SampleFailure } from '../types.ts';
import type { ScoreItem } from './items.ts';
import type { Judgment, JudgmentError } from './judgment/judgment.ts';
import { templateKindFor } from './judgment/messages.ts';
import type { TemplateKind } from './judgment/templates.ts';
import type { BatchCounters } from './transport/batch/batch-dispatcher.ts';
import type { JudgingMode } from './transport/dispatcher-factory.ts';
import { addUsage, NO_USAGE, type TokenUsage } from './transport/judge-transport.ts';

export interface MetricRecord {
  readonly metric: Metric;
  readonly template: TemplateKind;
  /** One per repeat, in repeat order. */
  readonly judgments: Judgment[];
  /** Mean of the repeats' values (0-4) when every repeat scored, else `null`. */
  score: number | null;
  /** `mixed` when some repeats had log-probabilities and others not. */
  scoring: JudgeScoring | 'mixed' | null;
}

export interface JudgeRecord {
  readonly id: string;
  readonly concept: string;
  readonly category: Category;
  readonly promptClass: Sample['promptClass'];
  readonly promptIndex: number;
  imageSha256: string | null;
  referenceSha256: string | null;
  readonly cp: MetricRecord;
  readonly pf: MetricRecord;
  /** Both metrics scored. */
  scored: boolean;
  costUsd: number;
  readonly errors: string[];
}

export interface ScoreStats {
  samples: number;
  scored: number;
  failed: number;
  /** HTTP calls, retries included. */
  calls: number;
  retries: number;
  cacheHits: number;
  cacheMisses: number;
  tokens: TokenUsage;
  costUsd: number;
  /** Judgment failures by kind (a sample may count twice: once per metric). */
  failuresByKind: Record<string, number>;
  /** Refusal replies seen (retried ones included), per category. */
  refusalsByCategory: Record<Category, number>;
  scoringUsed: { expected: number; sampled: number };
  servedModels: Record<string, number>;
  systemFingerprints: Record<string, number>;
  /** Times a 429 paused every worker. */
  ratePauses: number;
  logprobsSupported: boolean;
  /** Answers 429 (the account's rate limits): waited out, never a failed try. */
  rateLimited: number;
  /** Replies cut short (`finish_reason: length`) and asked again with a larger limit. */
  lengthRetries: number;
  /** Parameters the judge model refused, learned once each: `max_tokens`, `temperature`, `logprobs`. */
  refusedParameters: Record<string, number>;
  /** Tokens the account's rate limiter was charged (estimated: prompt plus output limit per call). */
  chargedTokens: number;
  /** Judgments the stage's time budget (`judge-time-budget-minutes`) stopped before a call. */
  timeBudgetStops: number;
  /** How the judgments were carried: `realtime` calls, or `batch` (the Batch API, at its prices). */
  judgingMode: JudgingMode;
  /** Batch mode (or a run that collected an earlier run's batches): what the batches did. */
  batch?: BatchCounters;
}

export function newRecord(item: ScoreItem): JudgeRecord {
  const s = item.sample;
  const metric = (m: Metric): MetricRecord => ({
    metric: m,
    template: templateKindFor(m, s.category),
    judgments: [],
    score: null,
    scoring: null,
  });
  return {
    id: s.id,
    concept: s.concept,
    category: s.category,
    promptClass: s.promptClass,
    promptIndex: s.promptIndex,
    imageSha256: null,
    referenceSha256: null,
    cp: metric('cp'),
    pf: metric('pf'),
    scored: false,
    costUsd: 0,
    errors: [],
  };
}

export function failedJudgment(repeat: number, error: JudgmentError): Judgment {
  return {
    repeat,
    sampled: null,
    expected: null,
    value: null,
    scoring: 'sampled',
    reply: null,
    model: null,
    systemFingerprint: null,
    attempts: 0,
    latencyMs: 0,
    usage: NO_USAGE,
    costUsd: 0,
    cached: false,
    refusals: 0,
    error,
  };
}

/** A metric scores only when every repeat did: means stay over the same K judgments everywhere. */
export function finish(record: JudgeRecord): void {
  for (const metric of [record.cp, record.pf]) {
    const values = metric.judgments.map((j) => j.value);
    for (const j of metric.judgments) {
      if (j.error)
        record.errors.push(`${metric.metric}#${j.repeat}: ${j.error.kind}: ${j.error.reason}`);
      record.costUsd += j.costUsd ?? 0;
    }
    if (values.length > 0 && values.every((v) => v !== null)) {
      metric.score = (values as number[]).reduce((a, b) => a + b, 0) / values.length;
      const modes = new Set(metric.judgments.map((j) => j.scoring));
      metric.scoring = modes.size === 1 ? [...modes][0]! : 'mixed';
    }
  }
  record.scored = record.cp.score !== null && record.pf.score !== null;
}

export function toFailure(record: JudgeRecord): SampleFailure {
  const errors = [record.cp, record.pf].flatMap((m) =>
    m.judgments.filter((j) => j.error).map((j) => ({ metric: m.metric, error: j.error! })),
  );
  const first = errors[0]?.error ?? { kind: 'unscored', reason: 'no judgment completed' };
  const budgetOnly = errors.length > 0 && errors.every((e) => e.error.kind === 'budget');
  return {
    id: record.id,
    stage: budgetOnly ? 'budget' : 'judge',
    kind: first.kind,
    reason:
      errors.map((e) => `${e.metric.toUpperCase()}: ${e.error.reason}`).join('; ') || first.reason,
  };
}

/**
 * The scoring a run's judgments could use: `sampled` where `expected` was asked for but the
 * judge refused log-probabilities (or never sent any). Recorded in the fingerprint: results
 * scored otherwise do not compare.
 */
export function scoringInEffect(configured: JudgeScoring, stats: ScoreStats): JudgeScoring {
  if (configured !== 'expected') return configured;
  const none = stats.scoringUsed.expected === 0 && stats.scoringUsed.sampled > 0;
  return !stats.logprobsSupported || none ? 'sampled' : configured;
}

/** Counters of a run that has judged nothing yet. */
export function emptyStats(samples: number): ScoreStats {
  return {
    samples,
    scored: 0,
    failed: 0,
    calls: 0,
    retries: 0,
    cacheHits: 0,
    cacheMisses: 0,
    tokens: NO_USAGE,
    costUsd: 0,
    failuresByKind: {},
    refusalsByCategory: { animal: 0, human: 0, object: 0, style: 0 },
    scoringUsed: { expected: 0, sampled: 0 },
    servedModels: {},
    systemFingerprints: {},
    ratePauses: 0,
    logprobsSupported: true,
    rateLimited: 0,
    lengthRetries: 0,
    refusedParameters: {},
    chargedTokens: 0,
    timeBudgetStops: 0,
    judgingMode: 'realtime',
  };
}

export function tally(stats: ScoreStats, record: JudgeRecord, j: Judgment): void {
  stats.calls += j.attempts;
  stats.retries += Math.max(0, j.attempts - 1);
  stats.tokens = addUsage(stats.tokens, j.usage);
  stats.costUsd += j.costUsd ?? 0;
  if (j.error) stats.failuresByKind[j.error.kind] = (stats.failuresByKind[j.error.kind] ?? 0) + 1;
  else stats.scoringUsed[j.scoring] += 1;
  if (j.model) stats.servedModels[j.model] = (stats.servedModels[j.model] ?? 0) + 1;
  if (j.systemFingerprint)
    stats.systemFingerprints[j.systemFingerprint] =
      (stats.systemFingerprints[j.systemFingerprint] ?? 0) + 1;
  stats.refusalsByCategory[record.category] += j.refusals;
}
