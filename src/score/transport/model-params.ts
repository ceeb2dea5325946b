// The parameters a judge model takes, learned from its refusals (once each per run), and its
// hidden reasoning tokens budgeted. Families differ (https://platform.openai.com/docs/guides/reasoning):
// gpt-4o and gpt-4.1 take `max_tokens`, `logprobs` and any temperature; reasoning models
// (o-series, gpt-5) refuse `max_tokens` for `max_completion_tokens`, which also covers the hidden
// reasoning tokens, and refuse `logprobs` and a non-default temperature. Model names do not say
// which rules a deployment follows (an Azure deployment is named by its owner), so the first
// refusal of each parameter (400 `unsupported_parameter` / `unsupported_value`) teaches them.
import type { ChatMessage, JudgeReply, JudgeRequest } from './judge-transport.ts';
import type { JudgeTransportError } from './errors.ts';

/** What the judgment side asks for, before the model's rules are applied. */
export interface Ask {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly temperature: number;
  /** Visible output the reply needs. */
  readonly outputTokens: number;
  /** Alternatives per token, for expected scoring; `undefined`: no log-probabilities. */
  readonly topLogprobs?: number;
}

export type Refusable = 'max_tokens' | 'temperature' | 'logprobs';

/** Hidden tokens set aside once a model turns out to reason, before any reply said how many. */
const INITIAL_REASONING_TOKENS = 2048;
const MAX_REASONING_TOKENS = 32_768;

/** Families known to take `max_tokens`, `logprobs` and temperature: no need to probe them. */
const CLASSIC =
  /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4-turbo|gpt-4(-\d{4})?$|gpt-3\.5|gpt-5(\.\d+)?-chat)/i;

export function takesClassicParameters(model: string): boolean {
  return CLASSIC.test(model);
}

/** Which parameter a refusal names, when it is one a judge request can do without. */
export function refusedParameter(error: JudgeTransportError): Refusable | undefined {
  const text = error.message;
  const coded = error.code === 'unsupported_parameter' || error.code === 'unsupported_value';
  if (error.status === 400 && coded) {
    if (error.param === 'max_tokens') return 'max_tokens';
    if (error.param === 'temperature') return 'temperature';
    if (error.param === 'logprobs' || error.param === 'top_logprobs') return 'logprobs';
  }
  // Without the codes: proxies that reword, older endpoints, and o4-mini's 403 "You are not
  // allowed to request logprobs from this model".
  if (error.status === 400 || error.status === 403 || error.status === 422) {
    if (/'?max_tokens'? is not supported/i.test(text)) return 'max_tokens';
    if (/logprob/i.test(text)) return 'logprobs';
    if (/'?temperature'? does not support/i.test(text)) return 'temperature';
  }
  return undefined;
}

export class ModelParams {
  readonly #refused = new Set<Refusable>();
  /** Hidden reasoning tokens set aside on top of the visible output; 0 for other models. */
  #reasoningTokens = 0;

  /** The parameters refused so far, in the order learned. */
  get refused(): readonly Refusable[] {
    return [...this.#refused];
  }
  get logprobsSupported(): boolean {
    return !this.#refused.has('logprobs');
  }
  get reasoningTokens(): number {
    return this.#reasoningTokens;
  }

  /** The wire request for `ask` under what has been learned. */
  request(ask: Ask): JudgeRequest {
    const completion = this.#refused.has('max_tokens');
    return {
      model: ask.model,
      messages: ask.messages,
      ...(this.#refused.has('temperature') ? {} : { temperature: ask.temperature }),
      maxTokens: ask.outputTokens + this.#reasoningTokens,
      ...(completion ? { tokenLimitParam: 'max_completion_tokens' as const } : {}),
      ...(ask.topLogprobs !== undefined && this.logprobsSupported
        ? { topLogprobs: ask.topLogprobs }
        : {}),
    };
  }

  /**
   * Learns from a refusal of `sent`: the parameter to do without, or `undefined` when the refusal
   * is not one (or names a parameter `sent` did not carry, so asking again would not help).
   * Returns `{ learned, first }`: `first` when this run had not learned it yet.
   */
  learn(
    error: JudgeTransportError,
    sent: JudgeRequest,
  ): { param: Refusable; first: boolean } | undefined {
    const param = refusedParameter(error);
    if (param === undefined || !carries(sent, param)) return undefined;
    const first = !this.#refused.has(param);
    this.#refused.add(param);
    // Only reasoning models refuse max_tokens: their hidden tokens need room of their own.
    if (param === 'max_tokens' && this.#reasoningTokens === 0)
      this.#reasoningTokens = INITIAL_REASONING_TOKENS;
    return { param, first };
  }

  /**
   * Follows the hidden tokens a reply spent: room for half as many again as the most seen. For a
   * reply cut short, says whether reasoning took the room (more was set aside: ask again as is)
   * or the visible text did (the caller asks for more output).
   */
  observe(reply: JudgeReply, sent: JudgeRequest, ask: Ask): 'reasoning' | 'output' | undefined {
    const reasoning = reply.reasoningTokens ?? 0;
    const before = this.#reasoningTokens;
    if (reasoning > 0) {
      const wanted = Math.max(before, Math.ceil(reasoning * 1.5));
      this.#reasoningTokens = Math.min(MAX_REASONING_TOKENS, wanted);
    }
    if (reply.finishReason !== 'length') return undefined;
    const visibleRoom = sent.maxTokens - reasoning;
    if (visibleRoom >= ask.outputTokens) return 'output';
    if (this.#reasoningTokens <= before) {
      this.#reasoningTokens = Math.min(MAX_REASONING_TOKENS, Math.max(2 * before, 2 * reasoning));
    }
    return this.#reasoningTokens > before ? 'reasoning' : 'output';
  }
}

function carries(sent: JudgeRequest, param: Refusable): boolean {
  if (param === 'max_tokens') return (sent.tokenLimitParam ?? 'max_tokens') === 'max_tokens';
  if (param === 'temperature') return sent.temperature !== undefined;
  return sent.topLogprobs !== undefined;
}
