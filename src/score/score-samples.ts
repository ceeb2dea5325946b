// The score stage: judges every item on CP and PF (x repeats), the calls paced within the judge
// account's limits (at most `concurrency` in flight) or gathered into Batch API batches (every
// judgment in flight at once, each waiting for its line), reusing cached judgments, and returns
// one record per item plus a failure for each item that did not get both scores. Edges
// (transport, Batch API, cache, clock, images) are injected.
import path from 'node:path';
import type { JudgeScoring } from '../constants.ts';
import type { Category, Metric, Sample, SampleFailure } from '../types.ts';
import type { BudgetHold } from './budget.ts';
import { ImageSupply } from './image-supply.ts';
import type { ScoreItem } from './items.ts';
import { judgeOnce } from './judge-once.ts';
import { judgmentCacheKey } from './judgment/judge-cache.ts';
import type { Judgment, JudgmentError } from './judgment/judgment.ts';
import { buildMessages, inputTurnProtocol, templateKindFor } from './judgment/messages.ts';
import { SharedJudgments } from './judgment/shared-judgments.ts';
import type { TemplateKind } from './judgment/templates.ts';
import {
  withDefaults,
  type ResolvedOptions,
  type ScoreDeps,
  type ScoreOptions,
} from './options.ts';
import { toDataUrl, type PreparedImage } from './prepare-image.ts';
import { stageContext, type StageContext } from './stage-context.ts';
import type { BatchCounters } from './transport/batch/batch-dispatcher.ts';
import type { PendingBatch } from './transport/batch/pending.ts';
import type { JudgingMode } from './transport/dispatcher-factory.ts';
import { addUsage, NO_USAGE, type TokenUsage } from './transport/judge-transport.ts';
import { redact } from './transport/redact.ts';

export type { PreparedEvent, ScoreItem } from './items.ts';
export type { ScoreDeps, ScoreOptions } from './options.ts';

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

export interface ScoreResult {
  readonly records: JudgeRecord[];
  readonly failures: SampleFailure[];
  readonly stats: ScoreStats;
  /**
   * Batches still running when the stage stopped waiting (`judge-batch-wait-minutes`), to record
   * for the next run; the judgments waiting on them failed with kind `pending`.
   */
  readonly pending: readonly PendingBatch[];
}

interface Task {
  readonly slot: number;
  readonly item: ScoreItem;
  readonly metric: Metric;
  readonly repeat: number;
}

export async function scoreSamples(
  items: readonly ScoreItem[],
  deps: ScoreDeps,
  given: ScoreOptions,
): Promise<ScoreResult> {
  const options = withDefaults(given);
  const ctx = stageContext(deps, options, items.length * 2 * options.repeats);
  const stats = emptyStats(items.length);
  const records = items.map(newRecord);
  const pending = items.map(() => 2 * options.repeats);
  const images = new ImageSupply(items, {
    size: options.imageSize,
    concurrency: options.concurrency,
    prepareConcurrency: options.prepareConcurrency,
    onPrepared: deps.onPrepared,
    ...(options.batch ? { spillDir: path.join(options.batch.spoolDir, 'images') } : {}),
  });
  const shared = deps.cache
    ? new SharedJudgments(deps.cache, stats, ctx.log, (p) => ctx.gate.park(p))
    : undefined;

  const call = (task: Task, hold: BudgetHold | undefined, inputs: TaskImages) => {
    const { item, metric, repeat } = task;
    const label = `${item.sample.id} ${metric}#${repeat}`;
    const request = requestFor(task, inputs, options);
    return judgeOnce(ctx, { label, metric, request, hold }, repeat);
  };

  const runTask = async (task: Task, hold: BudgetHold | undefined): Promise<Judgment> => {
    const record = records[task.slot]!;
    const fatal = ctx.dispatcher.fatal;
    if (fatal) return failedJudgment(task.repeat, fatal);
    let inputs: TaskImages;
    try {
      inputs = await imagesFor(task, images, record);
    } catch (error) {
      return failedJudgment(task.repeat, { kind: 'image', reason: (error as Error).message });
    }
    if (!shared) return call(task, hold, inputs);
    const key = cacheKeyFor(task, inputs, options);
    return shared.get(key, task.repeat, () => call(task, hold, inputs));
  };

  // A sample holds the budget for all its calls from its first task on (see Budget).
  const holds: Array<Promise<BudgetHold | undefined> | undefined> = items.map(() => undefined);
  const judge = async (task: Task): Promise<Judgment> => {
    try {
      const hold = await ctx.gate.park((holds[task.slot] ??= ctx.budget.open(2 * options.repeats)));
      return await runTask(task, hold);
    } catch (error) {
      // Last line of defence: one task's bug must not throw away the run's paid judgments.
      const why = error instanceof Error ? error.message : String(error);
      return failedJudgment(task.repeat, {
        kind: 'internal',
        reason: `unexpected error: ${redact(why, options.secrets ?? [])}`,
      });
    }
  };

  const tasks = taskSequence(items, options.repeats);
  const worker = async (): Promise<void> => {
    ctx.gate.enter();
    try {
      await work();
    } finally {
      ctx.gate.leave();
    }
  };
  const work = async (): Promise<void> => {
    for (let next = tasks.next(); !next.done; next = tasks.next()) {
      const task = next.value;
      if (task.metric === 'cp' && task.repeat === 0) images.prefetch(task.slot);
      const judgment = await judge(task);
      const record = records[task.slot]!;
      record[task.metric].judgments[task.repeat] = judgment;
      tally(stats, record, judgment);
      ctx.progress.judgmentDone();
      pending[task.slot]! -= 1;
      if (pending[task.slot] === 0) {
        images.release(task.item);
        finish(record);
        const hold = await holds[task.slot];
        if (hold) ctx.budget.close(hold);
      }
    }
  };
  // A batch holds every judgment at once; calls are paced by the dispatcher, not by workers.
  const judgments = items.length * 2 * options.repeats;
  const workers = Math.max(
    1,
    ctx.mode === 'batch' ? judgments : Math.min(options.concurrency, judgments),
  );
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    await ctx.dispatcher.close();
    await images.close();
  }
  const failures = closeStats(stats, records, ctx);
  return { records, failures, stats, pending: ctx.dispatcher.pending };
}

interface TaskImages {
  readonly image: PreparedImage;
  /** CP only. */
  readonly reference?: PreparedImage;
}

async function imagesFor(task: Task, images: ImageSupply, record: JudgeRecord) {
  const image = await images.get(task.item, 'generated');
  record.imageSha256 = image.sha256;
  if (task.metric !== 'cp') return { image };
  const reference = await images.get(task.item, 'reference');
  record.referenceSha256 = reference.sha256;
  return { image, reference };
}

function requestFor(task: Task, inputs: TaskImages, options: ResolvedOptions) {
  const { item, metric } = task;
  const messages = buildMessages(metric, item.sample.category, options.templates, {
    image: toDataUrl(inputs.image),
    ...(inputs.reference ? { reference: toDataUrl(inputs.reference) } : {}),
    prompt: item.sample.prompt,
  });
  return { model: options.model, messages, temperature: options.temperature };
}

/** Everything the request depends on, so a changed request is never answered from the cache. */
function cacheKeyFor(task: Task, inputs: TaskImages, options: ResolvedOptions): string {
  const { item, metric } = task;
  return judgmentCacheKey({
    model: options.model,
    scoring: options.scoring,
    templatesSha256: options.templates.sha256,
    metric,
    template: templateKindFor(metric, item.sample.category),
    imageSha256: inputs.image.sha256,
    referenceSha256: inputs.reference?.sha256 ?? null,
    prompt: metric === 'pf' ? item.sample.prompt : null,
    repeat: task.repeat,
    temperature: options.temperature,
    maxTokens: options.outputTokens[metric],
    topLogprobs: options.scoring === 'expected' ? options.topLogprobs : null,
    endpoint: options.endpoint ?? 'default',
    protocol: inputTurnProtocol(options.templates.finalTurn),
  });
}

/** Final counters; returns a failure for every record without both scores. */
function closeStats(stats: ScoreStats, records: readonly JudgeRecord[], ctx: StageContext) {
  const failures: SampleFailure[] = [];
  for (const record of records) {
    if (record.scored) stats.scored += 1;
    else failures.push(toFailure(record));
  }
  stats.failed = failures.length;
  const sent = ctx.dispatcher.counters;
  stats.ratePauses = sent.pauses;
  stats.rateLimited = sent.rateLimited;
  stats.chargedTokens = Math.round(sent.tokens);
  stats.timeBudgetStops = sent.stoppedByBudget;
  stats.lengthRetries = ctx.counters.lengthRetries;
  stats.logprobsSupported = ctx.dispatcher.params.logprobsSupported;
  stats.refusedParameters = Object.fromEntries(ctx.dispatcher.params.refused.map((p) => [p, 1]));
  stats.judgingMode = ctx.mode;
  const batch = ctx.dispatcher.batch;
  if (batch) stats.batch = batch;
  return failures;
}

/** Tasks in sample order, so a sample's metrics run close together and its image is freed early. */
function* taskSequence(items: readonly ScoreItem[], repeats: number): Generator<Task> {
  for (let slot = 0; slot < items.length; slot++) {
    for (const metric of ['cp', 'pf'] as const) {
      for (let repeat = 0; repeat < repeats; repeat++)
        yield { slot, item: items[slot]!, metric, repeat };
    }
  }
}

function newRecord(item: ScoreItem): JudgeRecord {
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

function failedJudgment(repeat: number, error: JudgmentError): Judgment {
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
function finish(record: JudgeRecord): void {
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

function toFailure(record: JudgeRecord): SampleFailure {
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

function tally(stats: ScoreStats, record: JudgeRecord, j: Judgment): void {
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
