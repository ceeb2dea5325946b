// The format a file's leading bytes announce (never its extension).
import { open } from 'node:fs/promises';
import { sniffImageFormat, type ImageFormat } from './image-format.ts';

export async function sniffImageFile(file: string): Promise<ImageFormat | null> {
  const head = Buffer.alloc(16);
  const handle = await open(file, 'r');
  try {
    await handle.read(head, 0, 16, 0);
  } finally {
    await handle.close();
  }
  return sniffImageFormat(head);
}
