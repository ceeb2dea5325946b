// Content hash of a local dataset folder: sha256 over the sorted (relative path, sha256 of bytes)
// pairs, so renaming or editing any file changes it, and file system order does not.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function sha256Folder(
  root: string,
  relativeFiles: readonly string[],
): Promise<string> {
  const hash = createHash('sha256');
  for (const rel of [...relativeFiles].sort()) {
    hash.update(`${rel}\0${await sha256File(path.join(root, rel))}\n`);
  }
  return hash.digest('hex');
}
