// Shared fixtures of the score tests: a fast fake clock, generated images, samples.
import { mulberry32 } from '../../src/compare/prng.ts';
import { dreamBenchPlusPromptClass } from '../../src/plan/concept-naming.ts';
import path from 'node:path';
import { tempDir as makeTempDir } from '../harness/temp.ts';
import sharp from 'sharp';
import type { Category, Sample } from '../../src/types.ts';
import type { Clock } from '../../src/score/transport/clock.ts';
import type { ScoreItem, ScoreOptions } from '../../src/score/score-samples.ts';
import type { CachedJudgment, JudgeCache } from '../../src/score/judgment/judge-cache.ts';
import { loadTemplates, type Templates } from '../../src/score/judgment/templates.ts';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startOpenAIServer, type OpenAIServer } from '../harness/servers/openai.ts';

/** Virtual time: `sleep(ms)` resolves on the next turn with the clock moved to at least start + ms. */
export function fakeClock(): Clock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    async sleep(ms) {
      sleeps.push(ms);
      const target = t + ms;
      await new Promise((resolve) => setImmediate(resolve));
      t = Math.max(t, target);
    },
  };
}

/** The project's seeded PRNG, for backoff jitter in tests. */
export const seededRng = (seed = 1): (() => number) => mulberry32(seed);

export async function tempDir(): Promise<string> {
  return makeTempDir('dreambench-score-');
}

/**
 * The stage's options these tests start from (all but the templates): one call per metric, a
 * fast backoff, and `apiKey` as the secret kept out of every message.
 */
export function baseOptions(
  apiKey: string,
  overrides: Partial<ScoreOptions> = {},
): Omit<ScoreOptions, 'templates'> {
  return {
    model: 'gpt-4o-2024-08-06',
    scoring: 'sampled',
    repeats: 1,
    concurrency: 4,
    imageSize: 64,
    backoff: { baseMs: 100, capMs: 1000, maxRetryAfterMs: 60_000 },
    secrets: [apiKey],
    ...overrides,
  };
}

/** A stage log that keeps its lines (info and warnings alike), in order. */
export function logger() {
  const lines: string[] = [];
  return { lines, log: { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) } };
}

/** A small solid-colour PNG whose colour depends on `i` (so every image hashes differently). */
export async function makeImage(
  dir: string,
  name: string,
  i: number,
  size = { width: 40, height: 30 },
): Promise<string> {
  const file = path.join(dir, name);
  await sharp({
    create: {
      ...size,
      channels: 3,
      background: { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 13 + 7) % 256 },
    },
  })
    .png()
    .toFile(file);
  return file;
}

export function sample(
  i: number,
  category: Category = 'object',
  referencePath = '/ref.png',
): Sample {
  return {
    id: `${category}_${String(i).padStart(2, '0')}_thing-p${i % 9}`,
    concept: `${category}_${String(i).padStart(2, '0')}_thing`,
    upstreamKey: `${category}_${String(i).padStart(2, '0')}_thing-${i % 9}`,
    category,
    subject: 'thing',
    promptIndex: i % 9,
    promptClass: dreamBenchPlusPromptClass(i % 9),
    prompt: `a thing number ${i} on a beach`,
    referenceImages: [referencePath],
    seed: i,
  };
}

/** `n` items with distinct generated images sharing one reference per category. */
export async function makeItems(
  dir: string,
  n: number,
  categories: readonly Category[] = ['object'],
): Promise<ScoreItem[]> {
  const refs = new Map<Category, string>();
  for (const [k, c] of categories.entries())
    refs.set(c, await makeImage(dir, `ref-${c}.png`, 1000 + k));
  const items: ScoreItem[] = [];
  for (let i = 0; i < n; i++) {
    const category = categories[i % categories.length]!;
    const referencePath = refs.get(category)!;
    items.push({
      sample: sample(i, category, referencePath),
      imagePath: await makeImage(dir, `gen-${i}.png`, i),
      referencePath,
    });
  }
  return items;
}

/** A judge cache in memory, whose entries a test can read and corrupt. */
export class MemoryJudgeCache implements JudgeCache {
  readonly entries = new Map<string, CachedJudgment>();
  async get(key: string): Promise<CachedJudgment | undefined> {
    return this.entries.get(key);
  }
  async set(key: string, value: CachedJudgment): Promise<void> {
    this.entries.set(key, value);
  }
}

/**
 * The bundled templates, `n` items and a loopback judge, for one test file: the judge's
 * behaviour and records are reset after each test.
 */
export function judgeFixture(n: number, categories: readonly Category[]) {
  const fixture = {} as { templates: Templates; items: ScoreItem[]; server: OpenAIServer };
  beforeAll(async () => {
    fixture.templates = await loadTemplates(path.resolve(import.meta.dirname, '../../prompts'));
    fixture.items = await makeItems(await tempDir(), n, categories);
    fixture.server = await startOpenAIServer();
  });
  afterAll(() => fixture.server.close());
  afterEach(() => {
    fixture.server.set({});
    fixture.server.requests.length = 0;
    fixture.server.answers.length = 0;
  });
  return fixture;
}
