// One judgment (sample x metric x repeat): the budget held per call, the ask handed to the
// dispatcher (which paces, retries and shapes it for the model), a reply cut short asked again
// with a larger limit, and up to `maxContentTries` replies for a usable score.
import type { JudgeScoring } from '../constants.ts';
import type { Metric } from '../types.ts';
import type { Budget, BudgetHold } from './budget.ts';
import { interpret } from './judgment/interpret.ts';
import { REPLY_LIMIT, type Judgment, type JudgmentError } from './judgment/judgment.ts';
import type { OutputLimits } from './judgment/output-limits.ts';
import { costUsd, type ModelPrice } from './pricing.ts';
import type { Clock } from './transport/clock.ts';
import type { Ask, Carrier, Dispatcher } from './transport/dispatcher.ts';
import { addUsage, NO_USAGE, type JudgeReply, type Logger } from './transport/judge-transport.ts';

export type { Judgment, JudgmentError } from './judgment/judgment.ts';
export type { Logger } from './transport/judge-transport.ts';

/** State shared by all workers of one run. */
export interface CallContext {
  readonly dispatcher: Dispatcher;
  readonly clock: Clock;
  readonly budget: Budget;
  readonly log: Logger;
  readonly maxContentTries: number;
  /** A model's price when its reply came by `via` (the Batch API's is half). */
  readonly price: (model: string, via?: Carrier) => ModelPrice | undefined;
  readonly scoring: JudgeScoring;
  readonly topLogprobs: number;
  readonly outputLimits: OutputLimits;
  /** Judgments asked again because a reply was cut short (`finish_reason: length`). */
  counters: { lengthRetries: number };
  /** A reply without usage (or price) was booked at its estimate: said once per run. */
  warnedUnbilled: boolean;
}

export interface CallSubject {
  /** For log lines: `<sample id> cp#0`. */
  readonly label: string;
  readonly metric: Metric;
  readonly request: Pick<Ask, 'model' | 'messages' | 'temperature'>;
  /** The sample's share of the budget; `undefined` when the budget refused it. */
  readonly hold: BudgetHold | undefined;
}

export async function judgeOnce(
  ctx: CallContext,
  subject: CallSubject,
  repeat: number,
): Promise<Judgment> {
  let attempts = 0;
  let contentTries = 0;
  let refusals = 0;
  let usage = NO_USAGE;
  let cost: number | null = 0;
  let last: { reply: JudgeReply; latencyMs: number } | undefined;
  const done = (
    error: JudgmentError | null,
    result?: { sampled: number; expected: number | null },
  ): Judgment => {
    const expected = result?.expected ?? null;
    return {
      repeat,
      sampled: result?.sampled ?? null,
      expected,
      value: result ? (expected ?? result.sampled) : null,
      scoring: expected !== null ? 'expected' : 'sampled',
      reply: last ? replyText(last.reply).slice(0, REPLY_LIMIT) : null,
      model: last?.reply.model ?? null,
      systemFingerprint: last?.reply.systemFingerprint ?? null,
      attempts,
      latencyMs: last?.latencyMs ?? 0,
      usage,
      costUsd: cost,
      cached: false,
      refusals,
      error,
    };
  };

  for (;;) {
    const fatal = ctx.dispatcher.fatal;
    if (fatal) return done(fatal);
    const hold = subject.hold;
    const reservation = hold ? ctx.budget.beginCall(hold) : undefined;
    if (hold === undefined || reservation === undefined) return done(budgetError(ctx.budget));
    const ask: Ask = {
      ...subject.request,
      outputTokens: ctx.outputLimits.get(subject.metric),
      ...(ctx.scoring === 'expected' ? { topLogprobs: ctx.topLogprobs } : {}),
    };
    const started = ctx.clock.now();
    // Asked before (a reply cut short or unusable): a batch mode may ask it in realtime.
    const again = attempts > 0;
    const delivery = await ctx.dispatcher.send(ask, subject.label, again);
    attempts += delivery.calls;
    if (!delivery.ok) {
      // Unbilled: a failed call returns no reply.
      ctx.budget.endCall(hold, reservation, undefined);
      if (delivery.error.kind === 'refused') refusals += 1;
      return done(delivery.error);
    }
    const reply = delivery.reply;
    const callCost = bill(ctx, subject, delivery, hold, reservation);
    last = { reply, latencyMs: ctx.clock.now() - started };
    usage = addUsage(usage, reply.usage ?? NO_USAGE);
    cost = cost === null || callCost === undefined ? null : cost + callCost;

    const verdict = interpret(reply);
    if (verdict.ok) return done(null, verdict);
    if (reply.finishReason === 'length') {
      // Not the judge's fault: no content try spent, a larger limit instead.
      const cut = cutShort(ctx, subject, ask.outputTokens, delivery.cutBy);
      if (cut) return done(cut);
      continue;
    }
    if (verdict.error.kind === 'refused') refusals += 1;
    contentTries += 1;
    if (contentTries >= ctx.maxContentTries) {
      return done({
        kind: verdict.error.kind,
        reason: `${verdict.error.reason} (after ${contentTries} replies)`,
      });
    }
    ctx.log.warn(
      `judge: ${subject.label}: ${verdict.error.kind}: ${verdict.error.reason}; asking again`,
    );
  }
}

/** A reply cut short: raise the limit that ran out and ask again, or fail at the ceiling. */
function cutShort(
  ctx: CallContext,
  subject: CallSubject,
  limit: number,
  cutBy: 'reasoning' | 'output' | undefined,
): JudgmentError | undefined {
  ctx.counters.lengthRetries += 1;
  if (cutBy === 'reasoning') {
    ctx.log.warn(
      `judge: ${subject.label}: hidden reasoning used up the output limit; asking again with more room for it`,
    );
    return undefined;
  }
  if (!ctx.outputLimits.grow(subject.metric, limit)) {
    return {
      kind: 'unparseable',
      reason: `the reply was cut short at ${limit} tokens (finish_reason "length"), the largest limit`,
    };
  }
  ctx.log.warn(
    `judge: ${subject.label}: the reply was cut short at ${limit} tokens; asking again with ${ctx.outputLimits.get(subject.metric)}`,
  );
  return undefined;
}

function budgetError(budget: Budget): JudgmentError {
  return {
    kind: 'budget',
    reason: `not judged: max-cost-usd ${budget.maxUsd} would be passed (spent $${budget.spentUsd.toFixed(4)}, next call expected $${budget.expectedCallUsd.toFixed(4)})`,
  };
}

/**
 * Books a reply in the budget and returns its price, `undefined` when unknown. A reply without
 * usage, or from a model without a price, is booked at the call's estimate: booking nothing
 * would let `max-cost-usd` never stop the run.
 */
function bill(
  ctx: CallContext,
  subject: CallSubject,
  delivery: { reply: JudgeReply; via: Carrier },
  hold: BudgetHold,
  reservation: number,
): number | undefined {
  const { reply, via } = delivery;
  let callCost: number | undefined;
  try {
    const price =
      ctx.price(reply.model ?? subject.request.model, via) ?? ctx.price(subject.request.model, via);
    callCost = price && reply.usage ? costUsd(reply.usage, price) : undefined;
  } finally {
    ctx.budget.endCall(hold, reservation, callCost ?? reservation);
  }
  if (callCost === undefined && !ctx.warnedUnbilled) {
    ctx.warnedUnbilled = true;
    const effect =
      ctx.budget.maxUsd === undefined
        ? 'their cost is reported as unknown'
        : `max-cost-usd counts such calls at their estimate of $${reservation.toFixed(4)}`;
    ctx.log.warn(
      `judge: a reply came without token usage or from a model without a price (${JSON.stringify(reply.model ?? subject.request.model)}); ${effect}`,
    );
  }
  return callCost;
}

function replyText(reply: JudgeReply): string {
  return reply.content ?? reply.refusal ?? '';
}
