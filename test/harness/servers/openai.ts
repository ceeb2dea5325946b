// A loopback server speaking the OpenAI chat-completions protocol, for tests and benchmarks of
// the judge. Real timers are fine here (latency knobs): the code under test gets fake time.
// Optional realism, taken from OpenAI's documentation: account limits (openai-limits.ts) and
// the parameter rules of reasoning models (o-series, gpt-5): `max_tokens` refused for
// `max_completion_tokens`, no log-probabilities, temperature only at its default of 1, hidden
// reasoning tokens spent out of `max_completion_tokens` (https://platform.openai.com/docs/guides/reasoning).
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountLimits, DEFAULT_OUTPUT_LIMIT, type RateLimitOptions } from './openai-limits.ts';
import { mountBatchApi, type BatchApi, type LineAnswer } from './openai-batch.ts';

export interface RecordedRequest {
  readonly method: string;
  /** Full request path with query, e.g. `/openai/deployments/x/chat/completions?api-version=…`. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: ChatRequestBody;
  /** Set on a line of a Batch API input file (openai-batch.ts), answered like a request. */
  readonly batchLine?: { readonly batchId: string; readonly customId: string };
}

export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role: string; content: unknown }>;
  logprobs?: boolean;
  top_logprobs?: number;
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  n?: number;
  [key: string]: unknown;
}

/** What the server does with one request. */
export type Behavior =
  /** A normal reply with this text; under `logprobs: true` the digit after `Score:` gets `distribution`. */
  | { kind: 'reply'; text: string; distribution?: Record<number, number> }
  /** `message.refusal` set, `content` null. */
  | { kind: 'refusal'; text: string }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Any body as is, e.g. a proxy's HTML login page with status 200. */
  | { kind: 'raw'; status: number; contentType: string; body: string }
  /** Never answers. */
  | { kind: 'hang' };

export interface ReasoningModelOptions {
  /** Hidden reasoning tokens each reply spends before its visible text; default 200. */
  readonly reasoningTokens?: number | ((request: RecordedRequest) => number);
}

export interface OpenAIServerOptions {
  /** Delay before answering, ms. */
  latencyMs?: number;
  /** Per-request behaviour; `undefined` falls back to the default scored reply. `index` counts from 0. */
  respond?: (request: RecordedRequest, index: number) => Behavior | undefined;
  /**
   * Score of the default reply; default `scoreForRequest`. May be async (e.g. decodes the images).
   * A fractional score x (a latent quality) is written as round(x), and under logprobs the digit's
   * probability is split between floor(x) and ceil(x), so the expected score is x.
   */
  score?: (request: RecordedRequest) => number | Promise<number>;
  /** Default reply's digit distribution under logprobs; default 0.6 on the score, rest on neighbours. */
  distribution?: (score: number) => Record<number, number>;
  /** Answer `logprobs` requests with log-probabilities (default true). */
  logprobs?: boolean;
  /** Served model; default: the requested one with a date suffix. */
  model?: string;
  systemFingerprint?: string;
  cachedTokens?: number;
  /** `usage.prompt_tokens` of a reply; default 120 + 255 per image. */
  promptTokens?: (request: RecordedRequest) => number;
  /** Enforce account limits (token and request buckets), with the x-ratelimit-* headers. */
  rateLimits?: RateLimitOptions;
  /** Behave as a reasoning model (o-series, gpt-5): its parameter rules and hidden tokens. */
  reasoning?: ReasoningModelOptions;
}

/** What the server answers one chat request with (an HTTP answer, or a batch file's line). */
type ChatAnswer = { readonly served: ServedAnswer } & (
  | { readonly hang: true }
  | {
      readonly hang?: undefined;
      readonly status: number;
      readonly headers: Record<string, string>;
      /** JSON, or the text of a `raw` behaviour. */
      readonly body: unknown;
      readonly contentType?: string;
    }
);

/** What the server answered, in arrival order. */
export interface ServedAnswer {
  readonly status: number;
  /** Tokens charged to the account's bucket (0 when refused or without limits). */
  readonly charged: number;
  readonly finishReason?: string;
}

export interface OpenAIServer {
  /** `http://127.0.0.1:<port>/v1`: the SDK's `baseURL`. */
  readonly baseURL: string;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** One per request, in arrival order. */
  readonly answers: ServedAnswer[];
  /** Most requests in flight at once. */
  readonly highWater: number;
  readonly inFlight: number;
  /** The Batch API on the same server (`/v1/files`, `/v1/batches`): its state and controls. */
  readonly batch: BatchApi;
  set(options: OpenAIServerOptions): void;
  close(): Promise<void>;
}

/** Data URLs of the images in a request, in message order. */
export function imagesInRequest(body: ChatRequestBody): string[] {
  const urls: string[] = [];
  for (const message of body.messages ?? []) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as Array<{ type?: string; image_url?: { url?: string } }>) {
      if (part.type === 'image_url' && part.image_url?.url) urls.push(part.image_url.url);
    }
  }
  return urls;
}

/** Bytes of a base64 data URL. */
export function dataUrlBytes(url: string): Buffer {
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
}

/** Deterministic score 0-4 from the last image's bytes, so tests can predict it. */
export function scoreForImageBytes(bytes: Buffer): number {
  return createHash('sha256').update(bytes).digest()[0]! % 5;
}

export function scoreForRequest(request: RecordedRequest): number {
  const last = imagesInRequest(request.body).at(-1);
  return last === undefined ? 0 : scoreForImageBytes(dataUrlBytes(last));
}

/** floor(x) and ceil(x), weighted so that the expected score is x. */
function splitDistribution(x: number): Record<number, number> {
  const low = Math.floor(x);
  return { [low]: 1 - (x - low), [low + 1]: x - low };
}

function defaultDistribution(score: number): Record<number, number> {
  const d: Record<number, number> = { [score]: 0.6 };
  const neighbours = [score - 1, score + 1].filter((n) => n >= 0 && n <= 4);
  for (const n of neighbours) d[n] = 0.4 / neighbours.length;
  return d;
}

/** Splits text the way BPE tokenizers roughly do: leading spaces stick to the next word; digits alone. */
function tokenize(text: string): string[] {
  return text.match(/\s*(?:\d|[^\s\d]+)|\s+$/g) ?? [];
}

function logprobsFor(text: string, distribution: Record<number, number>, top: number) {
  const scoreAt = /Score:\s*(\d)/.exec(text);
  const digitIndex = scoreAt ? scoreAt.index + scoreAt[0].length - 1 : -1;
  let offset = 0;
  return tokenize(text).map((token) => {
    const start = offset;
    offset += token.length;
    const isScore = digitIndex >= start && digitIndex < offset;
    const prefix = token.slice(0, token.length - 1);
    const alternatives = isScore
      ? Object.entries(distribution)
          .sort((a, b) => b[1] - a[1])
          .map(([digit, p]) => ({ token: `${prefix}${digit}`, logprob: Math.log(p), bytes: null }))
          .concat([{ token: `${prefix}**`, logprob: Math.log(1e-4), bytes: null }])
          .slice(0, top)
      : [{ token, logprob: 0, bytes: null }];
    const own = alternatives.find((a) => a.token === token);
    return { token, logprob: own?.logprob ?? -10, bytes: null, top_logprobs: alternatives };
  });
}

/** The body of the API's 400 refusing a request parameter, in its words. */
export function refusalBody(
  param: string,
  code = 'unsupported_parameter',
  message = `Unsupported parameter: '${param}' is not supported with this model.`,
) {
  return { error: { message, type: 'invalid_request_error', param, code } };
}

/** Reasoning models' refusals, in the API's words; `undefined` when the request is acceptable. */
function reasoningRefusal(body: ChatRequestBody): { status: number; body: unknown } | undefined {
  const refuse = (param: string, code?: string, message?: string) => ({
    status: 400,
    body: refusalBody(param, code, message),
  });
  if (body.max_tokens !== undefined) {
    return refuse(
      'max_tokens',
      'unsupported_parameter',
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    );
  }
  if (body.temperature !== undefined && body.temperature !== 1) {
    return refuse(
      'temperature',
      'unsupported_value',
      `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
    );
  }
  for (const param of ['logprobs', 'top_logprobs'] as const) {
    if (body[param] !== undefined && body[param] !== false) {
      return refuse(param);
    }
  }
  return undefined;
}

/** The visible text within the output limit, and what the reply spent. */
function withinLimit(text: string, limit: number, reasoning: number) {
  const tokens = tokenize(text);
  const room = Math.max(0, limit - reasoning);
  const cut = tokens.length > room;
  return {
    text: cut ? tokens.slice(0, room).join('') : text,
    finishReason: cut ? 'length' : 'stop',
    reasoningTokens: Math.min(reasoning, limit),
    completionTokens: Math.min(limit, reasoning + tokens.length),
  };
}

export async function startOpenAIServer(initial: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  let options = initial;
  let limits = initial.rateLimits ? new AccountLimits(initial.rateLimits) : undefined;
  const requests: RecordedRequest[] = [];
  const answers: ServedAnswer[] = [];
  let inFlight = 0;
  let highWater = 0;
  let counter = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      inFlight += 1;
      highWater = Math.max(highWater, inFlight);
      let released = false;
      const release = () => {
        if (!released) {
          released = true;
          inFlight -= 1;
        }
      };
      res.on('close', release);
      if (await batch.handle(req, Buffer.concat(chunks), res)) return;
      const path = (req.url ?? '').split('?')[0]!;
      if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
        send(res, 404, {
          error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' },
        });
        return;
      }
      let body: ChatRequestBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
      } catch {
        send(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
        return;
      }
      const recorded: RecordedRequest = {
        method: req.method,
        url: req.url ?? '',
        headers: req.headers,
        body,
      };
      const index = requests.length;
      requests.push(recorded);
      const answer = await decide(recorded, index, limits);
      answers[index] = answer.served;
      if (answer.hang) return;
      const write = () => {
        if (answer.contentType !== undefined) {
          res.writeHead(answer.status, { 'content-type': answer.contentType, ...answer.headers });
          res.end(answer.body as string);
        } else send(res, answer.status, answer.body, answer.headers);
      };
      if (options.latencyMs) setTimeout(write, options.latencyMs);
      else write();
    });
  });

  /** What to answer: validation, then the account's buckets (realtime only), then the behaviour. */
  const decide = async (
    request: RecordedRequest,
    index: number,
    account: AccountLimits | undefined,
  ): Promise<ChatAnswer> => {
    const refusal = options.reasoning ? reasoningRefusal(request.body) : undefined;
    const admission = refusal ? undefined : account?.admit(request.body);
    const limitHeaders = admission?.headers ?? account?.headersNow() ?? {};
    if (refusal) {
      return {
        served: { status: refusal.status, charged: 0 },
        status: refusal.status,
        body: refusal.body,
        headers: limitHeaders,
      };
    }
    if (admission && !admission.admitted) {
      return {
        served: { status: 429, charged: 0 },
        status: 429,
        body: admission.body,
        headers: limitHeaders,
      };
    }
    const charged = admission?.charged ?? 0;
    const behavior = options.respond?.(request, index) ?? (await defaultBehavior(request));
    if (behavior.kind === 'hang') return { served: { status: 0, charged }, hang: true };
    if (behavior.kind === 'status') {
      return {
        served: { status: behavior.status, charged },
        status: behavior.status,
        body: behavior.body ?? {
          error: { message: `status ${behavior.status}`, type: 'server_error' },
        },
        headers: { ...limitHeaders, ...behavior.headers },
      };
    }
    if (behavior.kind === 'raw') {
      return {
        served: { status: behavior.status, charged },
        status: behavior.status,
        body: behavior.body,
        contentType: behavior.contentType,
        headers: limitHeaders,
      };
    }
    const data = completion(request, behavior, (counter += 1));
    return {
      served: { status: 200, charged, finishReason: data.choices[0]!.finish_reason },
      status: 200,
      body: data,
      headers: limitHeaders,
    };
  };

  /** A batch line, answered as the same request would be, outside the realtime rate limits. */
  let lineIndex = 0;
  const answerLine = async (request: RecordedRequest): Promise<LineAnswer> => {
    const answer = await decide(request, lineIndex++, undefined);
    if (answer.hang) return { timeout: true };
    return { status: answer.status, body: answer.body };
  };
  const batch = mountBatchApi(answerLine);

  const defaultBehavior = async (request: RecordedRequest): Promise<Behavior> => {
    const latent = await (options.score ?? scoreForRequest)(request);
    const score = Math.round(latent);
    const distribution = options.distribution
      ? options.distribution(score)
      : Number.isInteger(latent)
        ? defaultDistribution(score)
        : splitDistribution(latent);
    const isPf = imagesInRequest(request.body).length === 1;
    const text = isPf
      ? `The image shows what the prompt asks for, with minor omissions.\nScore: ${score}`
      : `Score: ${score}`;
    return {
      kind: 'reply',
      text,
      distribution,
    };
  };

  const completion = (
    request: RecordedRequest,
    behavior: Behavior & { kind: 'reply' | 'refusal' },
    n: number,
  ) => {
    const body = request.body;
    const reasoning = options.reasoning
      ? typeof options.reasoning.reasoningTokens === 'function'
        ? options.reasoning.reasoningTokens(request)
        : (options.reasoning.reasoningTokens ?? 200)
      : 0;
    const limit = Number(body.max_completion_tokens ?? body.max_tokens ?? DEFAULT_OUTPUT_LIMIT);
    const spent = withinLimit(behavior.text, limit, reasoning);
    const text = behavior.kind === 'reply' ? spent.text : null;
    const wantLogprobs = body.logprobs === true && (options.logprobs ?? true) && text !== null;
    const promptTokens =
      options.promptTokens?.(request) ?? 120 + 255 * imagesInRequest(body).length;
    return {
      id: `chatcmpl-test-${n}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model:
        options.model ??
        `${body.model ?? 'gpt-4o'}-2024-08-06`.replace(
          /(-\d{4}-\d{2}-\d{2})-\d{4}-\d{2}-\d{2}$/,
          '$1',
        ),
      system_fingerprint: options.systemFingerprint ?? 'fp_test_1',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: text,
            refusal: behavior.kind === 'refusal' ? behavior.text : null,
          },
          logprobs: wantLogprobs
            ? {
                content: logprobsFor(
                  text,
                  (behavior.kind === 'reply' && behavior.distribution) || {
                    [Number(/Score:\s*(\d)/.exec(text)?.[1] ?? 0)]: 1,
                  },
                  body.top_logprobs ?? 1,
                ),
                refusal: null,
              }
            : null,
          finish_reason: spent.finishReason,
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: spent.completionTokens,
        total_tokens: promptTokens + spent.completionTokens,
        prompt_tokens_details: { cached_tokens: Math.min(options.cachedTokens ?? 0, promptTokens) },
        completion_tokens_details: { reasoning_tokens: spent.reasoningTokens },
      },
    };
  };

  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-request-id': `req_${requests.length}`,
      ...headers,
    });
    res.end(JSON.stringify(body));
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseURL: `${origin}/v1`,
    origin,
    requests,
    answers,
    batch,
    get highWater() {
      return highWater;
    },
    get inFlight() {
      return inFlight;
    },
    set(next) {
      options = next;
      limits = next.rateLimits ? new AccountLimits(next.rateLimits) : undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        batch.stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
