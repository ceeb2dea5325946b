// Recursive listing of regular files under a folder, as sorted '/'-separated relative paths.
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Regular files below `root` (hidden entries skipped), sorted, relative with '/' separators. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const rel = path
      .relative(root, path.join(entry.parentPath, entry.name))
      .split(path.sep)
      .join('/');
    if (rel.split('/').some((part) => part.startsWith('.'))) continue;
    files.push(rel);
  }
  return files.sort();
}
