// The rules a zip entry must pass before anything of it is written (pure): no entry may escape
// the extraction folder (absolute paths, drive letters, `..` segments, backslashes) or be a
// symbolic link, and an entry's name is the one an extractor would write: the Info-ZIP Unicode
// Path extra field's when present (and matching its header name's CRC), else the header's.
import yauzl from 'yauzl';
import type { Entry } from 'yauzl';

/** 2 GiB: DreamBench++'s data.zip is far smaller; the bound only stops runaway archives. */
export const DEFAULT_MAX_ARCHIVE_BYTES = 2 * 1024 ** 3;

/** yauzl's decoder of entry names (UTF-8 flag, CP437, the 0x7075 field); not in its types. */
const { getFileNameLowLevel } = yauzl as unknown as {
  getFileNameLowLevel(
    flags: number,
    name: Buffer,
    extraFields: readonly { id: number; data: Buffer }[],
    strictFileNames: boolean,
  ): string;
};

/** The header name and, when it differs, the name the Unicode Path extra field gives. */
export function entryNames(entry: Entry): { header: string; written: string } {
  const raw = entry.fileName as unknown as Buffer;
  // strict: backslashes are kept, so that they are refused rather than turned into folders.
  const header = getFileNameLowLevel(entry.generalPurposeBitFlag, raw, [], true);
  const written = getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
  return { header, written };
}

/** Why an entry name is unsafe to extract, or null. Pure. */
export function unsafeReason(name: string, externalAttributes = 0): string | null {
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'escapes the extraction folder with ".."';
  if (name.includes('\0')) return 'contains a NUL byte';
  if (name === '' || name.split('/').slice(0, -1).includes('')) return 'has an empty path segment';
  const unixMode = (externalAttributes >>> 16) & 0o170000;
  if (unixMode === 0o120000) return 'is a symbolic link';
  return null;
}

/** The key two entries collide under on some file system (case-insensitive, unnormalised). */
export function collisionKey(name: string): string {
  return name.replace(/\/+$/, '').normalize('NFC').toLowerCase();
}
