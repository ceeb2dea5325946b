// One judgment (sample x metric x repeat) through the transport: the shared 429 pause, the
// budget, backoff for transport failures, and up to `maxContentTries` replies for a usable score.
import type { JudgeScoring } from '../constants.ts';
import type { Budget, BudgetHold } from './budget.ts';
import { interpret } from './judgment/interpret.ts';
import { REPLY_LIMIT, type Judgment, type JudgmentError } from './judgment/judgment.ts';
import { costUsd, type ModelPrice } from './pricing.ts';
import type { Clock, RateGate } from './transport/clock.ts';
import { JudgeTransportError } from './transport/errors.ts';
import {
  addUsage,
  NO_USAGE,
  type JudgeReply,
  type JudgeRequest,
  type JudgeTransport,
  type Logger,
} from './transport/judge-transport.ts';
import { redact } from './transport/redact.ts';
import { backoffDelayMs, type BackoffOptions } from './transport/retry-policy.ts';

export type { Judgment, JudgmentError } from './judgment/judgment.ts';
export type { Logger } from './transport/judge-transport.ts';

/** State shared by all workers of one run. */
export interface CallContext {
  readonly transport: JudgeTransport;
  readonly clock: Clock;
  readonly rng: () => number;
  readonly gate: RateGate;
  readonly budget: Budget;
  readonly log: Logger;
  readonly backoff: BackoffOptions;
  readonly maxTransportAttempts: number;
  readonly maxContentTries: number;
  readonly price: (model: string) => ModelPrice | undefined;
  readonly secrets: readonly string[];
  readonly scoring: JudgeScoring;
  readonly topLogprobs: number;
  /** Flipped off for the whole run when the endpoint rejects `logprobs`. */
  logprobsSupported: boolean;
  /** Set by an error that will fail every call (bad key): later calls fail at once. */
  fatal: JudgmentError | null;
  counters: { calls: number; retries: number };
  /** A reply without usage (or price) was booked at its estimate: said once per run. */
  warnedUnbilled: boolean;
}

export interface CallSubject {
  /** For log lines: `<sample id> cp#0`. */
  readonly label: string;
  readonly request: Omit<JudgeRequest, 'topLogprobs'>;
  /** The sample's share of the budget; `undefined` when the budget refused it. */
  readonly hold: BudgetHold | undefined;
}

export async function judgeOnce(
  ctx: CallContext,
  subject: CallSubject,
  repeat: number,
): Promise<Judgment> {
  let attempts = 0;
  let transportFailures = 0;
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
      reply: last ? redact(replyText(last.reply), ctx.secrets).slice(0, REPLY_LIMIT) : null,
      model: last?.reply.model ?? null,
      systemFingerprint: last?.reply.systemFingerprint ?? null,
      attempts,
      latencyMs: last?.latencyMs ?? 0,
      usage,
      costUsd: cost,
      cached: false,
      refusals,
      error: error ? { kind: error.kind, reason: redact(error.reason, ctx.secrets) } : null,
    };
  };

  for (;;) {
    if (ctx.fatal) return done(ctx.fatal);
    await ctx.gate.pass();
    const hold = subject.hold;
    const reservation = hold ? ctx.budget.beginCall(hold) : undefined;
    if (hold === undefined || reservation === undefined) return done(budgetError(ctx.budget));
    const useLogprobs = ctx.scoring === 'expected' && ctx.logprobsSupported;
    const request: JudgeRequest = useLogprobs
      ? { ...subject.request, topLogprobs: ctx.topLogprobs }
      : subject.request;
    attempts += 1;
    ctx.counters.calls += 1;
    if (attempts > 1) ctx.counters.retries += 1;
    const started = ctx.clock.now();
    let reply: JudgeReply;
    try {
      reply = await ctx.transport.complete(request);
    } catch (caught) {
      ctx.budget.endCall(hold, reservation, undefined);
      const next = await afterTransportError(
        ctx,
        subject.label,
        caught,
        useLogprobs,
        transportFailures + 1,
      );
      if (next === 'retry') transportFailures += 1;
      if (next === 'retry' || next === 'retry-without-logprobs') continue;
      return done(next);
    }
    const callCost = bill(ctx, subject, reply, hold, reservation);
    last = { reply, latencyMs: ctx.clock.now() - started };
    usage = addUsage(usage, reply.usage ?? NO_USAGE);
    cost = cost === null || callCost === undefined ? null : cost + callCost;

    const verdict = interpret(reply);
    if (verdict.ok) return done(null, verdict);
    if (verdict.error.kind === 'refused') refusals += 1;
    contentTries += 1;
    if (contentTries >= ctx.maxContentTries) {
      return done({
        kind: verdict.error.kind,
        reason: `${verdict.error.reason} (after ${contentTries} replies)`,
      });
    }
    ctx.log.warn(
      `judge: ${subject.label}: ${verdict.error.kind}: ${redact(verdict.error.reason, ctx.secrets)}; asking again`,
    );
  }
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
  reply: JudgeReply,
  hold: BudgetHold,
  reservation: number,
): number | undefined {
  let callCost: number | undefined;
  try {
    const price =
      ctx.price(reply.model ?? subject.request.model) ?? ctx.price(subject.request.model);
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

/**
 * What follows a failed call: retry (after the backoff, or after the shared pause on a 429), retry
 * without log-probabilities where the endpoint rejects them, or give up with the error.
 */
async function afterTransportError(
  ctx: CallContext,
  label: string,
  caught: unknown,
  useLogprobs: boolean,
  failures: number,
): Promise<'retry' | 'retry-without-logprobs' | JudgmentError> {
  const error =
    caught instanceof JudgeTransportError
      ? caught
      : new JudgeTransportError('network', String(caught));
  const message = redact(error.message, ctx.secrets);
  if (error.kind === 'auth') {
    ctx.fatal = { kind: 'auth', reason: `${message}; check openai-api-key and openai-base-url` };
    return ctx.fatal;
  }
  if (error.kind === 'quota') {
    ctx.fatal = {
      kind: 'quota',
      reason: `${message}; the account of openai-api-key has exhausted its quota (insufficient_quota): add credit or billing to it, or use another key`,
    };
    return ctx.fatal;
  }
  if (error.kind === 'client') {
    if (!useLogprobs || !/logprob/i.test(error.message)) return { kind: 'client', reason: message };
    ctx.logprobsSupported = false;
    ctx.log.warn(
      `judge: the endpoint rejects logprobs (${message}); falling back to sampled scoring`,
    );
    return 'retry-without-logprobs';
  }
  if (failures >= ctx.maxTransportAttempts) {
    return { kind: error.kind, reason: `${message} (gave up after ${failures} failed calls)` };
  }
  const delay = backoffDelayMs(failures, ctx.rng, ctx.backoff, error.retryAfterMs);
  ctx.log.warn(`judge: ${label}: ${message}; retrying in ${Math.round(delay)} ms`);
  // A rate limit concerns every worker: pause them all. Other failures back off alone.
  if (error.kind === 'rate-limit') ctx.gate.pauseFor(delay);
  else await ctx.clock.sleep(delay);
  return 'retry';
}
