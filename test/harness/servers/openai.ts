// A loopback server speaking the OpenAI chat-completions protocol, for tests and benchmarks of
// the judge. Real timers are fine here (latency knobs): the code under test gets fake time.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Full request path with query, e.g. `/openai/deployments/x/chat/completions?api-version=…`. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: ChatRequestBody;
}

export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role: string; content: unknown }>;
  logprobs?: boolean;
  top_logprobs?: number;
  temperature?: number;
  [key: string]: unknown;
}

/** What the server does with one request. */
export type Behavior =
  /** A normal reply with this text; under `logprobs: true` the digit after `Score:` gets `distribution`. */
  | { kind: 'reply'; text: string; distribution?: Record<number, number> }
  /** `message.refusal` set, `content` null. */
  | { kind: 'refusal'; text: string }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Never answers. */
  | { kind: 'hang' };

export interface OpenAIServerOptions {
  /** Delay before answering, ms. */
  latencyMs?: number;
  /** Per-request behaviour; `undefined` falls back to the default scored reply. `index` counts from 0. */
  respond?: (request: RecordedRequest, index: number) => Behavior | undefined;
  /** Score of the default reply; default `scoreForRequest`. May be async (e.g. decodes the images). */
  score?: (request: RecordedRequest) => number | Promise<number>;
  /** Default reply's digit distribution under logprobs; default 0.6 on the score, rest on neighbours. */
  distribution?: (score: number) => Record<number, number>;
  /** Answer `logprobs` requests with log-probabilities (default true). */
  logprobs?: boolean;
  /** Served model; default: the requested one with a date suffix. */
  model?: string;
  systemFingerprint?: string;
  cachedTokens?: number;
}

export interface OpenAIServer {
  /** `http://127.0.0.1:<port>/v1`: the SDK's `baseURL`. */
  readonly baseURL: string;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Most requests in flight at once. */
  readonly highWater: number;
  readonly inFlight: number;
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

export async function startOpenAIServer(initial: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  let options = initial;
  const requests: RecordedRequest[] = [];
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
      const behavior = options.respond?.(recorded, index) ?? (await defaultBehavior(recorded));
      if (behavior.kind === 'hang') return;
      const answer = () => {
        if (behavior.kind === 'status') {
          send(
            res,
            behavior.status,
            behavior.body ?? {
              error: { message: `status ${behavior.status}`, type: 'server_error' },
            },
            behavior.headers,
          );
        } else {
          send(res, 200, completion(recorded, behavior, (counter += 1)));
        }
      };
      if (options.latencyMs) setTimeout(answer, options.latencyMs);
      else answer();
    });
  });

  const defaultBehavior = async (request: RecordedRequest): Promise<Behavior> => {
    const score = await (options.score ?? scoreForRequest)(request);
    const isPf = imagesInRequest(request.body).length === 1;
    const text = isPf
      ? `The image shows what the prompt asks for, with minor omissions.\nScore: ${score}`
      : `Score: ${score}`;
    return {
      kind: 'reply',
      text,
      distribution: (options.distribution ?? defaultDistribution)(score),
    };
  };

  const completion = (
    request: RecordedRequest,
    behavior: Behavior & { kind: 'reply' | 'refusal' },
    n: number,
  ) => {
    const text = behavior.kind === 'reply' ? behavior.text : null;
    const wantLogprobs =
      request.body.logprobs === true && (options.logprobs ?? true) && text !== null;
    const images = imagesInRequest(request.body).length;
    const completionTokens = Math.ceil(
      (text ?? (behavior.kind === 'refusal' ? behavior.text : '')).length / 4,
    );
    const promptTokens = 120 + 255 * images;
    return {
      id: `chatcmpl-test-${n}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model:
        options.model ??
        `${request.body.model ?? 'gpt-4o'}-2024-08-06`.replace(
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
                  request.body.top_logprobs ?? 1,
                ),
                refusal: null,
              }
            : null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: Math.min(options.cachedTokens ?? 0, promptTokens) },
        completion_tokens_details: { reasoning_tokens: 0 },
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
    get highWater() {
      return highWater;
    },
    get inFlight() {
      return inFlight;
    },
    set(next) {
      options = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
