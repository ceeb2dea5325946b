// Realtime judging: each ask is one chat-completions call (or a few: retries), paced by the
// scheduler within the account's limits. A 429 for rate limits is no failed try: the call waits
// its turn again, first in line, for as long as the stage's time budget allows. Server errors,
// timeouts and network failures back off and are retried up to `maxTransportAttempts` calls.
import type { Clock } from '../clock.ts';
import {
  asTransportError,
  Dispatcher,
  type Delivered,
  type DispatchCounters,
  type DispatcherOptions,
} from '../dispatcher.ts';
import { JudgeTransportError } from '../errors.ts';
import type { JudgeReply, JudgeRequest, JudgeTransport } from '../judge-transport.ts';
import { estimatePromptTokens, requestCharge } from '../request-charge.ts';
import { backoffDelayMs, TRANSIENT_KINDS, type BackoffOptions } from '../retry-policy.ts';
import { RateScheduler } from './scheduler.ts';

export interface RealtimeOptions extends DispatcherOptions {
  readonly transport: JudgeTransport;
  readonly clock: Clock;
  readonly rng: () => number;
  readonly backoff: BackoffOptions;
  /** Failed calls (5xx, timeout, network) before an ask fails; 429s do not count. */
  readonly maxTransportAttempts: number;
  /** `judge-concurrency`. */
  readonly concurrency: number;
  /** The judge stage's time budget: no call starts after `deadline` (clock ms). */
  readonly deadline: number;
  /** Said in the reason of the calls the budget stopped, e.g. `judge-time-budget-minutes: 120`. */
  readonly budgetName: string;
  readonly onTick?: () => void;
}

export class RealtimeDispatcher extends Dispatcher {
  readonly scheduler: RateScheduler;
  readonly #o: RealtimeOptions;
  #stoppedByBudget = 0;

  constructor(options: RealtimeOptions) {
    super(options);
    this.#o = options;
    this.scheduler = new RateScheduler({
      clock: options.clock,
      ceiling: options.concurrency,
      deadline: options.deadline,
      backoff: options.backoff,
      rng: options.rng,
      ...(options.onTick ? { onTick: options.onTick } : {}),
    });
  }

  get counters(): DispatchCounters {
    return {
      ...this.scheduler.counters,
      tokenLimit: this.scheduler.mirror.limitTokens,
      stoppedByBudget: this.#stoppedByBudget,
    };
  }

  /** Delivers one request now, as a call (the batch mode's probe and its few follow-ups). */
  deliverNow(build: () => JudgeRequest, label: string): Promise<Delivered> {
    return this.deliver(build, label);
  }

  protected async deliver(build: () => JudgeRequest, label: string): Promise<Delivered> {
    let request = build();
    const prompt = estimatePromptTokens(request.messages);
    let calls = 0;
    let failures = 0;
    let refusedBefore = false;
    for (;;) {
      const tokens = requestCharge(request, prompt);
      const call = await this.scheduler.admit(tokens, refusedBefore);
      if (!call) return { calls, request, error: this.#outOfTime() };
      // Built again: what was learned while this call waited applies to it.
      request = build();
      calls += 1;
      let reply: JudgeReply;
      try {
        reply = await this.#o.transport.complete(request);
      } catch (caught) {
        const error = asTransportError(caught);
        const limited = error.kind === 'rate-limit';
        this.scheduler.done(call, limited ? 'rate-limited' : 'other', error.rateLimits);
        if (limited) {
          if (this.scheduler.mirror.exceedsLimit(tokens))
            return { calls, request, error: this.#tooLarge(tokens) };
          refusedBefore = true;
          continue;
        }
        // A 429 was waited out above: what is left to retry is a server error, timeout or network.
        if (!TRANSIENT_KINDS.has(error.kind)) return { calls, request, error };
        failures += 1;
        if (failures >= this.#o.maxTransportAttempts) {
          const message = `${error.message} (gave up after ${failures} failed calls)`;
          return { calls, request, error: new JudgeTransportError(error.kind, message) };
        }
        const delay = backoffDelayMs(failures, this.#o.rng, this.#o.backoff, error.retryAfterMs);
        this.log.warn(
          `judge: ${label}: ${this.redact(error.message)}; retrying in ${Math.round(delay)} ms`,
        );
        await this.#o.clock.sleep(delay);
        continue;
      }
      // `?.`: a transport that returned nothing (a bug) must not hold its call in flight for ever.
      this.scheduler.done(call, 'ok', reply?.rateLimits);
      return { calls, reply, request, via: 'realtime' };
    }
  }

  #outOfTime(): JudgeTransportError {
    this.#stoppedByBudget += 1;
    return new JudgeTransportError(
      'rate-limit',
      `rate limit: judge time budget exhausted (${this.#o.budgetName}); not judged`,
    );
  }

  #tooLarge(tokens: number): JudgeTransportError {
    const limit = this.scheduler.mirror.limitTokens;
    return new JudgeTransportError(
      'rate-limit',
      `rate limit: the call needs about ${Math.round(tokens * this.scheduler.mirror.factor)} tokens, more than the account's limit of ${limit} (x-ratelimit-limit-tokens); use a smaller image-size`,
    );
  }
}
