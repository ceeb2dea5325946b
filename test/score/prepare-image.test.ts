import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { skipAllIf, withoutPhotos } from '../harness/skip.ts';
import { ImagePrepareError } from '../../src/score/errors.ts';
import {
  limitConcurrency,
  PreparedImageMemo,
  prepareImage,
  spillTo,
  toDataUrl,
} from '../../src/score/prepare-image.ts';
import { tempDir } from './helpers.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const photos = path.resolve(repoRoot, '../shared/data/dreambooth');

async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 12);

describe('prepareImage', () => {
  it('fits a wide image into the square with white padding, keeping its proportions', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'wide.png');
    await sharp({
      create: { width: 200, height: 100, channels: 3, background: { r: 200, g: 0, b: 0 } },
    })
      .png()
      .toFile(file);
    const out = await prepareImage(file, 64);
    const meta = await sharp(out.bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.space]).toEqual(['jpeg', 64, 64, 'srgb']);
    expect(near(await pixel(out.bytes, 32, 2), [255, 255, 255])).toBe(true); // padding band
    expect(near(await pixel(out.bytes, 32, 32), [200, 0, 0])).toBe(true); // the content
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(toDataUrl(out).toString()).toBe(
      `data:image/jpeg;base64,${out.bytes.toString('base64')}`,
    );
  });

  it('flattens transparency onto white', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'alpha.png');
    await sharp({
      create: { width: 32, height: 32, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toFile(file);
    expect(near(await pixel((await prepareImage(file, 32)).bytes, 16, 16), [255, 255, 255])).toBe(
      true,
    );
  });

  it('honours EXIF orientation and strips metadata', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'rotated.jpg');
    // Stored 100 wide x 50 high, left half black; orientation 6 = display rotated 90° clockwise.
    const left = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    await sharp({ create: { width: 100, height: 50, channels: 3, background: '#fff' } })
      .composite([{ input: left, left: 0, top: 0 }])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toFile(file);
    const out = await prepareImage(file, 100);
    // Displayed upright it is 50 wide x 100 high with the black half on top; padded left/right.
    expect(near(await pixel(out.bytes, 50, 20), [0, 0, 0])).toBe(true);
    expect(near(await pixel(out.bytes, 50, 80), [255, 255, 255])).toBe(true);
    const meta = await sharp(out.bytes).metadata();
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
  });

  it('names the file it cannot read', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'corrupt.png');
    await (await import('node:fs/promises')).writeFile(file, 'not an image');
    await expect(prepareImage(file, 64)).rejects.toThrow(ImagePrepareError);
    await expect(prepareImage(file, 64)).rejects.toThrow(/corrupt\.png/);
  });

  it('memo prepares a path once per size and forgets released entries', async () => {
    let calls = 0;
    const memo = new PreparedImageMemo(async (f, s) => {
      calls += 1;
      return { bytes: Buffer.from(`${f}${s}`), sha256: 'x' };
    });
    await Promise.all([memo.get('a', 64), memo.get('a', 64), memo.get('a', 32)]);
    expect(calls).toBe(2);
    memo.release('a', 64);
    await memo.get('a', 64);
    expect(calls).toBe(3);
  });

  it('limitConcurrency runs at most `max` at once, in call order, and frees the slot on failure', async () => {
    const started: string[] = [];
    const finish = new Map<string, (ok: boolean) => void>();
    const limited = limitConcurrency(
      (file) =>
        new Promise((resolve, reject) => {
          started.push(file);
          finish.set(file, (ok) =>
            ok ? resolve({ bytes: Buffer.from(file), sha256: file }) : reject(new Error(file)),
          );
        }),
      2,
    );
    const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
    const results = ['a', 'b', 'c', 'd'].map((f) =>
      limited(f, 64).then(
        (image) => image.sha256,
        (error: Error) => `failed ${error.message}`,
      ),
    );
    await tick();
    expect(started).toEqual(['a', 'b']);
    finish.get('b')!(false); // a failure must hand its slot on too
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    finish.get('a')!(true);
    await tick();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    finish.get('c')!(true);
    finish.get('d')!(true);
    expect(await Promise.all(results)).toEqual(['a', 'failed b', 'c', 'd']);
    expect(() => limitConcurrency(async () => ({ bytes: Buffer.alloc(0), sha256: '' }), 0)).toThrow(
      /positive integer, got 0/,
    );
  });

  it('toDataUrl encodes each prepared image once and gives the same URL every time', () => {
    const image = { bytes: Buffer.from([1, 2, 3]), sha256: 'x' };
    const first = toDataUrl(image);
    image.bytes[0] = 9; // a second encode would see this change; the memo must not
    expect(toDataUrl(image)).toBe(first);
    expect(first.toString()).toBe('data:image/jpeg;base64,AQID');
  });

  it('a memo that spills keeps each image in its own file and reads it (and its URL) from there', async () => {
    const dir = path.join(await tempDir(), 'spill');
    const memo = new PreparedImageMemo(
      async (f) => ({ bytes: Buffer.from(f === 'a' ? [1, 2, 3] : [4, 5, 6]), sha256: f }),
      spillTo(dir),
    );
    const [a, b] = await Promise.all([memo.get('a', 64), memo.get('b', 64)]);
    expect([a.sha256, a.bytes]).toEqual(['a', Buffer.from([1, 2, 3])]);
    expect(toDataUrl(a).toString()).toBe('data:image/jpeg;base64,AQID');
    expect(toDataUrl(b).toString()).toBe('data:image/jpeg;base64,BAUG');
    expect(readdirSync(dir)).toHaveLength(2);
    // Nothing is held in memory: without its file, the image is gone.
    rmSync(dir, { recursive: true });
    expect(() => a.bytes).toThrow(/ENOENT/);
    expect(() => toDataUrl(b).ascii).toThrow(/ENOENT/);
  });
});

describe('real DreamBooth photographs', () => {
  skipAllIf(withoutPhotos(photos, existsSync(photos)));
  it('prepares each to a 512 JPEG deterministically', async () => {
    const subjects = readdirSync(photos, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .slice(0, 3);
    for (const subject of subjects) {
      const file = path.join(
        photos,
        subject,
        readdirSync(path.join(photos, subject)).find((n) => n.endsWith('.jpg'))!,
      );
      const [a, b] = await Promise.all([prepareImage(file, 512), prepareImage(file, 512)]);
      expect(a.sha256).toBe(b.sha256);
      const meta = await sharp(a.bytes).metadata();
      expect([meta.width, meta.height, meta.format]).toEqual([512, 512, 'jpeg']);
    }
  });
});
