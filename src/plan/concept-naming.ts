// Naming rules shared by the dataset loaders (pure).
import type { Category, PromptClass } from '../types.ts';

/** Subject slug for concept ids: lowercase, every run of non [a-z0-9] becomes '_', trimmed. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug === '' ? 'subject' : slug;
}

/** DreamBench++ image folders and the category each one holds. */
export const LAYOUT_CATEGORIES: ReadonlyMap<string, Category> = new Map([
  ['live_subject/animal', 'animal'],
  ['live_subject/human', 'human'],
  ['object', 'object'],
  ['style', 'style'],
]);

/** `live_subject/animal` + `00` + `Kitten` -> `live_subject_animal_00_kitten`. */
export function conceptIdOf(folder: string, stem: string, subject: string): string {
  return `${folder.split('/').join('_')}_${stem}_${slugify(subject)}`;
}

/**
 * DreamBench++'s own `collection_id`, as its dataset loader builds it: the category folder with
 * `_` for `/`, the file stem, and the subject lower-cased with spaces as `_`, nothing else
 * changed (`live_subject/animal` + `00` + `Cotton-top tamarin` ->
 * `live_subject_animal_00_cotton-top_tamarin`).
 */
export function upstreamCollectionId(folder: string, stem: string, subject: string): string {
  return `${folder.split('/').join('_')}_${stem}_${subject.toLowerCase().replaceAll(' ', '_')}`;
}

/** Upstream's key of one sample, `{collection_id}-{prompt_index}`. */
export function upstreamKeyOf(upstreamId: string, promptIndex: number): string {
  return `${upstreamId}-${promptIndex}`;
}

/** DreamBench++ prompt classes by index: 0-3 photorealistic, 4-6 style transfer, 7-8 imaginative. */
export function dreamBenchPlusPromptClass(index: number): PromptClass {
  return index <= 3 ? 'photorealistic' : index <= 6 ? 'style_transfer' : 'imaginative';
}
