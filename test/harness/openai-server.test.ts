// The loopback chat-completions server answers the real `openai` SDK the way the API does.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { goDuration, imageTokens } from './servers/openai-limits.ts';
import { startOpenAIServer, type OpenAIServer } from './servers/openai.ts';

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(async () => server.close());
afterEach(() => server.set({}));

const image = `data:image/jpeg;base64,${Buffer.from('fake-jpeg').toString('base64')}`;
const request = (logprobs = false): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming => ({
  model: 'gpt-4o',
  messages: [
    { role: 'user', content: [{ type: 'image_url', image_url: { url: image, detail: 'high' } }] },
  ],
  ...(logprobs ? { logprobs: true, top_logprobs: 5 } : {}),
});

describe('openai test server', () => {
  it('returns a completion the SDK parses, with request id, model, fingerprint and usage', async () => {
    server.set({ cachedTokens: 50 });
    const client = new OpenAI({ apiKey: 'sk-x', baseURL: server.baseURL, maxRetries: 0 });
    const { data, request_id } = await client.chat.completions.create(request()).withResponse();
    expect(data).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-2024-08-06',
      system_fingerprint: 'fp_test_1',
    });
    expect(data.choices[0]!.message.content).toMatch(/Score: [0-4]$/);
    expect(data.usage).toMatchObject({
      prompt_tokens: 375,
      prompt_tokens_details: { cached_tokens: 50 },
    });
    expect(request_id).toMatch(/^req_/);
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer sk-x');
  });

  it('gives log-probabilities whose tokens spell the text and whose score token carries the digits', async () => {
    server.set({ distribution: () => ({ 1: 0.7, 2: 0.3 }), score: () => 1 });
    const client = new OpenAI({ apiKey: 'sk-x', baseURL: server.baseURL, maxRetries: 0 });
    const data = await client.chat.completions.create(request(true));
    const tokens = data.choices[0]!.logprobs!.content!;
    expect(tokens.map((t) => t.token).join('')).toBe(data.choices[0]!.message.content);
    const digit = tokens.find((t) => t.token.trim() === '1')!;
    expect(digit.top_logprobs.map((t) => [t.token.trim(), Math.exp(t.logprob)])).toEqual([
      ['1', expect.closeTo(0.7, 6)],
      ['2', expect.closeTo(0.3, 6)],
      ['**', expect.closeTo(1e-4, 6)],
    ]);
  });

  it('writes a fractional score as its nearest digit and splits that digit between floor and ceiling', async () => {
    server.set({ score: () => 2.3 });
    const client = new OpenAI({ apiKey: 'sk-x', baseURL: server.baseURL, maxRetries: 0 });
    const data = await client.chat.completions.create(request(true));
    expect(data.choices[0]!.message.content).toMatch(/\nScore: 2$/);
    const digit = data.choices[0]!.logprobs!.content!.find((t) => t.token.trim() === '2')!;
    const p = Object.fromEntries(
      digit.top_logprobs.map((t) => [t.token.trim(), Math.exp(t.logprob)]),
    );
    expect(p).toMatchObject({ '2': expect.closeTo(0.7, 6), '3': expect.closeTo(0.3, 6) });
  });

  it('speaks 429 with retry-after-ms, refusals, and tracks the concurrency high-water mark', async () => {
    const client = new OpenAI({ apiKey: 'sk-x', baseURL: server.baseURL, maxRetries: 0 });
    server.set({
      respond: () => ({ kind: 'status', status: 429, headers: { 'retry-after-ms': '1234' } }),
    });
    const error = await client.chat.completions.create(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(
      (error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after-ms'),
    ).toBe('1234');

    server.set({ respond: () => ({ kind: 'refusal', text: 'No.' }) });
    const refused = await client.chat.completions.create(request());
    expect(refused.choices[0]!.message).toMatchObject({ content: null, refusal: 'No.' });

    // Every reply waits until all five requests have arrived: five in flight, however slow the machine.
    let arrived = 0;
    let allArrived!: () => void;
    const together = new Promise<void>((resolve) => (allArrived = resolve));
    server.set({
      score: async () => {
        if ((arrived += 1) === 5) allArrived();
        await together;
        return 3;
      },
    });
    await Promise.all(Array.from({ length: 5 }, () => client.chat.completions.create(request())));
    expect(server.highWater).toBe(5);
  });
});

/** The API error of a call that must fail. */
async function rejection<E>(call: Promise<unknown>): Promise<E> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as E,
  );
}
type RateLimited = InstanceType<typeof OpenAI.RateLimitError>;

describe('openai test server: account limits', () => {
  const client = () => new OpenAI({ apiKey: 'sk-x', baseURL: server.baseURL, maxRetries: 0 });
  const small = (maxTokens: number): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming => ({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'x'.repeat(400) }], // 100 tokens
    max_tokens: maxTokens,
  });

  it('charges prompt estimate plus max_tokens on arrival, reports the buckets on every answer, and 429s when a request does not fit', async () => {
    let now = 0;
    server.set({
      rateLimits: {
        tokens: { capacity: 1000, refillPerSecond: 100 },
        requests: { capacity: 10, refillPerSecond: 1 },
        now: () => now,
      },
    });
    const start = server.answers.length;
    const first = await client().chat.completions.create(small(300)).withResponse();
    expect(server.answers.at(-1)).toMatchObject({ status: 200, charged: 400 });
    const h = first.response.headers;
    expect([h.get('x-ratelimit-limit-tokens'), h.get('x-ratelimit-remaining-tokens')]).toEqual([
      '1000',
      '600',
    ]);
    expect(h.get('x-ratelimit-reset-tokens')).toBe('4s'); // 400 missing at 100/s
    expect(h.get('x-ratelimit-remaining-requests')).toBe('9');
    expect(h.get('x-ratelimit-reset-requests')).toBe('1s');

    await client().chat.completions.create(small(300)); // 200 left
    const refused = await rejection<RateLimited>(client().chat.completions.create(small(300)));
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.code).toBe('rate_limit_exceeded');
    expect(refused.headers.get('x-ratelimit-remaining-tokens')).toBe('200');
    expect(refused.headers.get('retry-after-ms')).toBe('2000');
    expect(refused.message).toMatch(/Limit 1000, Used 800, Requested 400. Please try again in 2s/);
    expect(server.answers.at(-1)).toMatchObject({ status: 429, charged: 0 });

    now = 1500; // refilled to 350: still short, the header says so in Go's form
    const again = await rejection<RateLimited>(client().chat.completions.create(small(300)));
    expect(again.headers.get('x-ratelimit-reset-tokens')).toBe('6.5s');
    now = 2000;
    await client().chat.completions.create(small(300));
    expect(server.answers.slice(start).map((a) => a.status)).toEqual([200, 200, 429, 429, 200]);
  });

  it('can refuse without retry-after, leaving only the x-ratelimit headers', async () => {
    server.set({
      rateLimits: {
        tokens: { capacity: 100, refillPerSecond: 1 },
        retryAfter: false,
        now: () => 0,
      },
    });
    const refused = await rejection<RateLimited>(client().chat.completions.create(small(300)));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(refused.headers.get('retry-after-ms')).toBeNull();
    expect(refused.headers.get('x-ratelimit-reset-tokens')).toBe('0s');
  });

  it('refuses a request larger than the whole token bucket as the API does: too large, not "try again"', async () => {
    server.set({ rateLimits: { tokens: { capacity: 1000, refillPerSecond: 100 }, now: () => 0 } });
    const refused = await rejection<RateLimited>(client().chat.completions.create(small(1000)));
    expect([refused.status, refused.code, refused.type]).toEqual([
      429,
      'rate_limit_exceeded',
      'tokens',
    ]);
    expect(refused.message).toContain(
      'Request too large for gpt-4o in organization org-loopback on tokens per min (TPM): ' +
        'Limit 1000, Requested 1100. The input or output tokens must be reduced in order to run successfully.',
    );
    expect(refused.message).not.toMatch(/try again/);
    // One that fits the bucket once it refills is told when to come back.
    await client().chat.completions.create(small(800));
    const later = await rejection<RateLimited>(client().chat.completions.create(small(800)));
    expect(later.message).toMatch(/^429 Rate limit reached .* Please try again in 8s\./);
  });

  it('writes reset times as Go durations', () => {
    expect([0, 12, 350, 1500, 59_999, 360_000, 3_723_000].map(goDuration)).toEqual([
      '0s',
      '12ms',
      '350ms',
      '1.5s',
      '59.999s',
      '6m0s',
      '1h2m3s',
    ]);
  });

  it('counts detail-high images by size, as the API documents', () => {
    expect(imageTokens(512, 512)).toBe(255);
    expect(imageTokens(1024, 1024)).toBe(85 + 170 * 4);
    expect(imageTokens(2048, 4096)).toBe(85 + 170 * 6); // 1024x2048, then 768x1536
  });
});

describe('openai test server: reasoning-model rules', () => {
  const client = () => new OpenAI({ apiKey: 'sk-x', baseURL: server.baseURL, maxRetries: 0 });
  const refusal = (params: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>) =>
    rejection<InstanceType<typeof OpenAI.BadRequestError>>(
      client().chat.completions.create({ ...request(), model: 'gpt-5-mini', ...params }),
    );

  it('refuses max_tokens, logprobs and a non-default temperature with the API code and param', async () => {
    server.set({ reasoning: {} });
    const maxTokens = await refusal({ max_tokens: 100 });
    expect([maxTokens.status, maxTokens.code, maxTokens.param]).toEqual([
      400,
      'unsupported_parameter',
      'max_tokens',
    ]);
    expect(maxTokens.message).toMatch(/Use 'max_completion_tokens' instead/);
    const temperature = await refusal({ max_completion_tokens: 500, temperature: 0.2 });
    expect([temperature.code, temperature.param]).toEqual(['unsupported_value', 'temperature']);
    const logprobs = await refusal({ max_completion_tokens: 500, logprobs: true, top_logprobs: 3 });
    expect([logprobs.code, logprobs.param]).toEqual(['unsupported_parameter', 'logprobs']);
    const ok = await client().chat.completions.create({
      ...request(),
      max_completion_tokens: 500,
      temperature: 1,
    });
    expect(ok.usage?.completion_tokens_details?.reasoning_tokens).toBe(200);
    expect(ok.choices[0]!.finish_reason).toBe('stop');
  });

  it('spends the hidden reasoning tokens out of max_completion_tokens and stops at the limit', async () => {
    server.set({ reasoning: { reasoningTokens: 300 } });
    const starved = await client().chat.completions.create({
      ...request(),
      max_completion_tokens: 250,
    });
    expect(starved.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: '' } });
    expect(starved.usage).toMatchObject({
      completion_tokens: 250,
      completion_tokens_details: { reasoning_tokens: 250 },
    });
  });

  it('cuts a classic model reply at max_tokens with finish_reason length', async () => {
    server.set({ respond: () => ({ kind: 'reply', text: 'one two three four five Score: 3' }) });
    const cut = await client().chat.completions.create({ ...request(), max_tokens: 3 });
    expect(cut.choices[0]).toMatchObject({
      finish_reason: 'length',
      message: { content: 'one two three' },
    });
  });
});
