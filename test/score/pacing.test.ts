// The pure parts of pacing: what the rate-limit headers say, what a request is charged, the
// account mirror's arithmetic and calibration, the scheduler's window, pause and deadline, and
// the parameters a model refuses.
import { describe, expect, it } from 'vitest';
import { JudgeTransportError } from '../../src/score/transport/errors.ts';
import { ModelParams, refusedParameter } from '../../src/score/transport/model-params.ts';
import {
  parseDuration,
  readRateLimits,
  retryHintInMessage,
} from '../../src/score/transport/rate-limits.ts';
import { AccountMirror } from '../../src/score/transport/realtime/account-mirror.ts';
import { RateScheduler } from '../../src/score/transport/realtime/scheduler.ts';
import { chatBody } from '../../src/score/transport/chat-body.ts';
import { DataUrl, jpegSize } from '../../src/score/transport/data-url.ts';
import { estimatePromptTokens, imageTokens } from '../../src/score/transport/request-charge.ts';
import sharp from 'sharp';
import { fakeClock, seededRng } from './helpers.ts';

describe('rate-limit headers', () => {
  it.each([
    ['6m0s', 360_000],
    ['1.5s', 1500],
    ['350ms', 350],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0s', 0],
    ['12', 12_000],
    ['2.5', 2500],
  ])('reads the reset %j as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '5 minutes', '3x', '-1'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('reads limits, remaining and resets of both buckets, and takes -1 (Azure) as not given', () => {
    const headers: Record<string, string> = {
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-limit-tokens': '30000',
      'x-ratelimit-remaining-tokens': '-1',
      'x-ratelimit-reset-tokens': '6m0s',
    };
    expect(readRateLimits((n) => headers[n], 0)).toEqual({
      limitRequests: 500,
      remainingRequests: 499,
      resetRequestsMs: 120,
      limitTokens: 30000,
      resetTokensMs: 360_000,
    });
  });

  it('takes the wait of a 429 from retry-after-ms, retry-after, then its message', () => {
    const get = (h: Record<string, string>) => (n: string) => h[n];
    expect(
      readRateLimits(get({ 'retry-after-ms': '700', 'retry-after': '9' }), 0).retryAfterMs,
    ).toBe(700);
    expect(readRateLimits(get({ 'retry-after': '2' }), 0).retryAfterMs).toBe(2000);
    const message =
      'Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 29000, Requested 1561. Please try again in 1.122s. Visit https://platform.openai.com/account/rate-limits to learn more.';
    expect(readRateLimits(get({}), 0, message).retryAfterMs).toBe(1122);
    expect(retryHintInMessage('Please try again in 6m0s.')).toBe(360_000);
    expect(retryHintInMessage('no hint')).toBeUndefined();
  });
});

describe('the charge of a request', () => {
  it('counts detail-high images by their size, as OpenAI documents', () => {
    expect(imageTokens(512, 512)).toBe(255);
    expect(imageTokens(1024, 1024)).toBe(765);
    expect(imageTokens(2048, 4096)).toBe(85 + 170 * 6);
  });

  it('reads the size of a JPEG from its frame header and counts text at four characters a token', async () => {
    const jpeg = await sharp({
      create: { width: 1024, height: 600, channels: 3, background: 'red' },
    })
      .jpeg()
      .toBuffer();
    expect(jpegSize(jpeg)).toEqual({ width: 1024, height: 600 });
    expect(jpegSize(Buffer.from('not a jpeg'))).toBeUndefined();
    const url = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
    const tokens = estimatePromptTokens([
      { role: 'user', content: 'x'.repeat(400) },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'y'.repeat(40) },
          { type: 'image_url', image_url: { url, detail: 'high' } },
        ],
      },
    ]);
    expect(tokens).toBe(110 + imageTokens(1024, 600));
  });
});

describe('the request body', () => {
  it('parses to what the SDK would send, images copied in from their bytes', async () => {
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'blue' } })
      .jpeg()
      .toBuffer();
    const url = DataUrl.jpeg(jpeg);
    const messages = (image: string | DataUrl) => [
      { role: 'user' as const, content: 'Judge "this" \\ please\n' },
      { role: 'assistant' as const, content: 'I will.' },
      {
        role: 'user' as const,
        content: [
          { type: 'text' as const, text: 'Reference image:' },
          { type: 'image_url' as const, image_url: { url: image, detail: 'high' as const } },
          {
            type: 'image_url' as const,
            image_url: { url: 'https://example.com/a.png', detail: 'high' as const },
          },
        ],
      },
    ];
    const body = chatBody({
      model: 'gpt-4o',
      messages: messages(url),
      temperature: 1,
      maxTokens: 64,
      tokenLimitParam: 'max_completion_tokens',
      topLogprobs: 5,
    });
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      messages: messages(`data:image/jpeg;base64,${jpeg.toString('base64')}`),
      model: 'gpt-4o',
      temperature: 1,
      max_completion_tokens: 64,
      logprobs: true,
      top_logprobs: 5,
    });
    expect([url.width, url.height]).toEqual([64, 64]);
    expect(JSON.stringify({ url })).toBe(JSON.stringify({ url: url.toString() }));
  });
});

describe('the account mirror', () => {
  const headers = (remaining: number, resetMs: number) => ({
    limitTokens: 10_000,
    remainingTokens: remaining,
    resetTokensMs: resetMs,
  });

  it('subtracts the calls sent after the freshest answer and refills at the rate the headers imply', () => {
    const mirror = new AccountMirror();
    const a = { seq: 0, sentAt: 0, tokens: 1000 };
    const b = { seq: 1, sentAt: 0, tokens: 1000 };
    mirror.sent(a);
    mirror.sent(b);
    // After a: 9,000 left, full again in 1 s: 1 token a ms.
    mirror.answered(a, 0, headers(9000, 1000), false);
    expect(mirror.factor).toBe(1);
    // b is in flight: 8,000 are free; a call of 7,000 plus the margin (one call, 1,000) fits.
    expect(mirror.waitMs(0, 7000, [b])).toBe(0);
    expect(mirror.waitMs(0, 7500, [b])).toBeCloseTo(500, 6);
  });

  it('calibrates its estimates against what the answers show was charged', () => {
    const mirror = new AccountMirror();
    const calls = [0, 1, 2].map((seq) => ({ seq, sentAt: 0, tokens: 1000 }));
    for (const c of calls) mirror.sent(c);
    // The API charges 1,500 for what the client estimates at 1,000.
    mirror.answered(calls[0]!, 0, headers(8500, 1500), false);
    mirror.answered(calls[1]!, 0, headers(7000, 3000), false);
    mirror.answered(calls[2]!, 0, headers(5500, 4500), false);
    expect(mirror.factor).toBeCloseTo(1.5, 6);
  });

  it('says when a call can never fit the bucket', () => {
    const mirror = new AccountMirror();
    const a = { seq: 0, sentAt: 0, tokens: 100 };
    mirror.sent(a);
    mirror.answered(a, 0, headers(9900, 100), false);
    expect(mirror.exceedsLimit(20_000)).toBe(true);
    expect(mirror.exceedsLimit(5000)).toBe(false);
  });
});

describe('the scheduler', () => {
  const options = (clock: ReturnType<typeof fakeClock>, deadline = Infinity) => ({
    clock,
    ceiling: 8,
    deadline,
    backoff: { baseMs: 100, capMs: 1000, maxRetryAfterMs: 60_000 },
    rng: seededRng(),
  });

  it('halves the window once per round of calls on 429s, and grows it back with each answer', async () => {
    const clock = fakeClock();
    const s = new RateScheduler(options(clock));
    const calls = await Promise.all(Array.from({ length: 8 }, () => s.admit(100)));
    expect(s.window).toBe(8);
    // Three calls of the same round refused: one halving.
    for (const c of calls.slice(0, 3)) s.done(c!, 'rate-limited', { retryAfterMs: 500 });
    expect(s.window).toBe(4);
    for (const c of calls.slice(3)) s.done(c!, 'ok');
    expect(s.window).toBe(5);
    expect(s.counters).toMatchObject({ calls: 8, rateLimited: 3, pauses: 1 });
  });

  it('holds every call until a 429 pause ends', async () => {
    const clock = fakeClock();
    const s = new RateScheduler(options(clock));
    const first = (await s.admit(100))!;
    s.done(first, 'rate-limited', { retryAfterMs: 7000 });
    const next = await s.admit(100);
    expect(next!.sentAt).toBeGreaterThanOrEqual(7000);
  });

  it('admits nothing at or after the deadline', async () => {
    const clock = fakeClock();
    const s = new RateScheduler(options(clock, 3000));
    const first = (await s.admit(100))!;
    s.done(first, 'rate-limited', { retryAfterMs: 10_000 });
    expect(await s.admit(100)).toBeUndefined();
    expect(clock.now()).toBeGreaterThanOrEqual(3000);
    expect(clock.now()).toBeLessThan(10_000);
  });
});

describe('parameters a model refuses', () => {
  const refusal = (status: number, param: string | undefined, code: string | undefined, m = '') =>
    new JudgeTransportError('client', `the judge answered HTTP ${status}: ${m}`, {
      status,
      ...(param ? { param } : {}),
      ...(code ? { code } : {}),
    });

  it('names the parameter of an unsupported_parameter / unsupported_value refusal', () => {
    expect(refusedParameter(refusal(400, 'max_tokens', 'unsupported_parameter'))).toBe(
      'max_tokens',
    );
    expect(refusedParameter(refusal(400, 'temperature', 'unsupported_value'))).toBe('temperature');
    expect(refusedParameter(refusal(400, 'top_logprobs', 'unsupported_parameter'))).toBe(
      'logprobs',
    );
    expect(refusedParameter(refusal(400, 'messages', 'invalid_value'))).toBeUndefined();
    expect(
      refusedParameter(
        refusal(
          403,
          undefined,
          undefined,
          'You are not allowed to request logprobs from this model',
        ),
      ),
    ).toBe('logprobs');
    expect(
      refusedParameter(refusal(401, undefined, undefined, 'Incorrect API key')),
    ).toBeUndefined();
  });

  it('learns each refusal once and shapes later requests by it', () => {
    const params = new ModelParams();
    const ask = { model: 'o3', messages: [], temperature: 1, outputTokens: 64, topLogprobs: 5 };
    const first = params.request(ask);
    expect(first).toMatchObject({ maxTokens: 64, temperature: 1, topLogprobs: 5 });
    expect(params.learn(refusal(400, 'max_tokens', 'unsupported_parameter'), first)).toEqual({
      param: 'max_tokens',
      first: true,
    });
    const second = params.request(ask);
    expect(second.tokenLimitParam).toBe('max_completion_tokens');
    expect(second.maxTokens).toBeGreaterThan(64); // room for hidden reasoning
    // The same refusal of a request that no longer carries the parameter teaches nothing.
    expect(
      params.learn(refusal(400, 'max_tokens', 'unsupported_parameter'), second),
    ).toBeUndefined();
    expect(params.refused).toEqual(['max_tokens']);
  });
});
