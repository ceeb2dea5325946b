// The score stage's judge cache keys a judgment by the endpoint the SDK talks to: with
// `openai-base-url` empty, that is OPENAI_BASE_URL (README, "Environment variables").
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { readRunContext } from '../../src/pipeline/context.ts';
import type { RunIO } from '../../src/pipeline/io.ts';
import { judgeItems } from '../../src/pipeline/score.ts';
import { inputDefaults } from '../harness/action-yml.ts';
import { startOpenAIServer, type OpenAIServer } from '../harness/servers/openai.ts';
import { tempDir } from '../harness/temp.ts';
import { judgeFixture } from '../score/helpers.ts';

const fixture = judgeFixture(2, ['object']);
let other: OpenAIServer;
beforeAll(async () => {
  other = await startOpenAIServer();
});
afterAll(() => other.close());

it('does not reuse the judgments of the endpoint OPENAI_BASE_URL named before for another', async () => {
  const inputs: Record<string, string> = {
    ...inputDefaults(),
    'openai-api-key': 'sk-test',
    'image-size': '64',
  };
  const config = parseConfig((name) => inputs[name] ?? '', '/ws');
  const ctx = readRunContext({ RUNNER_TEMP: tempDir('dreambench-endpoint-') });
  const cacheDir = tempDir('dreambench-judge-cache-');
  const saved = process.env.OPENAI_BASE_URL;
  const judgeAt = (baseURL: string) => {
    process.env.OPENAI_BASE_URL = baseURL; // what the SDK reads
    const io: RunIO = {
      log: { info() {}, warning() {}, notice() {}, group: (_t, fn) => fn() },
      now: () => new Date('2026-03-01T00:00:00Z'),
      env: { OPENAI_BASE_URL: baseURL, DREAMBENCH_CACHE_DIR: cacheDir },
      writeSummary: async () => {},
    };
    return judgeItems(config, ctx, fixture.items, fixture.templates, io);
  };
  try {
    const first = await judgeAt(fixture.server.baseURL);
    expect(first.stats.calls).toBeGreaterThan(0);
    expect((await judgeAt(fixture.server.baseURL)).stats.calls).toBe(0);
    const elsewhere = await judgeAt(other.baseURL);
    expect(elsewhere.stats).toMatchObject({ calls: first.stats.calls, cacheHits: 0 });
    expect(other.requests).toHaveLength(first.stats.calls);
  } finally {
    if (saved === undefined) delete process.env.OPENAI_BASE_URL;
    else process.env.OPENAI_BASE_URL = saved;
  }
});
