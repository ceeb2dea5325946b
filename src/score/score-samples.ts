// The score stage: judges every item on CP and PF (x repeats), the calls paced within the judge
// account's limits (at most `concurrency` in flight) or gathered into Batch API batches (every
// judgment in flight at once, each waiting for its line), reusing cached judgments, and returns
// one record per item plus a failure for each item that did not get both scores. Edges
// (transport, Batch API, cache, clock, images) are injected.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Metric, SampleFailure } from '../types.ts';
import type { BudgetHold } from './budget.ts';
import { ImageSupply } from './image-supply.ts';
import type { ScoreItem } from './items.ts';
import { judgeOnce } from './judge-once.ts';
import { judgmentCacheKey } from './judgment/judge-cache.ts';
import type { Judgment } from './judgment/judgment.ts';
import { buildMessages, inputTurnProtocol, templateKindFor } from './judgment/messages.ts';
import { SharedJudgments } from './judgment/shared-judgments.ts';
import {
  withDefaults,
  type ResolvedOptions,
  type ScoreDeps,
  type ScoreOptions,
} from './options.ts';
import { toDataUrl, type PreparedImage } from './prepare-image.ts';
import {
  emptyStats,
  failedJudgment,
  finish,
  newRecord,
  tally,
  toFailure,
  type JudgeRecord,
  type ScoreStats,
} from './records.ts';
import { stageContext, type StageContext } from './stage-context.ts';
import type { PendingBatch } from './transport/batch/pending.ts';
import { redact } from './transport/redact.ts';

export type { PreparedEvent, ScoreItem } from './items.ts';
export type { ScoreDeps, ScoreOptions } from './options.ts';
export { emptyStats, scoringInEffect } from './records.ts';
export type { JudgeRecord, MetricRecord, ScoreStats } from './records.ts';

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
    try {
      await ctx.dispatcher.close();
    } finally {
      // The spool, input files and judge-size images alike, goes with the stage.
      if (options.batch) await rm(options.batch.spoolDir, { recursive: true, force: true });
    }
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
