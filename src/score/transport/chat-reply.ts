// What a chat-completions answer says, read the same way whether it came back from a call or as
// a line of a Batch API output file (pure): the reply, or the error its HTTP status and body mean.
import type OpenAI from 'openai';
import { JudgeTransportError, type TransportErrorDetails } from './errors.ts';
import type { JudgeReply } from './judge-transport.ts';

/** The reply of a chat completion; `undefined` when the body is not one (no `choices`). */
export function chatReply(data: unknown): Omit<JudgeReply, 'rateLimits'> | undefined {
  const body = data as Partial<OpenAI.Chat.ChatCompletion> | null;
  const choice = Array.isArray(body?.choices) ? body.choices[0] : undefined;
  if (typeof body !== 'object' || body === null || !choice || typeof choice.message !== 'object')
    return undefined;
  const usage = body.usage;
  return {
    content: choice.message?.content ?? null,
    refusal: choice.message?.refusal ?? null,
    finishReason: choice.finish_reason ?? null,
    logprobs: choice.logprobs?.content ?? null,
    model: body.model ?? null,
    systemFingerprint: body.system_fingerprint ?? null,
    usage: usage
      ? {
          promptTokens: usage.prompt_tokens ?? 0,
          completionTokens: usage.completion_tokens ?? 0,
          cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
        }
      : null,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? null,
  };
}

/**
 * The transport error an HTTP error answer means. `message` is the API's own (the SDK's
 * `error.message`, or a batch line's `body.error.message`); `details` carries status, code,
 * param and the rate-limit headers.
 */
export function statusError(
  status: number | undefined,
  message: string,
  details: TransportErrorDetails,
): JudgeTransportError {
  const said = `the judge answered HTTP ${status}: ${message}`;
  const code = details.code;
  // OpenAI's "out of credit" is a 429 too, but waiting does not help: no retries.
  if (status === 429 && code === 'insufficient_quota')
    return new JudgeTransportError('quota', said, details);
  if (status === 429) return new JudgeTransportError('rate-limit', said, details);
  // Azure's prompt filter: the judge's provider refused the prompt, as a judge refuses.
  if (status === 400 && code === 'content_filter')
    return new JudgeTransportError('refused', said, details);
  if (status === 401 || status === 403) return new JudgeTransportError('auth', said, details);
  if (status !== undefined && (status >= 500 || status === 408 || status === 409))
    return new JudgeTransportError('server', said, details);
  return new JudgeTransportError('client', said, details);
}
