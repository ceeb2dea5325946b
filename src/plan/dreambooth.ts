// The original DreamBooth benchmark (google/dreambooth, `dataset/`): 30 subject folders of photos and
// `prompts_and_classes.txt` (a `subject_name,class` table and two lists of 25 prompt templates, one
// for objects and one for live subjects, with `{0}` = unique token and `{1}` = class noun).
//
// Mapping onto the DreamBench++ model (see src/plan/DATASETS.md):
//  - category: live subjects (class `dog` or `cat`) -> animal, everything else -> object;
//  - upstream id: the subject folder (the key of results.json and scores.csv: `<folder>-<index>`);
//  - concept id: `live_subject_animal_NN_<subject>` / `object_NN_<subject>`, NN numbering the subjects
//    of a category in alphabetical order; subject = the class noun (what the prompts call it);
//  - prompt_index: the template's index 0-24 in its list (objects and live subjects differ at 10-19);
//  - prompt class: 0-19 (recontextualization, and accessorization for live subjects) are
//    photorealistic, 20-24 (property modification: colour, material, shape) are imaginative; the set
//    has no style-transfer prompts;
//  - prompt text: `{0}` (the unique token, e.g. `sks`) is dropped and `{1}` is the class noun:
//    "a dog in the jungle". Our generators are given the reference images, and a judge reading
//    "a sks dog" would score the rare token rather than the prompt.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Concept, PromptClass } from '../types.ts';
import { conceptIdOf } from './concept-naming.ts';
import { DatasetFormatError } from './errors.ts';
import { hasImageExtension } from './image-format.ts';
import { forEachLimited } from '../concurrency.ts';
import { checkReferenceImage } from './reference-image-check.ts';
import { readUtf8File } from './text-file.ts';

export const PROMPTS_FILE = 'prompts_and_classes.txt';
export const DREAMBOOTH_PROMPTS = 25;
const LIVE_CLASSES = new Set(['dog', 'cat']);

export interface DreamBoothPrompts {
  readonly classes: ReadonlyMap<string, string>;
  readonly objectTemplates: readonly string[];
  readonly liveTemplates: readonly string[];
}

/** Parses prompts_and_classes.txt (pure). */
export function parsePromptsAndClasses(text: string, file: string): DreamBoothPrompts {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const classes = new Map<string, string>();
  const header = lines.indexOf('subject_name,class');
  if (header < 0) throw new DatasetFormatError(file, 'has no "subject_name,class" table');
  for (const line of lines.slice(header + 1)) {
    if (line === '') break;
    const [subject, cls] = line.split(',').map((s) => s.trim());
    if (!subject || !cls)
      throw new DatasetFormatError(
        file,
        `class table line ${JSON.stringify(line)} is not "subject,class"`,
      );
    classes.set(subject, cls);
  }
  const objectAt = lines.indexOf('Object Prompts');
  const liveAt = lines.indexOf('Live Subject Prompts');
  if (objectAt < 0 || liveAt < 0)
    throw new DatasetFormatError(
      file,
      'needs "Object Prompts" and "Live Subject Prompts" sections',
    );
  const templates = (from: number, to: number) =>
    lines
      .slice(from, to)
      .map((l) => /^'(.*)'\.format\(/.exec(l)?.[1])
      .filter((t): t is string => t !== undefined);
  const objectTemplates = templates(objectAt, liveAt > objectAt ? liveAt : lines.length);
  const liveTemplates = templates(liveAt, objectAt > liveAt ? objectAt : lines.length);
  for (const [kind, list] of [
    ['object', objectTemplates],
    ['live subject', liveTemplates],
  ] as const) {
    if (list.length !== DREAMBOOTH_PROMPTS) {
      throw new DatasetFormatError(
        file,
        `has ${list.length} ${kind} prompt templates, expected ${DREAMBOOTH_PROMPTS}`,
      );
    }
  }
  return { classes, objectTemplates, liveTemplates };
}

/** `a {0} {1} in the snow` + `dog` -> `a dog in the snow` (the unique token is dropped). */
export function renderTemplate(template: string, classNoun: string): string {
  return template
    .replace(/\{0\}\s*/g, '')
    .replaceAll('{1}', classNoun)
    .replace(/\s+/g, ' ')
    .trim();
}

export function dreamBoothPromptClass(index: number): PromptClass {
  return index < 20 ? 'photorealistic' : 'imaginative';
}

/** The folder holding prompts_and_classes.txt: `root`, `root/dataset` or `root/<one>/dataset`. */
export async function findDreamBoothRoot(root: string): Promise<string | null> {
  const candidates = [root, path.join(root, 'dataset')];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (entry.isDirectory()) candidates.push(path.join(root, entry.name, 'dataset'));
  }
  return candidates.find((c) => existsSync(path.join(c, PROMPTS_FILE))) ?? null;
}

export interface DreamBoothContent {
  readonly concepts: Concept[];
  /** Relative paths of every file that makes up the benchmark. */
  readonly files: string[];
}

export async function readDreamBoothFolder(root: string): Promise<DreamBoothContent> {
  const promptsFile = path.join(root, PROMPTS_FILE);
  const parsed = parsePromptsAndClasses(await readUtf8File(promptsFile), promptsFile);
  const files = [PROMPTS_FILE];
  const concepts: Concept[] = [];
  const numbered = { animal: 0, object: 0 };
  for (const subjectName of [...parsed.classes.keys()].sort()) {
    const classNoun = parsed.classes.get(subjectName)!;
    const dir = path.join(root, subjectName);
    const images = existsSync(dir) ? (await readdir(dir)).filter(hasImageExtension).sort() : [];
    if (images.length === 0)
      throw new DatasetFormatError(dir, `subject ${JSON.stringify(subjectName)} has no images`);
    files.push(...images.map((f) => `${subjectName}/${f}`));
    const live = LIVE_CLASSES.has(classNoun);
    const category = live ? 'animal' : 'object';
    const nn = String(numbered[category]++).padStart(2, '0');
    const templates = live ? parsed.liveTemplates : parsed.objectTemplates;
    concepts.push({
      id: conceptIdOf(live ? 'live_subject/animal' : 'object', nn, subjectName),
      // DreamBooth's own name for the subject: its folder (`dog6`, `backpack_dog`).
      upstreamId: subjectName,
      category,
      subject: classNoun,
      referenceImages: images.map((f) => path.join(dir, f)),
      prompts: templates.map((t, index) => ({
        index,
        promptClass: dreamBoothPromptClass(index),
        text: renderTemplate(t, classNoun),
      })),
    });
  }
  await forEachLimited(concepts, 8, (c) => checkReferenceImage(c.referenceImages[0]!));
  concepts.sort((a, b) =>
    a.category === b.category ? (a.id < b.id ? -1 : 1) : a.category === 'animal' ? -1 : 1,
  );
  return { concepts, files };
}
