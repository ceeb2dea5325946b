import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointKind, endpointOptions } from '../../src/score/transport/endpoint.ts';
import { createOpenAIJudge } from '../../src/score/transport/openai-client.ts';
import { startOpenAIServer, type OpenAIServer } from '../harness/servers/openai.ts';

describe('endpointOptions', () => {
  it('leaves the SDK default alone when no base URL is given', () => {
    expect(endpointOptions(undefined)).toEqual({});
  });

  it('passes an OpenAI-compatible endpoint through', () => {
    expect(endpointOptions('http://127.0.0.1:8000/v1')).toEqual({
      baseURL: 'http://127.0.0.1:8000/v1',
    });
  });

  it("takes an Azure deployment's api-version for the SDK's Azure client", () => {
    const url =
      'https://acme.openai.azure.com/openai/deployments/gpt4o-judge?api-version=2024-10-21';
    expect(endpointOptions(url)).toEqual({
      baseURL: 'https://acme.openai.azure.com/openai/deployments/gpt4o-judge',
      azure: { apiVersion: '2024-10-21' },
    });
  });

  it('keeps any other query of an Azure endpoint on every request', () => {
    const url = 'https://acme.openai.azure.com/openai/deployments/j?api-version=2024-10-21&x=1';
    expect(endpointOptions(url)).toMatchObject({
      defaultQuery: { x: '1' },
      azure: { apiVersion: '2024-10-21' },
    });
  });

  it('names the missing api-version of an Azure endpoint', () => {
    const make = () =>
      createOpenAIJudge({
        apiKey: 'k',
        timeoutMs: 1000,
        ...endpointOptions('https://acme.openai.azure.com/openai/deployments/j'),
      });
    const saved = process.env.OPENAI_API_VERSION;
    delete process.env.OPENAI_API_VERSION;
    try {
      expect(make).toThrow(/openai-base-url.*Azure OpenAI endpoint without its api-version/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_VERSION = saved;
    }
  });
});

describe('a deployment-style endpoint through the real SDK', () => {
  let server: OpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer();
  });
  afterAll(() => server.close());

  it('keeps the query on every request', async () => {
    const base = `${server.origin}/openai/deployments/judge?api-version=2024-10-21`;
    const judge = createOpenAIJudge({
      apiKey: 'k',
      timeoutMs: 5000,
      ...endpointOptions(base),
    });
    await judge.complete({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Score: 3' }],
      temperature: 1,
      maxTokens: 10,
    });
    expect(server.requests.at(-1)!.url).toBe(
      '/openai/deployments/judge/chat/completions?api-version=2024-10-21',
    );
  });
});

describe('endpointKind (recorded in the fingerprint)', () => {
  it.each([
    [undefined, 'openai'],
    ['https://api.openai.com/v1', 'openai'],
    [
      'https://my-resource.openai.azure.com/openai/deployments/judge?api-version=2024-10-21',
      'azure',
    ],
    ['https://x.services.ai.azure.com/models', 'azure'],
    ['http://127.0.0.1:8000/v1', 'other'],
    ['https://proxy.example.com/openai', 'other'],
  ])('%s is %s', (url, kind) => {
    expect(endpointKind(url)).toBe(kind);
  });
});
