// The judge edge: one chat-completions call through the `openai` SDK (its AzureOpenAI client
// for Azure endpoints), with SDK retries off (the dispatcher owns retries and pacing), the
// x-ratelimit-* headers of every answer read, and errors classified for the dispatcher.
import OpenAI, { AzureOpenAI } from 'openai';
import { chatBody, wireParameters } from './chat-body.ts';
import { chatReply, statusError } from './chat-reply.ts';
import { EndpointError, JudgeTransportError } from './errors.ts';
import type { EndpointOptions } from './endpoint.ts';
import type { JudgeReply, JudgeRequest, JudgeTransport } from './judge-transport.ts';
import { readRateLimits } from './rate-limits.ts';

export interface OpenAIJudgeOptions extends EndpointOptions {
  readonly apiKey: string;
  /** Per-request timeout, ms. */
  readonly timeoutMs: number;
}

export function createOpenAIJudge(options: OpenAIJudgeOptions): JudgeTransport {
  const client = sdkClient(options);
  const send = (request: JudgeRequest) =>
    // The SDK's Azure client routes by the body's model, so it takes the body as an object;
    // elsewhere the body goes as bytes (chat-body.ts), through the same client.
    options.azure
      ? client.chat.completions.create(wireBody(request)).withResponse()
      : client
          .post('/chat/completions', {
            body: chatBody(request),
            headers: { 'content-type': 'application/json' },
          })
          .withResponse();
  return {
    async complete(request) {
      let answer: { data: unknown; response: Response };
      try {
        answer = await send(request);
      } catch (error) {
        throw classify(error, Date.now());
      }
      return toReply(answer.data, answer.response, client.baseURL);
    },
  };
}

/** The SDK client of the judge endpoint (also the Batch API's, batch/batch-api.ts). */
export function sdkClient(options: OpenAIJudgeOptions): OpenAI {
  const common = {
    apiKey: options.apiKey,
    timeout: options.timeoutMs,
    maxRetries: 0,
    // The SDK would otherwise print to the console; our logger decides what is shown.
    logLevel: 'off' as const,
    ...(options.defaultQuery ? { defaultQuery: options.defaultQuery } : {}),
  };
  if (!options.azure) {
    return new OpenAI({ ...common, ...(options.baseURL ? { baseURL: options.baseURL } : {}) });
  }
  try {
    return new AzureOpenAI({
      ...common,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      ...(options.azure.apiVersion ? { apiVersion: options.azure.apiVersion } : {}),
    });
  } catch (error) {
    throw new EndpointError(
      options.baseURL ?? '',
      `is an Azure OpenAI endpoint without its api-version (${(error as Error).message}); add it to the URL, e.g. "?api-version=2024-10-21"`,
    );
  }
}

function wireBody(request: JudgeRequest): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
  return {
    // DataUrl parts serialise through their toJSON.
    messages: request.messages as OpenAI.Chat.ChatCompletionMessageParam[],
    ...(wireParameters(request) as { model: string }),
  };
}

/** The reply, or one clear error when the 200 is not a chat completion (a proxy's login page). */
function toReply(data: unknown, response: Response, endpoint: string): JudgeReply {
  const reply = chatReply(data);
  if (!reply) throw notAChatCompletion(data, response, endpoint);
  return { ...reply, rateLimits: readRateLimits((name) => response.headers.get(name), Date.now()) };
}

function notAChatCompletion(data: unknown, response: Response, endpoint: string) {
  const type = response.headers.get('content-type') ?? 'no content-type';
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  const what =
    typeof data === 'object' && data !== null
      ? `JSON with no "choices" (${type}): ${JSON.stringify(flat.slice(0, 200))}`
      : `${type}: ${JSON.stringify(flat.slice(0, 200))}`;
  return new JudgeTransportError(
    'endpoint',
    `the judge endpoint ${endpoint} answered HTTP ${response.status} with ${what}, not a chat completion; openai-base-url must be an OpenAI-compatible API (its /chat/completions), not a web page or a proxy's sign-in`,
    { status: response.status },
  );
}

/** Anything the SDK threw, as a transport error. */
export function classify(error: unknown, nowMs: number): JudgeTransportError {
  if (error instanceof JudgeTransportError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError)
    return new JudgeTransportError('timeout', 'the judge did not answer within the timeout');
  if (error instanceof OpenAI.APIConnectionError)
    return new JudgeTransportError('network', `cannot reach the judge: ${error.message}`);
  if (error instanceof OpenAI.APIError) {
    return statusError(error.status, error.message, {
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(typeof error.param === 'string' ? { param: error.param } : {}),
      ...(typeof error.code === 'string' ? { code: error.code } : {}),
      ...(error.headers
        ? { rateLimits: readRateLimits((name) => error.headers?.get(name), nowMs, error.message) }
        : {}),
    });
  }
  return new JudgeTransportError(
    'network',
    `judge call failed: ${error instanceof Error ? error.message : String(error)}`,
  );
}
