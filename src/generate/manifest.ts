// The generation manifest (design.md "Generation contract"): one JSON object per line, with exactly
// these fields in this order.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileStemOf } from '../file-names.ts';
import type { Category, PromptClass, Sample } from '../types.ts';

export interface ManifestLine {
  readonly id: string;
  readonly concept: string;
  readonly category: Category;
  readonly subject: string;
  readonly prompt_index: number;
  readonly prompt_class: PromptClass;
  readonly prompt: string;
  readonly reference_images: readonly string[];
  readonly output_image: string;
  readonly seed: number;
}

/** Where the command must write a sample's image: `<absolute output dir>/<id>.png`, the id made a
 * safe file name where it is none (file-names.ts). */
export function outputImageOf(outputDir: string, id: string): string {
  return path.join(path.resolve(outputDir), `${fileStemOf(id)}.png`);
}

export function manifestLine(sample: Sample, outputDir: string): ManifestLine {
  return {
    id: sample.id,
    concept: sample.concept,
    category: sample.category,
    subject: sample.subject,
    prompt_index: sample.promptIndex,
    prompt_class: sample.promptClass,
    prompt: sample.prompt,
    reference_images: sample.referenceImages,
    output_image: outputImageOf(outputDir, sample.id),
    seed: sample.seed,
  };
}

/** The manifest text (pure): one line per sample, newline-terminated. */
export function renderManifest(samples: readonly Sample[], outputDir: string): string {
  return samples.map((s) => `${JSON.stringify(manifestLine(s, outputDir))}\n`).join('');
}

/** Writes the manifest to `file` and creates `outputDir`, so the command can write into it. */
export async function writeManifest(
  samples: readonly Sample[],
  outputDir: string,
  file: string,
): Promise<void> {
  await mkdir(path.resolve(outputDir), { recursive: true });
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, renderManifest(samples, outputDir));
}
