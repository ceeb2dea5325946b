// File names derived from sample and concept ids (pure). Ids come from dataset file names and
// subjects, so they may hold characters that artifact uploads refuse (" : < > | * ? and line
// breaks), path separators, or be longer than a file name may be (255 bytes). The id itself is
// kept wherever it is data (manifest, results.json, report); only names on disk use this.
import { createHash } from 'node:crypto';

/** Longest stem, leaving room for an extension within any file system's limit. */
export const MAX_FILE_STEM = 100;

const GOOD = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * An id that is a good file name already stays as it is (so earlier artifacts keep their names);
 * any other becomes its safe characters, cut short, then `-` and 12 hex of sha256(id), so two ids
 * never share a name.
 */
export function fileStemOf(id: string): string {
  if (GOOD.test(id) && id.length <= MAX_FILE_STEM) return id;
  const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 12);
  const readable = id
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, MAX_FILE_STEM - hash.length - 1);
  return `${readable}-${hash}`;
}
