// The state shared by every judgment of one run: the dispatcher that carries the calls (paced
// within the account's limits, or gathered into Batch API batches), the cost budget, prices,
// output limits and progress.
import { Inputs } from '../constants.ts';
import { Budget } from './budget.ts';
import { UnknownModelPriceError } from './errors.ts';
import type { CallContext } from './judge-once.ts';
import { OutputLimits } from './judgment/output-limits.ts';
import type { ResolvedOptions, ScoreDeps } from './options.ts';
import { costUsd, DEFAULT_PRICES, estimateCallUsage, priceFor, priceVia } from './pricing.ts';
import { Progress } from './progress.ts';
import { IdleGate, NO_GATE, type Gate } from './transport/batch/idle-gate.ts';
import { systemClock } from './transport/clock.ts';
import type { Carrier, Dispatcher } from './transport/dispatcher.ts';
import {
  createDispatcher,
  type BatchSetup,
  type JudgingMode,
} from './transport/dispatcher-factory.ts';
import type { Logger } from './transport/judge-transport.ts';
import { DEFAULT_BACKOFF } from './transport/retry-policy.ts';

const silent: Logger = { info() {}, warn() {} };

/** In batch mode, realtime calls (the probe, the last few asks again) may start this long after the wait. */
const REALTIME_GRACE_MS = 15 * 60_000;

export interface StageContext extends CallContext {
  readonly progress: Progress;
  /** Batch mode gathers asks until every judgment waits; realtime never does. */
  readonly gate: Gate;
  readonly mode: JudgingMode;
}

export function stageContext(
  deps: ScoreDeps,
  options: ResolvedOptions,
  judgments: number,
): StageContext {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? silent;
  const prices = options.prices ?? DEFAULT_PRICES;
  const mode: JudgingMode = options.batch ? 'batch' : 'realtime';
  const price = (model: string, via: Carrier = 'realtime') => {
    const listed = priceFor(model, prices);
    return listed && priceVia(listed, via);
  };
  const modelPrice = price(options.model, mode);
  if (options.maxCostUsd !== undefined && !modelPrice) {
    throw new UnknownModelPriceError(options.model, Object.keys(prices));
  }
  // The budget reserves this much per call before it is made: a CP call with two images.
  const prior = modelPrice ? costUsd(estimateCallUsage(options.imageSize, 2, 3000), modelPrice) : 0;
  const start = clock.now();
  const waitUntil = options.batch ? start + options.batch.waitMs : undefined;
  const budgetMs = options.timeBudgetMs;
  const deadline =
    waitUntil !== undefined
      ? waitUntil + REALTIME_GRACE_MS
      : budgetMs === undefined
        ? Infinity
        : start + budgetMs;
  const idle = new IdleGate();
  let dispatcher: Dispatcher | undefined;
  const progress = new Progress(judgments, clock, log, () => dispatcher!.counters);
  dispatcher = createDispatcher({
    mode,
    model: options.model,
    transport: deps.transport,
    clock,
    rng: deps.rng ?? Math.random,
    log,
    secrets: options.secrets ?? [],
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    maxTransportAttempts: options.maxTransportAttempts ?? 6,
    concurrency: options.concurrency,
    deadline,
    // What bounds the realtime calls, for the reason of those it stopped.
    budgetName: options.batch
      ? `${batchWaitName(options.batch.waitMs)}, and ${REALTIME_GRACE_MS / 60_000} minutes after it for realtime calls`
      : `${Inputs.JudgeTimeBudgetMinutes}: ${budgetMs === undefined ? 'none' : budgetMs / 60_000}`,
    onTick: () => progress.tick(),
    // A run that only collects pending batches waits for none: its wait ends at the start.
    ...batchSetup(deps, options, idle, waitUntil ?? start),
  });
  return {
    dispatcher,
    progress,
    gate: mode === 'batch' ? idle : NO_GATE,
    mode,
    clock,
    budget: new Budget(options.maxCostUsd, prior),
    log,
    maxContentTries: options.maxContentTries ?? 3,
    price,
    scoring: options.scoring,
    topLogprobs: options.topLogprobs,
    outputLimits: new OutputLimits(options.outputTokens),
    counters: { lengthRetries: 0 },
    warnedUnbilled: false,
  };
}

/** The batch mode's part of the dispatcher: for `judge-batch`, or to collect pending batches. */
function batchSetup(
  deps: ScoreDeps,
  options: ResolvedOptions,
  gate: IdleGate,
  waitUntil: number,
): { batch?: BatchSetup } {
  const adopted = deps.pendingBatches ?? [];
  if (!options.batch && adopted.length === 0) return {};
  if (!deps.batchApi) {
    if (options.batch)
      throw new TypeError('batch judging needs the Batch API (ScoreDeps.batchApi)');
    return {};
  }
  const wait = options.batch?.waitMs ?? 0;
  return {
    batch: {
      api: deps.batchApi,
      gate,
      waitUntil,
      waitName: batchWaitName(wait),
      ...(deps.signal ? { signal: deps.signal } : {}),
      spoolDir: options.batch?.spoolDir ?? '',
      metadata: options.batch?.metadata ?? {},
      ...(options.batch?.limits ? { limits: options.batch.limits } : {}),
      ...(options.batch?.realtimeFollowUps !== undefined
        ? { realtimeFollowUps: options.batch.realtimeFollowUps }
        : {}),
      adopted,
    },
  };
}

/** `judge-batch-wait-minutes: 240`, as the reasons say it. */
function batchWaitName(waitMs: number): string {
  return `${Inputs.JudgeBatchWaitMinutes}: ${+(waitMs / 60_000).toFixed(2)}`;
}
