// The base of every judging mode: takes what the judgment side asks for, shapes it for the model
// (model-params.ts), has the mode deliver it, learns from parameter refusals and asks again, and
// hands back the reply or the failure. It is the one place where the endpoint's words enter the
// stage, so every string that came from the endpoint (reply, refusal, served model, system
// fingerprint, error messages) is redacted here. Modes: realtime/ (calls paced by the account's
// limits) and batch/ (the same requests through the Batch API, at half the price).
import type { BatchCounters } from './batch/batch-dispatcher.ts';
import type { PendingBatch } from './batch/pending.ts';
import { JudgeTransportError } from './errors.ts';
import type { JudgeReply, JudgeRequest, Logger } from './judge-transport.ts';
import { ModelParams, type Ask, type Refusable } from './model-params.ts';
import { redact } from './redact.ts';

export type { Ask } from './model-params.ts';

/** Why an ask failed: a short kind (`rate-limit`, `auth`, `refused`, …) and the reason in words. */
export interface Failure {
  readonly kind: string;
  readonly reason: string;
}

/** How a reply was carried, which sets its price: a call, or a line of a Batch API batch. */
export type Carrier = 'realtime' | 'batch';

/** One ask's outcome, with the HTTP calls it took (429s and parameter refusals included). */
export type Delivery = { readonly calls: number } & (
  | {
      readonly ok: true;
      readonly reply: JudgeReply;
      readonly via: Carrier;
      /** A reply cut short: by hidden reasoning (more set aside now) or by its visible text. */
      readonly cutBy?: 'reasoning' | 'output';
    }
  | { readonly ok: false; readonly error: Failure }
);

/** What a mode's delivery came to: the reply to the request last sent, or the error it gave up with. */
export type Delivered = { readonly calls: number } & (
  | { readonly reply: JudgeReply; readonly request: JudgeRequest; readonly via: Carrier }
  | { readonly error: JudgeTransportError; readonly request: JudgeRequest }
);

/** What a mode has sent so far, for progress lines and the stage's counters. */
export interface DispatchCounters {
  /** HTTP calls, 429s and parameter refusals included. */
  readonly calls: number;
  readonly rateLimited: number;
  /** Times a 429 paused every call. */
  readonly pauses: number;
  /** Tokens charged against the account's bucket (estimated). */
  readonly tokens: number;
  /** The account's token limit as the answers reported it. */
  readonly tokenLimit: number | undefined;
  /** Asks the stage's time budget stopped before their call. */
  readonly stoppedByBudget: number;
}

export interface DispatcherOptions {
  readonly log: Logger;
  /** Strings redacted from everything the endpoint says (the API key). */
  readonly secrets: readonly string[];
  /**
   * The first ask goes alone, the others wait for it: a model whose parameters are not known
   * for certain refuses each one once, not once per call in flight.
   */
  readonly probe: boolean;
}

const LEARNED: Record<Refusable, string> = {
  max_tokens: 'sending max_completion_tokens instead, with room for hidden reasoning tokens',
  temperature: 'leaving temperature at the model default',
  logprobs: 'leaving out logprobs: scoring falls back to sampled',
};

export abstract class Dispatcher {
  readonly params = new ModelParams();
  protected readonly log: Logger;
  readonly #secrets: readonly string[];
  #fatal: Failure | undefined;
  #probe: boolean;
  #probing: Promise<unknown> | undefined;
  #probeInFlight = false;

  constructor(options: DispatcherOptions) {
    this.log = options.log;
    this.#secrets = options.secrets;
    this.#probe = options.probe;
  }

  /** Set by an error that fails every call (a bad key, no credit, not a chat API). */
  get fatal(): Failure | undefined {
    return this.#fatal;
  }

  abstract get counters(): DispatchCounters;

  /** What batch judging did; `undefined` for a mode without batches. */
  get batch(): BatchCounters | undefined {
    return undefined;
  }

  /** Batches still running when the stage ended, for the next run to collect. */
  get pending(): PendingBatch[] {
    return [];
  }

  /** The stage is done with this dispatcher (a batch mode stops polling). */
  async close(): Promise<void> {}

  /** The first ask is out alone, teaching the model's parameters (see DispatcherOptions.probe). */
  protected get probing(): boolean {
    return this.#probeInFlight;
  }

  /**
   * Delivers the request `build` gives at the moment of sending (it follows what is learned).
   * `again`: the judgment asked before (a reply it could not use, a refused parameter).
   */
  protected abstract deliver(
    build: () => JudgeRequest,
    label: string,
    again: boolean,
  ): Promise<Delivered>;

  /** `again`: this judgment's earlier reply was cut short or could not be used. */
  async send(ask: Ask, label: string, again = false): Promise<Delivery> {
    if (this.#probing) await this.#probing;
    else if (this.#probe) {
      this.#probe = false;
      this.#probeInFlight = true;
      const probe = this.#send(ask, label, again).finally(() => (this.#probeInFlight = false));
      this.#probing = probe.catch(() => undefined);
      return probe;
    }
    return this.#send(ask, label, again);
  }

  async #send(ask: Ask, label: string, again: boolean): Promise<Delivery> {
    let calls = 0;
    for (let retried = again; ; retried = true) {
      if (this.#fatal) return { ok: false, error: this.#fatal, calls };
      const delivered = await this.deliver(() => this.params.request(ask), label, retried);
      const request = delivered.request;
      calls += delivered.calls;
      if ('reply' in delivered) {
        const reply = this.#clean(delivered.reply);
        const cutBy = this.params.observe(reply, request, ask);
        return { ok: true, reply, via: delivered.via, calls, ...(cutBy ? { cutBy } : {}) };
      }
      const learned = this.params.learn(delivered.error, request);
      if (learned) {
        if (learned.first) {
          const said = this.redact(delivered.error.message);
          this.log.warn(
            `judge: ${ask.model} refuses ${learned.param} (${said}); ${LEARNED[learned.param]}`,
          );
        }
        continue;
      }
      return { ok: false, error: this.#failure(delivered.error), calls };
    }
  }

  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  #clean(reply: JudgeReply): JudgeReply {
    const clean = (s: string | null) => (s === null ? null : this.redact(s));
    // Log-probability tokens are read for the expected score and never kept.
    return {
      ...reply,
      content: clean(reply.content),
      refusal: clean(reply.refusal),
      model: clean(reply.model),
      systemFingerprint: clean(reply.systemFingerprint),
    };
  }

  #failure(error: JudgeTransportError): Failure {
    const message = this.redact(error.message);
    switch (error.kind) {
      case 'auth':
        return (this.#fatal = {
          kind: 'auth',
          reason: `${message}; check openai-api-key and openai-base-url`,
        });
      case 'quota':
        return (this.#fatal = {
          kind: 'quota',
          reason: `${message}; the account of openai-api-key has exhausted its quota (insufficient_quota): add credit or billing to it, or use another key`,
        });
      case 'endpoint':
        return (this.#fatal = { kind: 'endpoint', reason: message });
      case 'refused':
        return {
          kind: 'refused',
          reason: `the endpoint's content filter refused the prompt: ${message}`,
        };
      default:
        return { kind: error.kind, reason: message };
    }
  }
}

/** Anything a transport threw, as a transport error. */
export function asTransportError(caught: unknown): JudgeTransportError {
  return caught instanceof JudgeTransportError
    ? caught
    : new JudgeTransportError('network', String(caught));
}
