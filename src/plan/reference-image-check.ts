// Cheap load-time check of reference images: magic bytes plus a header parse by sharp. A full decode
// happens later, when the judge images are made.
import sharp from 'sharp';
import { DatasetFormatError } from './errors.ts';
import { sniffImageFile } from './image-file.ts';

export async function checkReferenceImage(file: string): Promise<void> {
  if ((await sniffImageFile(file)) === null) {
    throw new DatasetFormatError(file, 'is not a PNG, JPEG or WebP image (unknown leading bytes)');
  }
  try {
    const meta = await sharp(file).metadata();
    if (!meta.width || !meta.height) throw new Error('no dimensions in the header');
  } catch (error) {
    throw new DatasetFormatError(file, `image does not decode: ${(error as Error).message}`);
  }
}
