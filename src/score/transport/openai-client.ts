// The judge edge: one chat-completions call through the `openai` SDK, with SDK retries off (the
// caller owns retries, backoff and the shared 429 pause) and errors classified for that caller.
import OpenAI from 'openai';
import { JudgeTransportError } from './errors.ts';
import type { JudgeReply, JudgeTransport } from './judge-transport.ts';
import { parseRetryAfter } from './retry-policy.ts';

export interface OpenAIJudgeOptions {
  readonly apiKey: string;
  /** Empty or undefined: the SDK default (which honours `OPENAI_BASE_URL`). */
  readonly baseURL?: string;
  /** Per-request timeout, ms. */
  readonly timeoutMs: number;
  /** Extra query parameters, e.g. `{ 'api-version': '…' }` for Azure deployments. */
  readonly defaultQuery?: Record<string, string>;
  readonly defaultHeaders?: Record<string, string>;
}

export function createOpenAIJudge(options: OpenAIJudgeOptions): JudgeTransport {
  const client = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    timeout: options.timeoutMs,
    maxRetries: 0,
    // The SDK would otherwise print to the console; our logger decides what is shown.
    logLevel: 'off',
    ...(options.defaultQuery ? { defaultQuery: options.defaultQuery } : {}),
    ...(options.defaultHeaders ? { defaultHeaders: options.defaultHeaders } : {}),
  });
  return {
    async complete(request) {
      try {
        const data = await client.chat.completions.create({
          model: request.model,
          messages: request.messages as OpenAI.Chat.ChatCompletionMessageParam[],
          temperature: request.temperature,
          max_tokens: request.maxTokens,
          ...(request.topLogprobs !== undefined
            ? { logprobs: true, top_logprobs: request.topLogprobs }
            : {}),
        });
        return toReply(data);
      } catch (error) {
        throw classify(error, Date.now());
      }
    },
  };
}

function toReply(data: OpenAI.Chat.ChatCompletion): JudgeReply {
  const choice = data.choices?.[0];
  const usage = data.usage;
  return {
    content: choice?.message?.content ?? null,
    refusal: choice?.message?.refusal ?? null,
    finishReason: choice?.finish_reason ?? null,
    logprobs: choice?.logprobs?.content ?? null,
    model: data.model ?? null,
    systemFingerprint: data.system_fingerprint ?? null,
    usage: usage
      ? {
          promptTokens: usage.prompt_tokens ?? 0,
          completionTokens: usage.completion_tokens ?? 0,
          cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
        }
      : null,
  };
}

function classify(error: unknown, nowMs: number): JudgeTransportError {
  if (error instanceof JudgeTransportError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError)
    return new JudgeTransportError('timeout', 'the judge did not answer within the timeout');
  if (error instanceof OpenAI.APIConnectionError)
    return new JudgeTransportError('network', `cannot reach the judge: ${error.message}`);
  if (error instanceof OpenAI.APIError) {
    const status = error.status;
    const retryAfter = error.headers
      ? parseRetryAfter((name) => error.headers?.get(name), nowMs)
      : undefined;
    const message = `the judge answered HTTP ${status}: ${error.message}`;
    // OpenAI's "out of credit" is a 429 too, but waiting does not help: no retries.
    if (status === 429 && error.code === 'insufficient_quota')
      return new JudgeTransportError('quota', message, status);
    if (status === 429) return new JudgeTransportError('rate-limit', message, status, retryAfter);
    if (status === 401 || status === 403) return new JudgeTransportError('auth', message, status);
    if (status !== undefined && (status >= 500 || status === 408 || status === 409)) {
      return new JudgeTransportError('server', message, status, retryAfter);
    }
    return new JudgeTransportError('client', message, status);
  }
  return new JudgeTransportError(
    'network',
    `judge call failed: ${error instanceof Error ? error.message : String(error)}`,
  );
}
