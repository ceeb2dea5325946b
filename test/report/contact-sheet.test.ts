import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipAllIf, withoutPhotos } from '../harness/skip.ts';
import { ContactSheetImageError, ContactSheetOptionError } from '../../src/report/errors.ts';
import { UNREADABLE_CELL } from '../../src/report/contact-sheet.ts';
import { buildContactSheet, contactSheetLayout } from '../../src/report/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const photos = path.resolve(repoRoot, '../shared/data/dreambooth');

type Rgb = [number, number, number];
const RED: Rgb = [220, 30, 30];
const GREEN: Rgb = [30, 200, 60];
const BLUE: Rgb = [30, 60, 220];
const YELLOW: Rgb = [240, 220, 20];

const dir = mkdtempSync(path.join(tmpdir(), 'contact-sheet-'));
const file = (name: string) => path.join(dir, name);

async function solid(name: string, width: number, height: number, [r, g, b]: Rgb) {
  await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toFile(file(name));
}

async function decode(buf: Buffer) {
  const { data, info } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): Rgb => {
    const o = (y * info.width + x) * info.channels;
    return [data[o]!, data[o + 1]!, data[o + 2]!];
  };
  return { info, at };
}

function near(actual: Rgb, expected: Rgb, tolerance = 6) {
  expect(
    actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance),
    `${actual} ≈ ${expected}`,
  ).toBe(true);
}

beforeAll(async () => {
  await solid('wide-red.png', 200, 100, RED);
  await solid('green.png', 80, 80, GREEN);
  await solid('tall-blue.png', 100, 200, BLUE);
  await solid('yellow.png', 50, 50, YELLOW);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('contactSheetLayout', () => {
  it('places a header strip, then per row a label strip and the cells', () => {
    const l = contactSheetLayout(2, true, 64);
    expect([l.width, l.height, l.gap, l.labelHeight]).toEqual([208, 188, 4, 16]);
    expect(l.cellAt(0, 0)).toEqual({ left: 4, top: 36 });
    expect(l.cellAt(1, 2)).toEqual({ left: 140, top: 120 });
    expect(contactSheetLayout(1, false, 64).columns).toEqual(['reference', 'PR']);
  });
});

describe('buildContactSheet on generated images', () => {
  const rows = [
    {
      id: 'a',
      label: 'object_03_teapot-p4 <b>&amp; "CP 3 → 1"',
      reference: file('wide-red.png'),
      baseline: file('green.png'),
      pr: file('tall-blue.png'),
    },
    { id: 'b', label: 'second', reference: file('yellow.png'), pr: file('green.png') },
  ];

  it('puts each image, letterboxed on white, in its cell', async () => {
    const sheet = await buildContactSheet(rows, { cell: 64, format: 'png' });
    const { info, at } = await decode(sheet);
    const l = contactSheetLayout(2, true, 64);
    expect([info.format, info.width, info.height]).toEqual(['raw', l.width, l.height]);
    const centre = (r: number, c: number): [number, number] => [
      l.cellAt(r, c).left + 32,
      l.cellAt(r, c).top + 32,
    ];
    near(at(...centre(0, 0)), RED);
    near(at(...centre(0, 1)), GREEN);
    near(at(...centre(0, 2)), BLUE);
    near(at(...centre(1, 0)), YELLOW);
    near(at(...centre(1, 2)), GREEN);
    // Row b has no baseline: the cell is the empty grey, not an image or white.
    near(at(...centre(1, 1)), [230, 230, 230]);
    // The wide image is letterboxed: white bands above and below, red across the middle.
    const ref = l.cellAt(0, 0);
    near(at(ref.left + 32, ref.top + 3), [255, 255, 255]);
    near(at(ref.left + 2, ref.top + 32), RED);
    // The tall image is pillarboxed: white at the sides.
    const pr = l.cellAt(0, 2);
    near(at(pr.left + 3, pr.top + 32), [255, 255, 255]);
    near(at(pr.left + 32, pr.top + 2), BLUE);
  });

  async function darkPixelsInLabel(labels: 'auto' | 'svg' | 'none') {
    const sheet = await buildContactSheet(rows, { cell: 64, format: 'png', labels });
    const { at } = await decode(sheet);
    const l = contactSheetLayout(2, true, 64);
    const { left, top } = l.labelAt(0);
    let dark = 0;
    for (let y = top; y < top + l.labelHeight; y++)
      for (let x = left; x < l.width - l.gap; x++) if (at(x, y)[0] < 128) dark++;
    return dark;
  }

  it('draws the row label (markup characters escaped) in the strip above the row', async () => {
    expect(await darkPixelsInLabel('auto')).toBeGreaterThan(20);
    expect(await darkPixelsInLabel('svg')).toBeGreaterThan(20);
    expect(await darkPixelsInLabel('none')).toBe(0);
  });

  it('defaults to JPEG and uses two columns when no row has a baseline', async () => {
    const sheet = await buildContactSheet(
      [{ id: 'c', label: 'c', reference: file('yellow.png'), pr: file('tall-blue.png') }],
      { cell: 32 },
    );
    const meta = await sharp(sheet).metadata();
    const l = contactSheetLayout(1, false, 32);
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', l.width, l.height]);
  });

  it('draws an unreadable image as a placeholder and names its row, column and file', async () => {
    const missing = file('nope.png');
    const corrupt = file('corrupt.jpg');
    writeFileSync(corrupt, 'not a jpeg');
    const unreadable: ContactSheetImageError[] = [];
    const sheet = await buildContactSheet(
      [
        { id: 'x-p1', label: 'x', reference: file('green.png'), baseline: corrupt, pr: missing },
        { id: 'y-p2', label: 'y', reference: file('yellow.png'), pr: file('green.png') },
      ],
      { cell: 64, format: 'png', onUnreadable: (e) => unreadable.push(e) },
    );
    expect(unreadable.map((e) => [e.rowId, e.column, e.file])).toEqual([
      ['x-p1', 'baseline', corrupt],
      ['x-p1', 'PR', missing],
    ]);
    expect(unreadable[0]).toBeInstanceOf(ContactSheetImageError);
    const { at } = await decode(sheet);
    const l = contactSheetLayout(2, true, 64);
    const offCross = (r: number, c: number): [number, number] => [
      l.cellAt(r, c).left + 32,
      l.cellAt(r, c).top + 12,
    ];
    const pale: Rgb = [UNREADABLE_CELL.r, UNREADABLE_CELL.g, UNREADABLE_CELL.b];
    near(at(...offCross(0, 1)), pale);
    near(at(...offCross(0, 2)), pale);
    near(at(...offCross(0, 0)), GREEN);
    near(at(...offCross(1, 2)), GREEN);
    // Through the centre runs the cross, dark on the pale cell.
    const centre = at(l.cellAt(0, 2).left + 32, l.cellAt(0, 2).top + 32);
    expect(centre[0]).toBeLessThan(180);
  });

  it('gives a row with a caption (its prompt) a second label line', async () => {
    const captioned = [
      { ...rows[0]!, caption: 'a photo of the teapot on a <beach>' },
      { ...rows[1]!, caption: '' },
    ];
    const sheet = await buildContactSheet(captioned, { cell: 64, format: 'png', labels: 'svg' });
    const { info, at } = await decode(sheet);
    const l = contactSheetLayout(2, true, 64, 2);
    expect([info.width, info.height]).toEqual([l.width, l.height]);
    expect(l.height).toBe(contactSheetLayout(2, true, 64).height + 2 * l.labelHeight);
    const darkIn = (row: number, line: number) => {
      const { left, top } = l.labelAt(row, line);
      let dark = 0;
      for (let y = top; y < top + l.labelHeight; y++)
        for (let x = left; x < l.width - l.gap; x++) if (at(x, y)[0] < 128) dark++;
      return dark;
    };
    expect(darkIn(0, 0)).toBeGreaterThan(20);
    expect(darkIn(0, 1)).toBeGreaterThan(20);
    expect(darkIn(1, 1)).toBe(0);
  });

  it('rejects a cell size out of range and an empty row list', async () => {
    await expect(buildContactSheet(rows, { cell: 4 })).rejects.toBeInstanceOf(
      ContactSheetOptionError,
    );
    await expect(buildContactSheet([], { cell: 64 })).rejects.toThrow(/rows/);
  });
});

const photoSubjects = existsSync(photos)
  ? readdirSync(photos, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => path.join(photos, d.name, '00.jpg'))
      .filter((p) => existsSync(p))
  : [];

describe('buildContactSheet on real photographs', () => {
  skipAllIf(withoutPhotos(photos, photoSubjects.length >= 3));
  it('renders each photo letterboxed into its cell', async () => {
    const [a, b, c] = photoSubjects as [string, string, string];
    const sheet = await buildContactSheet(
      [{ id: 'p', label: path.basename(path.dirname(a)), reference: a, baseline: b, pr: c }],
      { cell: 128, format: 'png' },
    );
    const { info, at } = await decode(sheet);
    const l = contactSheetLayout(1, true, 128);
    expect([info.width, info.height]).toEqual([l.width, l.height]);
    for (const [col, photo] of [a, b, c].entries()) {
      const expected = await sharp(photo)
        .autoOrient()
        .resize(128, 128, { fit: 'contain', background: '#fff' })
        .flatten({ background: '#fff' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const { left, top } = l.cellAt(0, col);
      let diff = 0;
      for (let y = 0; y < 128; y += 8)
        for (let x = 0; x < 128; x += 8) {
          const o = (y * 128 + x) * expected.info.channels;
          const got = at(left + x, top + y);
          diff +=
            Math.abs(got[0] - expected.data[o]!) +
            Math.abs(got[1] - expected.data[o + 1]!) +
            Math.abs(got[2] - expected.data[o + 2]!);
        }
      expect(diff / (16 * 16 * 3)).toBeLessThan(3);
    }
  });
});
