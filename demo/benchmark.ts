// Builds the demo's miniature benchmark in the DreamBench++ layout, as the files of the hub's
// `data.zip`: data/images/<folder>/NN.jpg and data/captions/<folder>/NN.txt (subject line, then
// the nine prompts). Real DreamBooth photographs where they exist, drawings otherwise.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import sharp from 'sharp';
import type { Category } from '../src/types.ts';
import {
  DRAWN_CONCEPTS,
  DRAWN_SUBJECT_CONCEPTS,
  PHOTO_CONCEPTS,
  type DemoConcept,
} from './concepts.ts';
import { drawingSvg } from './drawings.ts';

const FOLDERS: Record<Category, string> = {
  animal: 'live_subject/animal',
  human: 'live_subject/human',
  object: 'object',
  style: 'style',
};
/** Reference side: enough for the 512 judge images, small enough to keep data.zip light. */
const REFERENCE_SIDE = 512;

export class DemoConceptError extends Error {
  readonly subject: string;
  constructor(subject: string, message: string) {
    super(`demo concept "${subject}": ${message}`);
    this.name = 'DemoConceptError';
    this.subject = subject;
  }
}

export interface DemoBenchmark {
  /** `data/...` path -> bytes. */
  readonly files: Record<string, Uint8Array>;
  readonly concepts: readonly DemoConcept[];
  /** Where the animals and objects came from. */
  readonly source: 'photographs' | 'drawings';
}

/** The concepts to use: photographs when `photosDir` has every chosen subject, else drawings. */
export function chooseConcepts(photosDir: string | undefined): {
  concepts: DemoConcept[];
  source: DemoBenchmark['source'];
} {
  const havePhotos =
    photosDir !== undefined &&
    PHOTO_CONCEPTS.every(
      (c) => 'photo' in c.source && existsSync(path.join(photosDir, c.source.photo, '00.jpg')),
    );
  return havePhotos
    ? { concepts: [...PHOTO_CONCEPTS, ...DRAWN_CONCEPTS], source: 'photographs' }
    : { concepts: [...DRAWN_SUBJECT_CONCEPTS, ...DRAWN_CONCEPTS], source: 'drawings' };
}

async function referenceJpeg(concept: DemoConcept, photosDir: string | undefined): Promise<Buffer> {
  const input =
    'photo' in concept.source
      ? path.join(photosDir ?? '', concept.source.photo, '00.jpg')
      : Buffer.from(drawingSvg(concept.source.drawing));
  return sharp(input)
    .rotate()
    .resize(REFERENCE_SIDE, REFERENCE_SIDE, { fit: 'cover' })
    .jpeg({ quality: 88 })
    .toBuffer();
}

function captionText(concept: DemoConcept): string {
  if (concept.prompts.length !== 9 || concept.prompts.some((p) => p.includes('\n'))) {
    throw new DemoConceptError(concept.subject, 'needs exactly 9 one-line prompts');
  }
  return `${concept.subject}\n${concept.prompts.join('\n')}\n`;
}

export async function buildDemoBenchmark(photosDir: string | undefined): Promise<DemoBenchmark> {
  const { concepts, source } = chooseConcepts(photosDir);
  const files: Record<string, Uint8Array> = {};
  const next: Partial<Record<Category, number>> = {};
  for (const concept of concepts) {
    const n = next[concept.category] ?? 0;
    next[concept.category] = n + 1;
    const rel = `${FOLDERS[concept.category]}/${String(n).padStart(2, '0')}`;
    files[`data/images/${rel}.jpg`] = await referenceJpeg(concept, photosDir);
    files[`data/captions/${rel}.txt`] = Buffer.from(captionText(concept));
  }
  return { files, concepts, source };
}

/** The hub's `data.zip` (stored, not deflated: the JPEGs would not shrink). */
export function zipBenchmark(benchmark: DemoBenchmark): Buffer {
  return Buffer.from(zipSync(benchmark.files, { level: 0 }));
}
