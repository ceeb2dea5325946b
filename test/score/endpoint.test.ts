import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointOptions } from '../../src/score/transport/endpoint.ts';
import { createOpenAIJudge } from '../../src/score/transport/openai-client.ts';
import { startOpenAIServer, type OpenAIServer } from '../harness/servers/openai.ts';

describe('endpointOptions', () => {
  it('leaves the SDK default alone when no base URL is given', () => {
    expect(endpointOptions(undefined, 'k')).toEqual({});
  });

  it('passes an OpenAI-compatible endpoint through', () => {
    expect(endpointOptions('http://127.0.0.1:8000/v1', 'k')).toEqual({
      baseURL: 'http://127.0.0.1:8000/v1',
    });
  });

  it('moves an Azure deployment query into defaultQuery and sends the key as api-key', () => {
    const url =
      'https://acme.openai.azure.com/openai/deployments/gpt4o-judge?api-version=2024-10-21';
    expect(endpointOptions(url, 'azure-key')).toEqual({
      baseURL: 'https://acme.openai.azure.com/openai/deployments/gpt4o-judge',
      defaultQuery: { 'api-version': '2024-10-21' },
      defaultHeaders: { 'api-key': 'azure-key' },
    });
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
      ...endpointOptions(base, 'k'),
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
