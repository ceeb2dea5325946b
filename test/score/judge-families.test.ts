// What goes on the wire for each judge: right-sized output limits, the parameters each model
// family takes (learned from its first refusal of each), reasoning models' hidden tokens, Azure's
// one key header and content filter, an endpoint that is not a chat-completions API, and the
// endpoint's own strings kept free of secrets.
import { describe, expect, it } from 'vitest';
import { scoreSamples, type ScoreItem, type ScoreOptions } from '../../src/score/score-samples.ts';
import { endpointOptions } from '../../src/score/transport/endpoint.ts';
import type { JudgeTransport } from '../../src/score/transport/judge-transport.ts';
import { createOpenAIJudge } from '../../src/score/transport/openai-client.ts';
import { imagesInRequest } from '../harness/servers/openai.ts';
import { baseOptions, fakeClock, judgeFixture, logger, seededRng } from './helpers.ts';

const API_KEY = 'sk-test-FAMILY-0123456789abcdef';

const fx = judgeFixture(8, ['animal', 'human', 'object', 'style']);

const base = baseOptions(API_KEY, { scoring: 'expected' });

function transport(): JudgeTransport {
  return createOpenAIJudge({ apiKey: API_KEY, baseURL: fx.server.baseURL, timeoutMs: 5000 });
}

function run(subset: readonly ScoreItem[], options: Partial<ScoreOptions> = {}, log?: Logs) {
  return scoreSamples(
    subset,
    { transport: transport(), clock: fakeClock(), rng: seededRng(), ...(log ? { log } : {}) },
    { ...base, templates: fx.templates, ...options },
  );
}

type Logs = { info(m: string): void; warn(m: string): void };

const isCp = (body: { messages?: unknown[] }) =>
  imagesInRequest(body as Parameters<typeof imagesInRequest>[0]).length === 2;

describe('output limits', () => {
  it('asks each metric for what its reply needs: a score line for CP, a short analysis for PF', async () => {
    const { failures } = await run(fx.items.slice(0, 2));
    expect(failures).toEqual([]);
    for (const r of fx.server.requests) {
      const limit = r.body.max_tokens ?? r.body.max_completion_tokens;
      if (isCp(r.body)) expect(limit).toBeLessThanOrEqual(64);
      else expect(limit).toBeLessThanOrEqual(512);
    }
  });

  it('asks again with a larger limit when a reply is cut short, and counts it', async () => {
    const long = `${'The subject keeps its shape. '.repeat(150)}\nScore: 3`; // ~750 tokens
    fx.server.set({
      respond: (r, i) => (i === 1 && !isCp(r.body) ? { kind: 'reply', text: long } : undefined),
    });
    const { failures, stats, records } = await run(fx.items.slice(0, 1), { concurrency: 1 });
    expect(failures).toEqual([]);
    expect(fx.server.answers.map((a) => a.finishReason)).toEqual(['stop', 'length', 'stop']);
    const [first, again] = fx.server.requests.slice(1).map((r) => r.body.max_tokens!);
    expect(again).toBeGreaterThan(first!);
    expect(stats.lengthRetries).toBe(1);
    expect(records[0]!.pf.score).not.toBeNull();
  });
});

describe('a reasoning judge (gpt-5 and o-series rules)', () => {
  it('learns max_completion_tokens and no log-probabilities from the first refusal of each, scoring sampled', async () => {
    fx.server.set({ reasoning: { reasoningTokens: 100 } });
    const { lines, log } = logger();
    const { failures, stats, records } = await run(
      fx.items,
      { model: 'gpt-5-mini', concurrency: 4 },
      log,
    );
    expect(failures).toEqual([]);
    const refusals = fx.server.answers.filter((a) => a.status === 400);
    expect(refusals).toHaveLength(2); // one for max_tokens, one for logprobs; never repeated
    const later = fx.server.requests.filter((_, i) => fx.server.answers[i]!.status === 200);
    for (const r of later) {
      expect(r.body.max_tokens).toBeUndefined();
      expect(r.body.max_completion_tokens).toBeGreaterThan(100);
      expect(r.body.logprobs).toBeUndefined();
    }
    expect(records.every((r) => r.cp.scoring === 'sampled' && r.pf.scoring === 'sampled')).toBe(
      true,
    );
    expect(stats.logprobsSupported).toBe(false);
    expect(Object.keys(stats.refusedParameters)).toEqual(['max_tokens', 'logprobs']);
    expect(lines.filter((l) => /logprobs/.test(l))).toHaveLength(1);
  });

  it('budgets the hidden reasoning tokens, so replies are not cut off', async () => {
    fx.server.set({ reasoning: { reasoningTokens: 900 } });
    const { failures, stats } = await run(fx.items, { model: 'o4-mini', scoring: 'sampled' });
    expect(failures).toEqual([]);
    expect(stats.lengthRetries).toBeLessThanOrEqual(2);
    const cut = fx.server.answers.filter((a) => a.finishReason === 'length').length;
    expect(cut).toBe(stats.lengthRetries);
  });

  it('drops a temperature the model refuses', async () => {
    fx.server.set({ reasoning: {} });
    const { failures, stats } = await run(fx.items.slice(0, 2), {
      model: 'o3',
      scoring: 'sampled',
      temperature: 0.5,
    });
    expect(failures).toEqual([]);
    expect(Object.keys(stats.refusedParameters)).toEqual(['max_tokens', 'temperature']);
    expect(fx.server.requests.at(-1)!.body.temperature).toBeUndefined();
  });

  it('takes a 403 "not allowed to request logprobs" as a refused parameter, not a bad key', async () => {
    fx.server.set({
      respond: (r) =>
        r.body.logprobs
          ? {
              kind: 'status',
              status: 403,
              body: {
                error: {
                  message: 'You are not allowed to request logprobs from this model',
                  type: 'invalid_request_error',
                  param: null,
                  code: null,
                },
              },
            }
          : undefined,
    });
    const { failures, stats } = await run(fx.items.slice(0, 2), { model: 'o4-mini' });
    expect(failures).toEqual([]);
    expect(stats.logprobsSupported).toBe(false);
  });
});

describe('Azure OpenAI', () => {
  const azure = 'https://acme.openai.azure.com/openai/deployments/judge?api-version=2024-10-21';

  it('sends the key only as api-key, as the SDK does, never also as a bearer token', async () => {
    const judge = createOpenAIJudge({
      apiKey: API_KEY,
      timeoutMs: 5000,
      ...endpointOptions(azure),
      baseURL: `${fx.server.origin}/openai/deployments/judge`,
    });
    await judge.complete({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Score: 3' }],
      temperature: 1,
      maxTokens: 10,
    });
    const headers = fx.server.requests.at(-1)!.headers;
    expect(headers['api-key']).toBe(API_KEY);
    expect(headers.authorization).toBeUndefined();
    expect(fx.server.requests.at(-1)!.url).toBe(
      '/openai/deployments/judge/chat/completions?api-version=2024-10-21',
    );
  });

  it("counts the prompt filter's 400 content_filter as a refusal", async () => {
    fx.server.set({
      respond: (r) =>
        r.body.messages && JSON.stringify(r.body).includes('Facial features')
          ? {
              kind: 'status',
              status: 400,
              body: {
                error: {
                  message:
                    "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
                  type: null,
                  param: 'prompt',
                  code: 'content_filter',
                  status: 400,
                  innererror: { code: 'ResponsibleAIPolicyViolation' },
                },
              },
            }
          : undefined,
    });
    const { failures, stats } = await run(fx.items.slice(0, 4), { scoring: 'sampled' });
    // The subject template (animal, human, object) names facial features: CP of those is filtered.
    expect(failures.map((f) => f.kind)).toEqual(['refused', 'refused', 'refused']);
    expect(failures[0]!.reason).toMatch(/content management policy/);
    expect(stats.refusalsByCategory).toMatchObject({ animal: 1, human: 1, object: 1, style: 0 });
  });
});

describe('an endpoint that is not a chat-completions API', () => {
  it('fails once, clearly, naming the endpoint and what came back, when a 200 is an HTML page', async () => {
    fx.server.set({
      respond: () => ({
        kind: 'raw',
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: '<!DOCTYPE html><html><head><title>Sign in to Acme proxy</title></head><body>…</body></html>',
      }),
    });
    const { failures } = await run(fx.items.slice(0, 3), { concurrency: 1 });
    expect(fx.server.requests).toHaveLength(1);
    expect(failures.map((f) => f.kind)).toEqual(['endpoint', 'endpoint', 'endpoint']);
    expect(failures[0]!.reason).toContain(fx.server.baseURL);
    expect(failures[0]!.reason).toMatch(/text\/html/);
    expect(failures[0]!.reason).toMatch(/Sign in to Acme proxy/);
    expect(failures[0]!.reason).not.toMatch(/Score/);
  });

  it('says the same of a JSON 200 without choices', async () => {
    fx.server.set({
      respond: () => ({
        kind: 'raw',
        status: 200,
        contentType: 'application/json',
        body: '{"ok":true}',
      }),
    });
    const { failures } = await run(fx.items.slice(0, 1), { concurrency: 1 });
    expect(failures[0]!.kind).toBe('endpoint');
    expect(failures[0]!.reason).toMatch(/no "choices"/);
  });
});

describe("the endpoint's own strings", () => {
  it('are redacted like every reply: a key echoed in the served model and system_fingerprint goes nowhere', async () => {
    fx.server.set({ model: `gpt-4o-proxy-${API_KEY}`, systemFingerprint: `fp_${API_KEY}` });
    const result = await run(fx.items.slice(0, 2));
    expect(result.failures).toEqual([]);
    const everything = JSON.stringify(result);
    expect(everything).not.toContain(API_KEY);
    expect(Object.keys(result.stats.servedModels)).toEqual(['gpt-4o-proxy-***']);
    expect(Object.keys(result.stats.systemFingerprints)).toEqual(['fp_***']);
  });
});
