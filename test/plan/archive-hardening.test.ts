// Damaged and hostile dataset archives, through the real @actions/tool-cache download path
// against a loopback hub: each ends in a named error and leaves nothing in the tool cache.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ArchiveContentError,
  ArchiveTooLargeError,
  DatasetArchiveError,
  DatasetFormatError,
  UnsafeArchiveEntryError,
  loadBenchmark,
} from '../../src/plan/index.ts';
import { firstInvalidUtf8 } from '../../src/plan/text-file.ts';
import { extractZip } from '../../src/plan/zip-extract.ts';
import { unsafeReason } from '../../src/plan/zip-guard.ts';
import { buildLayoutFiles, startHubServer, type HubServer } from '../harness/servers/hub.ts';
import { lieAboutSize, renameEntry, unicodePathField, zip } from './zip-craft.ts';
import { useScratchRunner } from './scratch-runner.ts';

const REPO = 'yuangpeng/dreambench_plus';
const scratch = useScratchRunner('archive-test-');
let hub: HubServer | undefined;
let layout: Record<string, Uint8Array>;

beforeAll(async () => {
  layout = await buildLayoutFiles({ perCategory: 1 });
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

async function load(archive: Buffer, maxArchiveBytes?: number) {
  hub = await startHubServer({ files: { [`${REPO}@main/data.zip`]: archive } });
  return loadBenchmark({
    dataset: 'dreambench-plus',
    revision: 'main',
    hfEndpoint: hub.url,
    ...(maxArchiveBytes ? { maxArchiveBytes } : {}),
  }).catch((e: unknown) => e as Error);
}

/** Nothing was cached, and no extraction folder was left behind. */
function expectNothingKept(): void {
  expect(existsSync(path.join(process.env.RUNNER_TOOL_CACHE!, 'dreambench-plus'))).toBe(false);
  const temp = process.env.RUNNER_TEMP!;
  expect(existsSync(temp) ? readdirSync(temp) : []).toEqual([]);
}

describe('zip bombs', () => {
  it('refuses an entry that inflates past the size its headers declare, while extracting', async () => {
    // 64 MiB of zeros compress to ~64 KiB; the headers claim 1000 bytes, well under the bound.
    const bomb = lieAboutSize(
      zip({ ...layout, 'data/filler.bin': new Uint8Array(64 * 1024 * 1024) }),
      'data/filler.bin',
      1000,
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const error = await load(bomb, 8 * 1024 * 1024);
    expect(error).toBeInstanceOf(UnsafeArchiveEntryError);
    expect((error as UnsafeArchiveEntryError).message).toMatch(
      /entry "data\/filler.bin" inflates past the 1000 bytes the archive declares for it/,
    );
    expectNothingKept();
  });

  it('writes no byte past what the entry declares', async () => {
    const file = path.join(scratch(), 'bomb.zip');
    const dest = path.join(scratch(), 'out');
    await mkdir(dest);
    const big = zip({ 'filler.bin': new Uint8Array(16 * 1024 * 1024) });
    await writeFile(file, lieAboutSize(big, 'filler.bin', 5000));
    const error = await extractZip(file, dest, 1e9).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeArchiveEntryError);
    const written = path.join(dest, 'filler.bin');
    expect(existsSync(written) ? statSync(written).size : 0).toBeLessThanOrEqual(5000);
  });

  it('refuses an archive of more entries than allowed, before writing any', async () => {
    const file = path.join(scratch(), 'many.zip');
    const dest = path.join(scratch(), 'out');
    await mkdir(dest);
    const empties = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [`e${i}.txt`, new Uint8Array(0)]),
    );
    await writeFile(file, zip(empties));
    const error = await extractZip(file, dest, 1e9, 'many.zip', 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveContentError);
    expect((error as Error).message).toContain('holds 101 entries, more than the 100 allowed');
    expect(readdirSync(dest)).toEqual([]);
    // The bound is inclusive: 100 entries extract.
    const hundred = path.join(scratch(), 'hundred.zip');
    delete empties['e100.txt'];
    await writeFile(hundred, zip(empties));
    expect((await extractZip(hundred, dest, 1e9, 'hundred.zip', 100)).entries).toBe(100);
  });

  it('still refuses an honest archive whose declared total passes the bound, before writing', async () => {
    const big = zip({ ...layout, 'data/filler.bin': new Uint8Array(4 * 1024 * 1024) });
    const error = await load(big, 1024 * 1024);
    expect(error).toBeInstanceOf(ArchiveTooLargeError);
    expect((error as ArchiveTooLargeError).declaredBytes).toBeGreaterThan(4 * 1024 * 1024);
    expectNothingKept();
  });
});

describe('entry names', () => {
  const SYMLINK = 0o120777 << 16; // the Unix mode of a link, as external attributes carry it
  it.each([
    ['data/images/object/00.jpg', 0, null],
    ['data/images/', 0, null],
    ['data\\images\\x.jpg', 0, 'contains a backslash'],
    ['/etc/passwd', 0, 'is an absolute path'],
    ['C:/x.txt', 0, 'is an absolute path'],
    ['data/../../x.txt', 0, 'escapes the extraction folder with ".."'],
    ['data/x\0.txt', 0, 'contains a NUL byte'],
    ['data//x.txt', 0, 'has an empty path segment'],
    ['data/link', SYMLINK, 'is a symbolic link'],
    ['data/file.txt', 0o100644 << 16, null],
  ])('%s (attributes %o): %s', (name, attributes, reason) => {
    expect(unsafeReason(name, attributes >>> 0)).toBe(reason);
  });

  it('checks the name an Info-ZIP Unicode Path extra field gives, which is the one written', async () => {
    const archive = zip({
      ...layout,
      'data/notes.txt': [
        new TextEncoder().encode('x'),
        { extra: { 0x7075: unicodePathField('data/notes.txt', '../../escape.txt') } },
      ],
    });
    const error = await load(archive);
    expect(error).toBeInstanceOf(UnsafeArchiveEntryError);
    expect((error as UnsafeArchiveEntryError).entry).toBe('../../escape.txt');
    expect(existsSync(path.join(scratch(), 'escape.txt'))).toBe(false);
    expectNothingKept();
  });

  it('refuses a duplicate entry, naming it', async () => {
    const caption = 'data/captions/object/00.txt';
    const archive = renameEntry(
      zip({ ...layout, 'data/captions/object/0X.txt': new TextEncoder().encode('other') }),
      'data/captions/object/0X.txt',
      caption,
    );
    const error = await load(archive);
    expect(error).toBeInstanceOf(UnsafeArchiveEntryError);
    expect((error as UnsafeArchiveEntryError).entry).toBe(caption);
    expect((error as Error).message).toContain('appears more than once');
    expectNothingKept();
  });
});

describe('what came back is not a dataset archive', () => {
  it('names the dataset, the URL and the bytes when a 200 answer is not a zip', async () => {
    const page = Buffer.from('<!DOCTYPE html><html><body>Hub maintenance</body></html>');
    const error = await load(page);
    expect(error).toBeInstanceOf(DatasetArchiveError);
    const commit = hub!.commitOf(`${REPO}@main`)!;
    const url = `${hub!.url}/datasets/${REPO}/resolve/${commit}/data.zip`;
    expect((error as Error).message).toBe(
      `dataset "dreambench-plus": ${url} returned ${page.length} bytes that are not a zip archive, ` +
        'beginning "<!DOCTYPE html><html><body>Hub maintenance</body></html>"',
    );
    expectNothingKept();
  });

  it('says so for an empty zip', async () => {
    const error = await load(zip({}));
    expect(error).toBeInstanceOf(DatasetArchiveError);
    expect((error as Error).message).toMatch(
      /^dataset "dreambench-plus": http:\/\/127\.0\.0\.1:\d+\/datasets\/yuangpeng\/dreambench_plus\/resolve\/[0-9a-f]{40}\/data\.zip returned a zip archive with no files \(22 bytes\)$/,
    );
    expectNothingKept();
  });
});

describe('caption encoding', () => {
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
  it.each([
    ['ascii', Buffer.from('plain'), undefined],
    ['utf-8 accents and a literal U+FFFD', Buffer.from('Café \ufffd ok', 'utf8'), undefined],
    ['latin-1', Buffer.from('Café x', 'latin1'), 3],
    ['a cut sequence at the end', Buffer.from([0x61, 0x62, 0xe2, 0x82]), 2],
    ['an overlong slash', Buffer.from([0x61, 0xc0, 0xaf]), 1],
    // A byte order mark is three bytes of the file too (parseCaption drops it).
    ['a BOM, then latin-1', Buffer.concat([BOM, Buffer.from('Café x', 'latin1')]), 6],
    ['a BOM and a literal U+FFFD', Buffer.from('\ufeffab\ufffd', 'utf8'), undefined],
  ])('finds the first invalid byte: %s', (_, bytes, offset) => {
    expect(firstInvalidUtf8(bytes)).toBe(offset);
  });

  it('refuses a caption that is not UTF-8, naming the file and the byte', async () => {
    const caption = 'data/captions/object/00.txt';
    const latin1 = Buffer.from(
      `Caf\u00e9 Teapot\n${Array.from({ length: 9 }, (_, i) => `p${i}`).join('\n')}\n`,
      'latin1',
    );
    const error = await load(zip({ ...layout, [caption]: latin1 }));
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as DatasetFormatError).file.endsWith(caption)).toBe(true);
    expect((error as Error).message).toContain('is not UTF-8 text (byte 0xe9 at offset 3)');
  });
});
