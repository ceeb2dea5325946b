// The loopback chat-completions server answers the real `openai` SDK the way the API does.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIServer, type OpenAIServer } from './servers/openai.ts';

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(async () => server.close());

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

    server.set({ latencyMs: 40 });
    await Promise.all(Array.from({ length: 5 }, () => client.chat.completions.create(request())));
    expect(server.highWater).toBeGreaterThanOrEqual(5);
  });
});
