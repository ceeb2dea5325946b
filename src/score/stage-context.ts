// The state shared by every judgment of one run: the dispatcher that carries the calls (paced
// within the account's limits), the cost budget, prices, output limits and progress.
import { Inputs } from '../constants.ts';
import { Budget } from './budget.ts';
import { UnknownModelPriceError } from './errors.ts';
import type { CallContext } from './judge-once.ts';
import { OutputLimits } from './judgment/output-limits.ts';
import type { ResolvedOptions, ScoreDeps } from './options.ts';
import { costUsd, DEFAULT_PRICES, estimateCallUsage, priceFor } from './pricing.ts';
import { Progress } from './progress.ts';
import { systemClock } from './transport/clock.ts';
import type { Dispatcher } from './transport/dispatcher.ts';
import { createDispatcher } from './transport/dispatcher-factory.ts';
import type { Logger } from './transport/judge-transport.ts';
import { DEFAULT_BACKOFF } from './transport/retry-policy.ts';

const silent: Logger = { info() {}, warn() {} };

export interface StageContext extends CallContext {
  readonly progress: Progress;
}

export function stageContext(
  deps: ScoreDeps,
  options: ResolvedOptions,
  judgments: number,
): StageContext {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? silent;
  const prices = options.prices ?? DEFAULT_PRICES;
  const price = (model: string) => priceFor(model, prices);
  const modelPrice = price(options.model);
  if (options.maxCostUsd !== undefined && !modelPrice) {
    throw new UnknownModelPriceError(options.model, Object.keys(prices));
  }
  // The budget reserves this much per call before it is made: a CP call with two images.
  const prior = modelPrice ? costUsd(estimateCallUsage(options.imageSize, 2, 3000), modelPrice) : 0;
  const budgetMs = options.timeBudgetMs;
  let dispatcher: Dispatcher | undefined;
  const progress = new Progress(judgments, clock, log, () => dispatcher!.counters);
  dispatcher = createDispatcher({
    mode: 'realtime',
    model: options.model,
    transport: deps.transport,
    clock,
    rng: deps.rng ?? Math.random,
    log,
    secrets: options.secrets ?? [],
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    maxTransportAttempts: options.maxTransportAttempts ?? 6,
    concurrency: options.concurrency,
    deadline: budgetMs === undefined ? Infinity : clock.now() + budgetMs,
    budgetName: `${Inputs.JudgeTimeBudgetMinutes}: ${budgetMs === undefined ? 'none' : budgetMs / 60_000}`,
    onTick: () => progress.tick(),
  });
  return {
    dispatcher,
    progress,
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
