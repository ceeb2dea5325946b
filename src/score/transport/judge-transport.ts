// What the score stage needs from a judge, whatever carries the calls: one chat-completions
// request in, one reply out. Realtime calls through the SDK (openai-client.ts) are the one kind
// today; the wire types here are the API's, so judgment code builds them and any transport
// carries them.

import type { DataUrl } from './data-url.ts';

/** A text or image part of a user turn; an image's URL may be held as bytes (data-url.ts). */
export type TextPart = { type: 'text'; text: string };
export type ImagePart = { type: 'image_url'; image_url: { url: string | DataUrl; detail: 'high' } };

export type ChatMessage =
  | { role: 'user'; content: string | Array<TextPart | ImagePart> }
  | { role: 'assistant'; content: string };

/** Tokens of one call as the endpoint reported them. */
export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
  };
}

export const NO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0 };

/** Where the transport and the stage report what a person should know. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface TopLogprob {
  readonly token: string;
  readonly logprob: number;
}
export interface TokenLogprob {
  readonly token: string;
  readonly logprob: number;
  readonly top_logprobs: readonly TopLogprob[];
}

/** One chat-completions request, with every wire decision made (see model-params.ts). */
export interface JudgeRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  /** Left out for models that take only their default. */
  readonly temperature?: number;
  /** The output limit, hidden reasoning tokens included. */
  readonly maxTokens: number;
  /** How the limit is named: `max_tokens` (default) or `max_completion_tokens` (reasoning models). */
  readonly tokenLimitParam?: 'max_tokens' | 'max_completion_tokens';
  /** Ask for the top alternatives of each token (`judge-scoring: expected`). */
  readonly topLogprobs?: number;
}

/** What one answer said about the account's limits (x-ratelimit-*, retry-after). */
export interface RateLimitHeaders {
  readonly limitTokens?: number;
  readonly remainingTokens?: number;
  /** Until the token bucket is full again, ms. */
  readonly resetTokensMs?: number;
  readonly limitRequests?: number;
  readonly remainingRequests?: number;
  readonly resetRequestsMs?: number;
  /** What a 429 asked for: `retry-after-ms`, `retry-after`, or "try again in" in its message. */
  readonly retryAfterMs?: number;
}

export interface JudgeReply {
  readonly content: string | null;
  /** OpenAI's structured refusal (`message.refusal`). */
  readonly refusal: string | null;
  readonly finishReason: string | null;
  readonly logprobs: readonly TokenLogprob[] | null;
  /** The snapshot that served the call, and its backend configuration. */
  readonly model: string | null;
  readonly systemFingerprint: string | null;
  readonly usage: TokenUsage | null;
  /** Hidden reasoning tokens among the completion tokens (reasoning models), when reported. */
  readonly reasoningTokens?: number | null;
  /** The account's limits as this answer reported them. */
  readonly rateLimits?: RateLimitHeaders;
}

/** One call to a judge. Throws `JudgeTransportError`. */
export interface JudgeTransport {
  complete(request: JudgeRequest): Promise<JudgeReply>;
}
