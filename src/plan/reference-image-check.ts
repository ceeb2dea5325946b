// Cheap load-time check of reference images: magic bytes plus a header parse by sharp. A full decode
// happens later, when the judge images are made.
import { open } from 'node:fs/promises';
import sharp from 'sharp';
import { DatasetFormatError } from './errors.ts';
import { sniffImageFormat } from './image-format.ts';

export async function checkReferenceImage(file: string): Promise<void> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(16);
    await handle.read(head, 0, 16, 0);
  } finally {
    await handle.close();
  }
  if (sniffImageFormat(head) === null) {
    throw new DatasetFormatError(file, 'is not a PNG, JPEG or WebP image (unknown leading bytes)');
  }
  try {
    const meta = await sharp(file).metadata();
    if (!meta.width || !meta.height) throw new Error('no dimensions in the header');
  } catch (error) {
    throw new DatasetFormatError(file, `image does not decode: ${(error as Error).message}`);
  }
}

/** Runs `task` over `items` with at most `limit` in flight; rejects with the first failure. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
