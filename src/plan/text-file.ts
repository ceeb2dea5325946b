// Dataset text files (captions, prompt tables) are UTF-8. Decoding anything else as UTF-8 would
// turn every accented letter into U+FFFD in the prompts, the judge's input and the report, so a
// file that is not valid UTF-8 is refused, naming the first bad byte.
import { readFile } from 'node:fs/promises';
import { DatasetFormatError } from './errors.ts';

export async function readUtf8File(file: string): Promise<string> {
  const bytes = await readFile(file);
  const offset = firstInvalidUtf8(bytes);
  if (offset !== undefined) {
    const byte = bytes[offset]!.toString(16).padStart(2, '0');
    throw new DatasetFormatError(
      file,
      `is not UTF-8 text (byte 0x${byte} at offset ${offset}); save it as UTF-8`,
    );
  }
  return bytes.toString('utf8');
}

/** Pure: the offset of the first byte that starts no valid UTF-8 sequence, or undefined. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  // Invalid sequences become U+FFFD; a BOM is kept, so that offsets count its three bytes.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  let offset = 0;
  for (const char of text) {
    const length = Buffer.byteLength(char, 'utf8');
    const literal =
      char === '\ufffd' &&
      bytes[offset] === 0xef &&
      bytes[offset + 1] === 0xbf &&
      bytes[offset + 2] === 0xbd;
    if (char === '\ufffd' && !literal) return offset;
    offset += length;
  }
  return undefined;
}
