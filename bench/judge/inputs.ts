// The bench's inputs: generated images at 512, 768 and 1024 px (mostly PNG, some JPEG) of varied
// content, and one JPEG reference per concept shared by its 9 prompts; or, with `tiny`, 48 px
// solid squares that isolate the transport. Each sample gets its own path (a hard link), as a
// generate command writes them, so the score stage prepares and frees each one.
import { link } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { dreamBenchPlusPromptClass } from '../../src/plan/concept-naming.ts';
import { prepareImage } from '../../src/score/prepare-image.ts';
import { CATEGORIES, type Sample } from '../../src/types.ts';

export type InputKind = 'realistic' | 'tiny';

export const PROMPTS = 9;
/** Distinct generated images per size; samples hard-link to them. */
const POOL_PER_SIZE = 16;
const SIZES = [512, 768, 1024];
/** DreamBench++ references are photographs and artworks of assorted sizes. */
const REFERENCE_SIZES = [640, 800, 1024];

export interface Files {
  readonly pool: string[];
  readonly references: string[];
}

export interface BenchItem {
  readonly sample: Sample;
  readonly imagePath: string;
  readonly referencePath: string;
}

export async function makeFiles(dir: string, concepts: number, kind: InputKind): Promise<Files> {
  const jobs: Array<() => Promise<string>> = [];
  for (const size of SIZES) {
    for (let k = 0; k < POOL_PER_SIZE; k++) {
      // A quarter JPEG, the rest PNG: what image pipelines usually write.
      const ext = k % 4 === 3 ? '.jpg' : '.png';
      jobs.push(() => makeImage(dir, kind, `pool-${size}-${k}${ext}`, size, size * 100 + k));
    }
  }
  for (let c = 0; c < concepts; c++)
    jobs.push(() => makeImage(dir, kind, `ref-${c}.jpg`, REFERENCE_SIZES[c % 3]!, 10_000 + c));
  const made = await inParallel(jobs, os.availableParallelism());
  const pool = made.slice(0, SIZES.length * POOL_PER_SIZE);
  return { pool, references: made.slice(pool.length) };
}

export async function itemsFrom(
  dir: string,
  { pool, references }: Files,
  samples: number,
): Promise<BenchItem[]> {
  const items: BenchItem[] = [];
  for (let i = 0; i < samples; i++) {
    const c = Math.floor(i / PROMPTS);
    const p = i % PROMPTS;
    const category = CATEGORIES[c % 4]!;
    const concept = `${category}_${String(c).padStart(3, '0')}_thing`;
    const referencePath = references[c]!;
    const source = pool[i % pool.length]!;
    const imagePath = path.join(dir, `gen-${i}${path.extname(source)}`);
    await link(source, imagePath);
    items.push({
      sample: {
        id: `${concept}-p${p}`,
        concept,
        upstreamKey: `${concept}-${p}`,
        category,
        subject: 'thing',
        promptIndex: p,
        promptClass: dreamBenchPlusPromptClass(p),
        prompt: `a thing in scene ${p}`,
        referenceImages: [referencePath],
        seed: i,
      },
      imagePath,
      referencePath,
    });
  }
  return items;
}

/** CPU per image of `prepareImage`, one at a time, over every distinct generated input. */
export async function measurePreparation(
  { pool, references }: Files,
  imageSize: number,
  samples: number,
) {
  const cpuOf = async (files: readonly string[]) => {
    await prepareImage(files[0]!, imageSize); // warm-up
    const before = process.cpuUsage();
    for (const file of files) await prepareImage(file, imageSize);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / files.length;
  };
  const generatedMs = await cpuOf(pool);
  const referenceMs = await cpuOf(references.slice(0, 30));
  const concepts = Math.ceil(samples / PROMPTS);
  return {
    generatedMs,
    referenceMs,
    totalCpuMs: generatedMs * samples + referenceMs * concepts,
  };
}

async function inParallel<T>(jobs: ReadonlyArray<() => Promise<T>>, width: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const n = next++;
      out[n] = await jobs[n]!();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

const noiseBySize = new Map<number, Promise<Buffer>>();

/** Gradient, overlapping shapes and film-grain texture: compresses and decodes like a picture. */
async function makeImage(
  dir: string,
  kind: InputKind,
  name: string,
  size: number,
  seed: number,
): Promise<string> {
  const file = path.join(dir, name);
  const encode = (image: Sharp) =>
    (name.endsWith('.jpg') ? image.jpeg({ quality: 92 }) : image.png()).toFile(file);
  if (kind === 'tiny') {
    const r = rng(seed);
    const background = { r: (r() * 256) | 0, g: (r() * 256) | 0, b: (r() * 256) | 0 };
    await encode(sharp({ create: { width: 48, height: 48, channels: 3, background } }));
    return file;
  }
  let noise = noiseBySize.get(size);
  if (!noise) {
    noise = sharp({
      create: {
        width: size,
        height: size,
        channels: 3,
        background: 'black',
        noise: { type: 'gaussian', mean: 128, sigma: 30 },
      },
    })
      .blur(1.2)
      .png({ compressionLevel: 0 })
      .toBuffer();
    noiseBySize.set(size, noise);
  }
  await encode(
    sharp(Buffer.from(scene(size, seed))).composite([{ input: await noise, blend: 'soft-light' }]),
  );
  return file;
}

function scene(size: number, seed: number): string {
  const r = rng(seed);
  const colour = () => `rgb(${(r() * 256) | 0},${(r() * 256) | 0},${(r() * 256) | 0})`;
  let shapes = '';
  for (let k = 0; k < 14; k++) {
    const x = r() * size;
    const y = r() * size;
    const w = (0.05 + r() * 0.4) * size;
    const opacity = 0.5 + r() / 2;
    shapes +=
      r() < 0.5
        ? `<ellipse cx="${x}" cy="${y}" rx="${w / 2}" ry="${w / (1 + r() * 2)}" fill="${colour()}" opacity="${opacity}"/>`
        : `<rect x="${x}" y="${y}" width="${w}" height="${w * r()}" fill="${colour()}" transform="rotate(${r() * 90} ${x} ${y})" opacity="${opacity}"/>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><defs><linearGradient id="g" x1="0" y1="0" x2="${r()}" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${shapes}</svg>`;
}

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
