// Judge prompt templates: which file holds which turn, the pure fingerprint hash, and the loader
// (the only part that touches the file system).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FinalTurn } from '../../constants.ts';
import { TemplateError } from './errors.ts';

/** The three judge protocols: CP for subjects, CP for styles, and PF ("text"). */
export const TEMPLATE_KINDS = ['subject', 'style', 'text'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export interface TemplatePair {
  /** First user turn: task, criteria, scale, input and output format. */
  readonly instruction: string;
  /** Assistant turn in which the judge restates the task and its plan. */
  readonly restatement: string;
}

/**
 * How the last user turn (the inputs) is built. `labelled`: our bundled templates' turn, with a
 * label before each image and `Prompt: ` before the prompt. `upstream`: the DreamBench++ release's
 * turn exactly: CP the two images alone (reference, then generated), PF the prompt text, then the
 * image. The bundled `prompts/` folder is judged `labelled`; any `prompts-dir` is `upstream`.
 */
export type { FinalTurn } from '../../constants.ts';

export interface Templates {
  readonly subject: TemplatePair;
  readonly style: TemplatePair;
  readonly text: TemplatePair;
  /** sha256 over the file names and contents, sorted by name: part of the fingerprint. */
  readonly sha256: string;
  /** The final turn these templates are sent with (part of the fingerprint and the cache key). */
  readonly finalTurn: FinalTurn;
}

/** File names of the upstream DreamBench++ release, so its folder is a drop-in `prompts-dir`. */
export function templateFileNames(kind: TemplateKind): {
  instruction: string;
  restatement: string;
} {
  return {
    instruction: `user_prompt_${kind}_full.txt`,
    restatement: `gpt_prompt_${kind}_full.txt`,
  };
}

/** Hash of the template files; `files` maps file name to content. Order-independent. */
export function templatesSha256(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const name of [...files.keys()].sort()) {
    hash.update(`${name}\0${files.get(name) ?? ''}\0`);
  }
  return hash.digest('hex');
}

/**
 * Reads the six template files from `dir` (the action's bundled `prompts/` folder or the user's
 * `prompts-dir`). Contents are used as written, except that surrounding whitespace is trimmed
 * from the turns sent to the judge (as upstream's `.strip()` does); the hash covers the raw bytes.
 * `finalTurn`: `labelled` for the bundled folder (the default), `upstream` for a `prompts-dir`.
 */
export async function loadTemplates(
  dir: string,
  finalTurn: FinalTurn = 'labelled',
): Promise<Templates> {
  const files = new Map<string, string>();
  const pairs = {} as Record<TemplateKind, TemplatePair>;
  for (const kind of TEMPLATE_KINDS) {
    const names = templateFileNames(kind);
    const instruction = await readTemplate(dir, names.instruction, files);
    const restatement = await readTemplate(dir, names.restatement, files);
    pairs[kind] = { instruction, restatement };
  }
  return { ...pairs, sha256: templatesSha256(files), finalTurn };
}

async function readTemplate(
  dir: string,
  name: string,
  files: Map<string, string>,
): Promise<string> {
  const file = path.join(dir, name);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new TemplateError(
      file,
      `cannot be read (${code}); a prompts folder must hold the six files user_prompt_{subject,style,text}_full.txt and gpt_prompt_{subject,style,text}_full.txt`,
    );
  }
  if (raw.trim() === '')
    throw new TemplateError(file, 'is empty; it must hold the text of a judge turn');
  files.set(name, raw);
  return raw.trim();
}
