// Extracts a zip archive with yauzl, entry by entry, checking each entry before a byte of it is
// written: a safe name (zip-guard.ts) that no earlier entry had, a declared size that keeps the
// archive's total under the bound, and then, while writing, no more bytes than it declared. The
// bound thus holds for the bytes actually written, whatever the headers claim.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { ArchiveContentError, ArchiveTooLargeError, UnsafeArchiveEntryError } from './errors.ts';
import { collisionKey, entryNames, unsafeReason } from './zip-guard.ts';

/**
 * The most entries an archive may hold: DreamBench++'s has a few hundred, and the byte bound alone
 * lets a small archive of empty files exhaust the disk's inodes.
 */
const MAX_ARCHIVE_ENTRIES = 100_000;

export interface ZipSummary {
  readonly entries: number;
  /** Bytes written (files only). */
  readonly bytes: number;
}

/**
 * Extracts `archive` into the existing folder `dest`. Throws a named error on the first problem;
 * errors call the archive `label` (its URL, say), default its path.
 */
export async function extractZip(
  archive: string,
  dest: string,
  maxBytes: number,
  label: string = archive,
  maxEntries: number = MAX_ARCHIVE_ENTRIES,
): Promise<ZipSummary> {
  const zip = await openZip(archive, label);
  // yauzl reports errors on the ZipFile only in answer to readEntry, where nextEntry rejects with
  // them; this listener keeps an unexpected later one from crashing the process instead.
  zip.on('error', () => undefined);
  // yauzl reads exactly the central directory's count of entries, so this bounds what is written.
  if (zip.entryCount > maxEntries) {
    zip.close();
    throw new ArchiveContentError(
      label,
      `holds ${zip.entryCount} entries, more than the ${maxEntries} allowed`,
    );
  }
  const seen = new Map<string, string>();
  let declared = 0;
  let written = 0;
  let files = 0;
  try {
    for (let entry = await nextEntry(zip, label); entry; entry = await nextEntry(zip, label)) {
      const name = checkedName(label, entry, seen);
      if (name.endsWith('/')) {
        await mkdir(path.join(dest, name), { recursive: true });
        continue;
      }
      declared += entry.uncompressedSize;
      if (declared > maxBytes) throw new ArchiveTooLargeError(label, declared, maxBytes);
      written += await writeEntry(zip, entry, name, path.join(dest, name), label);
      files += 1;
    }
  } finally {
    zip.close();
  }
  if (files === 0) throw new ArchiveContentError(label, 'holds no files');
  return { entries: files, bytes: written };
}

function openZip(archive: string, file: string): Promise<ZipFile> {
  // decodeStrings: false keeps yauzl from refusing names itself, so our named errors report them;
  // sizes are checked here, while writing, so that the error names the entry.
  const options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: false };
  return new Promise((resolve, reject) =>
    yauzl.open(archive, { ...options, autoClose: false }, (err, zip) =>
      err
        ? reject(new ArchiveContentError(file, `is not a zip archive (${err.message})`))
        : resolve(zip),
    ),
  );
}

/** The next entry, or undefined at the end. */
function nextEntry(zip: ZipFile, file: string): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: Entry) => (cleanup(), resolve(entry));
    const onEnd = () => (cleanup(), resolve(undefined));
    const onError = (error: Error) => (
      cleanup(),
      reject(new ArchiveContentError(file, `is damaged (${error.message})`))
    );
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

/** The name that will be written, once it passed every check. */
function checkedName(file: string, entry: Entry, seen: Map<string, string>): string {
  const { header, written } = entryNames(entry);
  for (const name of new Set([header, written])) {
    const unsafe = unsafeReason(name, entry.externalFileAttributes);
    if (unsafe) throw new UnsafeArchiveEntryError(file, name, unsafe);
  }
  const key = collisionKey(written);
  const earlier = seen.get(key);
  if (earlier !== undefined) {
    const as =
      earlier === written ? '' : ` (as ${JSON.stringify(earlier)} and ${JSON.stringify(written)})`;
    throw new UnsafeArchiveEntryError(file, written, `appears more than once${as}`);
  }
  seen.set(key, written);
  return written;
}

async function writeEntry(
  zip: ZipFile,
  entry: Entry,
  name: string,
  target: string,
  file: string,
): Promise<number> {
  const source = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) =>
      err
        ? reject(new ArchiveContentError(file, `entry ${JSON.stringify(name)}: ${err.message}`))
        : resolve(stream),
    ),
  );
  const counter = new ByteBound(
    entry.uncompressedSize,
    () =>
      new UnsafeArchiveEntryError(
        file,
        name,
        `inflates past the ${entry.uncompressedSize} bytes the archive declares for it (a zip bomb)`,
      ),
  );
  try {
    await mkdir(path.dirname(target), { recursive: true });
    // 'wx': never through an existing file (or a link an earlier entry could not have made).
    await pipeline(source, counter, createWriteStream(target, { flags: 'wx' }));
  } catch (error) {
    (source as Readable).destroy(); // a no-op after pipeline, which destroys what it fails on
    if (error instanceof UnsafeArchiveEntryError) throw error;
    throw new ArchiveContentError(
      file,
      `entry ${JSON.stringify(name)} is damaged (${(error as Error).message})`,
    );
  }
  if (counter.bytes !== entry.uncompressedSize) {
    throw new ArchiveContentError(
      file,
      `entry ${JSON.stringify(name)} holds ${counter.bytes} bytes, not the ${entry.uncompressedSize} it declares: the archive is damaged`,
    );
  }
  return counter.bytes;
}

/** Passes bytes through and fails as soon as more than `limit` went by. */
class ByteBound extends Transform {
  bytes = 0;
  readonly #limit: number;
  readonly #error: () => Error;
  constructor(limit: number, error: () => Error) {
    super();
    this.#limit = limit;
    this.#error = error;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.#limit) return done(this.#error());
    done(null, chunk);
  }
}
