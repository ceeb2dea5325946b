// Validates a zip archive from its central directory BEFORE anything is extracted: no entry may
// escape the extraction folder (absolute paths, drive letters, `..` segments, backslashes), no entry
// may be a symbolic link, and the declared uncompressed sizes must stay under a bound (zip bombs).
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { ArchiveTooLargeError, UnsafeArchiveEntryError } from './errors.ts';

/** 2 GiB: DreamBench++'s data.zip is far smaller; the bound only stops runaway archives. */
export const DEFAULT_MAX_ARCHIVE_BYTES = 2 * 1024 ** 3;

export interface ZipSummary {
  readonly entries: number;
  readonly uncompressedBytes: number;
}

export async function inspectZip(
  file: string,
  maxBytes: number = DEFAULT_MAX_ARCHIVE_BYTES,
): Promise<ZipSummary> {
  // decodeStrings: false keeps yauzl from rejecting names itself, so our named errors report them.
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, decodeStrings: false, autoClose: true }, (err, z) =>
      err ? reject(err) : resolve(z!),
    ),
  );
  return new Promise<ZipSummary>((resolve, reject) => {
    let entries = 0;
    let total = 0;
    const fail = (error: Error) => {
      zip.close();
      reject(error);
    };
    zip.on('error', reject);
    zip.on('end', () => resolve({ entries, uncompressedBytes: total }));
    zip.on('entry', (entry: Entry) => {
      const name = Buffer.isBuffer(entry.fileName)
        ? (entry.fileName as Buffer).toString('utf8')
        : String(entry.fileName);
      const unsafe = unsafeReason(name, entry.externalFileAttributes);
      if (unsafe) return fail(new UnsafeArchiveEntryError(file, name, unsafe));
      entries += 1;
      total += entry.uncompressedSize;
      if (total > maxBytes) return fail(new ArchiveTooLargeError(file, total, maxBytes));
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/** Why an entry name is unsafe to extract, or null. Pure. */
export function unsafeReason(name: string, externalAttributes = 0): string | null {
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'escapes the extraction folder with ".."';
  if (name.includes('\0')) return 'contains a NUL byte';
  const unixMode = (externalAttributes >>> 16) & 0o170000;
  if (unixMode === 0o120000) return 'is a symbolic link';
  return null;
}
