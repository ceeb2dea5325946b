// Reads a folder in the DreamBench++ layout:
//   [data/]images/{live_subject/animal,live_subject/human,object,style}/NN.jpg
//   [data/]captions/<same path>/NN.txt   (line 1: subject name; lines 2-10: prompts 0-8)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CATEGORIES } from '../types.ts';
import type { Concept } from '../types.ts';
import {
  LAYOUT_CATEGORIES,
  conceptIdOf,
  dreamBenchPlusPromptClass,
  upstreamCollectionId,
} from './concept-naming.ts';
import { DatasetFormatError } from './errors.ts';
import { listFiles } from './folder-walk.ts';
import { forEachLimited } from '../concurrency.ts';
import { checkReferenceImage } from './reference-image-check.ts';
import { hasImageExtension } from './image-format.ts';
import { readUtf8File } from './text-file.ts';

export const PROMPTS_PER_CAPTION = 9;

/** The folder holding `images/` and `captions/`: `root` itself or `root/data`; null if neither. */
export function layoutBase(root: string): string | null {
  for (const base of [root, path.join(root, 'data')]) {
    if (existsSync(path.join(base, 'images')) && existsSync(path.join(base, 'captions')))
      return base;
  }
  return null;
}

export interface LayoutContent {
  readonly base: string;
  readonly concepts: Concept[];
  /** Relative paths (from base) of every file that makes up the benchmark. */
  readonly files: string[];
}

export async function readLayout(root: string): Promise<LayoutContent> {
  const base = layoutBase(root);
  if (base === null) {
    throw new DatasetFormatError(
      root,
      'has no images/ and captions/ folders (nor data/images, data/captions)',
    );
  }
  const images = await listFiles(path.join(base, 'images'));
  const captions = await listFiles(path.join(base, 'captions'));
  const imageByKey = new Map<string, string>();
  for (const rel of images) {
    if (!hasImageExtension(rel)) continue;
    const key = rel.slice(0, -path.posix.extname(rel).length);
    if (imageByKey.has(key))
      throw new DatasetFormatError(
        path.join(base, 'images', rel),
        `duplicates ${imageByKey.get(key)}`,
      );
    imageByKey.set(key, rel);
  }
  const captionKeys = new Set(
    captions.filter((r) => r.endsWith('.txt')).map((r) => r.slice(0, -4)),
  );
  for (const key of captionKeys) {
    if (!imageByKey.has(key))
      throw new DatasetFormatError(
        path.join(base, 'captions', `${key}.txt`),
        'has no image next to it in images/',
      );
  }
  const concepts: Concept[] = [];
  for (const [key, rel] of imageByKey) {
    const imageFile = path.join(base, 'images', rel);
    if (!captionKeys.has(key))
      throw new DatasetFormatError(imageFile, `has no caption captions/${key}.txt`);
    concepts.push(await readConcept(base, key, imageFile));
  }
  await forEachLimited(concepts, 8, (c) => checkReferenceImage(c.referenceImages[0]!));
  const rank = (c: Concept) => CATEGORIES.indexOf(c.category);
  concepts.sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1));
  const files = [
    ...[...imageByKey.values()].map((r) => `images/${r}`),
    ...[...captionKeys].map((k) => `captions/${k}.txt`),
  ];
  return { base, concepts, files };
}

async function readConcept(base: string, key: string, imageFile: string): Promise<Concept> {
  const folder = path.posix.dirname(key);
  const stem = path.posix.basename(key);
  const category = LAYOUT_CATEGORIES.get(folder);
  if (!category) {
    const allowed = [...LAYOUT_CATEGORIES.keys()].join(', ');
    throw new DatasetFormatError(
      imageFile,
      `is in folder ${JSON.stringify(folder)}; allowed: ${allowed}`,
    );
  }
  const captionFile = path.join(base, 'captions', `${key}.txt`);
  const { subject, prompts } = parseCaption(await readUtf8File(captionFile), captionFile);
  return {
    id: conceptIdOf(folder, stem, subject),
    upstreamId: upstreamCollectionId(folder, stem, subject),
    category,
    subject,
    referenceImages: [imageFile],
    prompts: prompts.map((text, index) => ({
      index,
      promptClass: dreamBenchPlusPromptClass(index),
      text,
    })),
  };
}

/** Line 1 is the subject, then exactly 9 non-empty prompt lines (trailing blank lines allowed). */
export function parseCaption(text: string, file: string): { subject: string; prompts: string[] } {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const [subject, ...prompts] = lines;
  if (!subject) throw new DatasetFormatError(file, 'first line (the subject name) is empty');
  if (prompts.length !== PROMPTS_PER_CAPTION || prompts.some((p) => p === '')) {
    const found = prompts.filter((p) => p !== '').length;
    throw new DatasetFormatError(
      file,
      `needs exactly ${PROMPTS_PER_CAPTION} non-empty prompt lines after the subject, found ${found} in ${prompts.length} lines`,
    );
  }
  return { subject, prompts };
}
