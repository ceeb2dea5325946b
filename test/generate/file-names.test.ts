// Safe file names for ids that are not (artifact uploads refuse " : < > | * ?, file systems 255 bytes).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileStemOf, MAX_FILE_STEM } from '../../src/file-names.ts';
import { collectImages, outputImageOf } from '../../src/generate/index.ts';
import { selectSample } from '../../src/plan/index.ts';
import { benchmarkWith } from '../plan/sample-fixtures.ts';

describe('fileStemOf', () => {
  it('keeps an id that is a good file name as it is', () => {
    for (const id of ['object_03_teapot-p4', 'live_subject_animal_00_kitten-p0', 'A.b-c_d'])
      expect(fileStemOf(id)).toBe(id);
  });

  it.each([
    'object_odd: what? *|"<>_teapot-p0',
    `object_07_${'very_long_subject_'.repeat(16)}-p0`,
    '../../etc/passwd',
    '.hidden',
    'tab\there',
    'café-p1',
  ])('makes %j a safe, bounded, distinct name', (id) => {
    const stem = fileStemOf(id);
    expect(stem).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*-[0-9a-f]{12}$/);
    expect(stem.length).toBeLessThanOrEqual(MAX_FILE_STEM);
    expect(fileStemOf(id)).toBe(stem); // deterministic
    expect(fileStemOf(`${id}x`)).not.toBe(stem);
  });

  it('keeps ids that differ only in unsafe characters apart', () => {
    expect(fileStemOf('a:b')).not.toBe(fileStemOf('a?b'));
  });
});

describe('an odd id on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'odd-ids-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is written and found under its safe name, in the output folder and in images-dir', async () => {
    const [sample] = selectSample(benchmarkWith({ animal: 0, human: 0, object: 1, style: 0 }), {
      size: 1,
      seed: 0,
    });
    const odd = { ...sample!, id: `object_${'x'.repeat(300)}: ?-p0` };
    const file = outputImageOf(dir, odd.id);
    expect(path.basename(file)).toBe(`${fileStemOf(odd.id)}.png`);
    const png = await sharp({
      create: { width: 8, height: 8, channels: 3, background: '#808080' },
    })
      .png()
      .toBuffer();
    await writeFile(file, png);
    expect((await collectImages([odd], { outputDir: dir })).images.get(odd.id)).toBe(file);
    const imagesDir = path.join(dir, 'images');
    await mkdir(imagesDir);
    await writeFile(path.join(imagesDir, `${fileStemOf(odd.id)}.jpg`), png);
    const found = await collectImages([odd], { outputDir: dir, imagesDir });
    expect(found.failures).toEqual([]);
  });
});
