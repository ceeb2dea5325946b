// What the score stage needs from a judge, whatever carries the calls: one chat-completions
// request in, one reply out. Realtime calls through the SDK (openai-client.ts) are the one kind
// today; the wire types here are the API's, so judgment code builds them and any transport
// carries them.

/** A text or image part of a user turn. */
export type TextPart = { type: 'text'; text: string };
export type ImagePart = { type: 'image_url'; image_url: { url: string; detail: 'high' } };

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

export interface JudgeRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly temperature: number;
  readonly maxTokens: number;
  /** Ask for the top alternatives of each token (`judge-scoring: expected`). */
  readonly topLogprobs?: number;
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
}

/** What the score stage needs from a judge: one call. Throws `JudgeTransportError`. */
export interface JudgeTransport {
  complete(request: JudgeRequest): Promise<JudgeReply>;
}
