// Shared fixtures of the score tests: a fast fake clock, generated images, samples.
import path from 'node:path';
import { tempDir as makeTempDir } from '../harness/temp.ts';
import sharp from 'sharp';
import type { Category, Sample } from '../../src/types.ts';
import type { Clock } from '../../src/score/clock.ts';
import type { ScoreItem } from '../../src/score/score-samples.ts';

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

export function seededRng(seed = 1): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export async function tempDir(): Promise<string> {
  return makeTempDir('dreambench-score-');
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
    category,
    subject: 'thing',
    promptIndex: i % 9,
    promptClass: i % 9 < 4 ? 'photorealistic' : i % 9 < 7 ? 'style_transfer' : 'imaginative',
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
