// Local folders in the DreamBench++ layout, the DreamBooth set from ../shared, and bad data.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { skipAllIf, withoutPhotos } from '../harness/skip.ts';
import {
  DatasetFormatError,
  UnknownDatasetError,
  loadBenchmark,
  loadLocalFolder,
  selectSample,
} from '../../src/plan/index.ts';
import { parsePromptsAndClasses, renderTemplate } from '../../src/plan/dreambooth.ts';
import { buildLayoutFiles, writeTree } from '../harness/servers/hub.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dreamboothDir = path.resolve(repoRoot, '../shared/data/dreambooth');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'local-ds-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('local DreamBench++-layout folder', () => {
  it('loads with or without the data/ prefix, with a content hash that tracks bytes and names', async () => {
    const files = await buildLayoutFiles({ perCategory: 2, prefix: '' });
    await writeTree(path.join(dir, 'bare'), files);
    await writeTree(path.join(dir, 'nested', 'data'), files);
    const bare = await loadBenchmark({ dataset: 'bare', revision: 'main', workspace: dir });
    const nested = await loadLocalFolder(path.join(dir, 'nested'));
    expect(bare.name).toBe('local');
    expect(bare.concepts.length).toBe(8);
    expect(nested.sha256).toBe(bare.sha256);
    expect(bare.concepts.map((c) => c.category)).toEqual([
      'animal',
      'animal',
      'human',
      'human',
      'object',
      'object',
      'style',
      'style',
    ]);
    await writeFile(
      path.join(dir, 'bare', 'captions', 'object', '01.txt'),
      `Red Teapot 1\n${'p\n'.repeat(9)}`,
    );
    expect((await loadLocalFolder(path.join(dir, 'bare'))).sha256).not.toBe(bare.sha256);
  });

  it("keeps upstream's collection ids beside our slugs: hyphens stay, as in its released ratings", async () => {
    const caption = (subject: string) => Buffer.from(`${subject}\n${'a prompt\n'.repeat(9)}`);
    const files = await buildLayoutFiles({ perCategory: 1, prefix: '' });
    files['captions/live_subject/animal/00.txt'] = caption('Cotton-top tamarin');
    files['captions/live_subject/human/00.txt'] = caption('Spider-Man');
    files['captions/style/00.txt'] = caption('Ukiyo-e');
    await writeTree(dir, files);
    const b = await loadLocalFolder(dir);
    expect(b.concepts.map((c) => [c.id, c.upstreamId])).toEqual([
      ['live_subject_animal_00_cotton_top_tamarin', 'live_subject_animal_00_cotton-top_tamarin'],
      ['live_subject_human_00_spider_man', 'live_subject_human_00_spider-man'],
      ['object_00_red_teapot_0', 'object_00_red_teapot_0'],
      ['style_00_ukiyo_e', 'style_00_ukiyo-e'],
    ]);
    const keys = selectSample(b, { size: 'all', seed: 0 }).map((s) => s.upstreamKey);
    expect(keys).toContain('live_subject_animal_00_cotton-top_tamarin-0');
    expect(keys).toContain('live_subject_human_00_spider-man-8');
    expect(keys).toContain('style_00_ukiyo-e-4');
  });

  it('names the caption that lacks 9 prompts', async () => {
    await writeTree(dir, await buildLayoutFiles({ perCategory: 1, prefix: '' }));
    const caption = path.join(dir, 'captions', 'style', '00.txt');
    await writeFile(caption, 'Ink Wash\none\ntwo\nthree\n');
    const error = await loadLocalFolder(dir).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect(error.file).toBe(caption);
    expect(error.message).toContain('needs exactly 9 non-empty prompt lines');
  });

  it('names an image that does not decode', async () => {
    await writeTree(dir, await buildLayoutFiles({ perCategory: 1, prefix: '' }));
    const image = path.join(dir, 'images', 'object', '00.jpg');
    await writeFile(image, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]));
    const error = await loadLocalFolder(dir).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect(error.file).toBe(image);
    await writeFile(image, 'not an image at all');
    expect((await loadLocalFolder(dir).catch((e) => e)).message).toContain(
      'is not a PNG, JPEG or WebP',
    );
  });

  it('names an image without caption and a caption without image', async () => {
    await writeTree(dir, await buildLayoutFiles({ perCategory: 1, prefix: '' }));
    const caption = path.join(dir, 'captions', 'live_subject', 'human', '00.txt');
    await unlink(path.join(dir, 'images', 'live_subject', 'human', '00.jpg'));
    const orphanCaption = await loadLocalFolder(dir).catch((e) => e);
    expect(orphanCaption.file).toBe(caption);
    expect(orphanCaption.message).toContain('has no image');
    await unlink(caption);
    await unlink(path.join(dir, 'captions', 'object', '00.txt'));
    const orphanImage = await loadLocalFolder(dir).catch((e) => e);
    expect(orphanImage.file).toBe(path.join(dir, 'images', 'object', '00.jpg'));
    expect(orphanImage.message).toContain('has no caption');
  });

  it('rejects an unknown dataset name that is no folder', async () => {
    const error = await loadBenchmark({
      dataset: 'dreambench-pluss',
      revision: 'main',
      workspace: dir,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UnknownDatasetError);
    expect(error.message).toContain('"dreambench-pluss"');
  });
});

describe('DreamBooth prompts', () => {
  it('renders the class-noun wording without the unique token', () => {
    expect(renderTemplate('a {0} {1} in the jungle', 'dog')).toBe('a dog in the jungle');
    expect(renderTemplate('a cube shaped {0} {1}', 'stuffed animal')).toBe(
      'a cube shaped stuffed animal',
    );
  });

  it('refuses a prompts file with a missing template', () => {
    const text =
      "subject_name,class\ndog,dog\n\nObject Prompts\n'a {0} {1}'.format(unique_token, class_token),\nLive Subject Prompts\n";
    expect(() => parsePromptsAndClasses(text, 'p.txt')).toThrow(
      'has 1 object prompt templates, expected 25',
    );
  });
});

describe('the DreamBooth set (../shared/data/dreambooth)', () => {
  skipAllIf(withoutPhotos(dreamboothDir, existsSync(dreamboothDir)));
  it('loads 30 concepts x 25 prompts = 750 samples, live subjects as animals', async () => {
    const benchmark = await loadBenchmark({ dataset: dreamboothDir, revision: 'main' });
    expect(benchmark.concepts.length).toBe(30);
    const all = selectSample(benchmark, { size: 'all', seed: 0 });
    expect(all.length).toBe(750);
    const animals = benchmark.concepts.filter((c) => c.category === 'animal');
    expect(animals.map((c) => c.id)).toContain('live_subject_animal_00_cat');
    expect(animals.length).toBe(9);
    const dog = benchmark.concepts.find((c) => c.id.endsWith('_dog2'))!;
    expect(dog.prompts[11]!.text).toBe('a dog wearing a santa hat');
    expect(dog.prompts[24]).toEqual({
      index: 24,
      promptClass: 'imaginative',
      text: 'a cube shaped dog',
    });
    const teapot = benchmark.concepts.find((c) => c.id.endsWith('_teapot'))!;
    expect(teapot.category).toBe('object');
    expect(teapot.prompts[11]!.text).toBe(
      'a teapot with a tree and autumn leaves in the background',
    );
    expect(teapot.referenceImages[0]).toBe(path.join(dreamboothDir, 'teapot', '00.jpg'));
    // DreamBooth's own name for a subject is its folder.
    expect(dog.upstreamId).toBe('dog2');
    const sample = all.find((s) => s.concept === dog.id && s.promptIndex === 11)!;
    expect(sample.upstreamKey).toBe('dog2-11');
  });
});
