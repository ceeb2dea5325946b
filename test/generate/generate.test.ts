// Manifest, generate-command and image collection, with a real generator script (sharp PNGs).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import { crc32, deflateSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withoutPhotos } from '../harness/skip.ts';
import {
  GenerateCancelledError,
  GenerateCommandError,
  collectImages,
  runGenerateCommand,
  shellQuote,
  writeManifest,
} from '../../src/generate/index.ts';
import { selectSample } from '../../src/plan/index.ts';
import { benchmarkWith } from '../plan/sample-fixtures.ts';
import { alive } from '../harness/processes.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const generator = path.join(repoRoot, 'test/fixtures/fake-generator.ts');
const dreambooth = path.resolve(repoRoot, '../shared/data/dreambooth');
const samples = selectSample(benchmarkWith({ animal: 2, human: 2, object: 2, style: 2 }), {
  size: 12,
  seed: 5,
});

let dir: string;
let outputDir: string;
let manifest: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gen test '));
  outputDir = path.join(dir, "out 'dir'");
  manifest = path.join(dir, 'manifest.jsonl');
  await writeManifest(samples, outputDir, manifest);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (
  command: string,
  extra: Record<string, string> = {},
  signal?: AbortSignal,
  output: string[] = [],
  drainGraceMs?: number,
) =>
  runGenerateCommand({
    command,
    manifestPath: manifest,
    outputDir,
    cwd: dir,
    env: { ...process.env, ...extra },
    signal,
    onOutput: (t) => output.push(t),
    drainGraceMs,
  });

describe('writeManifest', () => {
  it('writes the contract fields in order, with absolute output paths', async () => {
    const lines = (await readFile(manifest, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(12);
    const first = lines[0];
    expect(Object.keys(first)).toEqual([
      'id',
      'concept',
      'category',
      'subject',
      'prompt_index',
      'prompt_class',
      'prompt',
      'reference_images',
      'output_image',
      'seed',
    ]);
    const s = samples[0]!;
    expect(first).toEqual({
      id: s.id,
      concept: s.concept,
      category: s.category,
      subject: s.subject,
      prompt_index: s.promptIndex,
      prompt_class: s.promptClass,
      prompt: s.prompt,
      reference_images: s.referenceImages,
      output_image: path.join(outputDir, `${s.id}.png`),
      seed: s.seed,
    });
    expect(existsSync(outputDir)).toBe(true);
  });
});

describe('runGenerateCommand and collectImages', () => {
  it('substitutes quoted paths, sets the env, and reports exactly the 4 bad images', async () => {
    const outside = path.join(dir, 'elsewhere');
    await mkdir(outside);
    const ids = samples.map((s) => s.id);
    const output: string[] = [];
    await run(
      `test "$DREAMBENCH_OUTPUT_DIR" = {output_dir} && node ${shellQuote(generator)} {manifest}`,
      {
        GEN_SKIP: `${ids[0]},${ids[1]}`,
        GEN_CORRUPT: ids[2]!,
        GEN_OUTSIDE: ids[3]!,
        GEN_OUTSIDE_DIR: outside,
      },
      undefined,
      output,
    );
    expect(output.join('')).toContain('generated 10 images');
    const { images, failures } = await collectImages(samples, { outputDir });
    expect(failures.map((f) => [f.id, f.kind])).toEqual([
      [ids[0], 'missing'],
      [ids[1], 'missing'],
      [ids[2], 'corrupt'],
      [ids[3], 'outside-output-dir'],
    ]);
    expect(failures.every((f) => f.stage === 'generate' && f.reason.length > 0)).toBe(true);
    expect([...images.keys()]).toEqual(ids.slice(4));
    expect(images.get(ids[4]!)).toBe(path.join(outputDir, `${ids[4]}.png`));
  });

  it('fails a non-zero exit with the code and the last 30 lines', async () => {
    const error = await run(`node ${shellQuote(generator)}`, { GEN_FAIL_LINES: '45' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(GenerateCommandError);
    expect(error.exitCode).toBe(3);
    expect(error.lastLines).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 16}`));
    expect(error.message).toContain('exited with code 3');
  });

  it('kills the whole process group on cancel', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const controller = new AbortController();
    const running = run(
      `sleep 300 & echo $! > ${shellQuote(pidFile)}; echo started; wait`,
      {},
      controller.signal,
      [],
    );
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(GenerateCancelledError);
    await waitFor(() => !alive(pid));
    expect(alive(pid)).toBe(false);
  });
});

describe('runGenerateCommand: background processes', () => {
  // Each case leaves `sleep 300` holding the output pipes; before the fix the step waited for it.
  const leftover = (pidFile: string, exit: number) =>
    `sleep 300 & echo $! > ${shellQuote(pidFile)}; echo started; echo done >&2; exit ${exit}`;

  it('returns when the shell exits, keeps its output, and terminates what it left behind', async () => {
    const pidFile = path.join(dir, 'bg.pid');
    const output: string[] = [];
    await run(leftover(pidFile, 0), {}, undefined, output, 50);
    expect(output.join('')).toContain('started');
    expect(output.join('')).toContain('done');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !alive(pid));
    expect(alive(pid)).toBe(false);
  }, 20_000);

  it('still reports a non-zero exit with its last lines when a leftover holds the output', async () => {
    const pidFile = path.join(dir, 'bg.pid');
    const error = await run(leftover(pidFile, 4), {}, undefined, [], 50).catch((e) => e);
    expect(error).toBeInstanceOf(GenerateCommandError);
    expect(error.exitCode).toBe(4);
    expect(error.lastLines).toEqual(expect.arrayContaining(['started', 'done']));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !alive(pid));
    expect(alive(pid)).toBe(false);
  }, 20_000);
});

describe('collectImages checks', () => {
  it('finds images by id and extension in images-dir, and rejects empty, unknown and too-large images', async () => {
    const imagesDir = path.join(dir, 'images');
    await mkdir(imagesDir);
    const [a, b, c, d, e] = samples;
    const small = { create: { width: 8, height: 8, channels: 3 as const, background: '#808080' } };
    await writeFile(path.join(imagesDir, `${a!.id}.jpg`), await sharp(small).jpeg().toBuffer());
    await writeFile(path.join(imagesDir, `${b!.id}.webp`), await sharp(small).webp().toBuffer());
    await writeFile(path.join(imagesDir, `${c!.id}.png`), '');
    await writeFile(path.join(imagesDir, `${d!.id}.png`), 'GIF89a not supported');
    // A PNG header announcing 8000x7000 = 56 MP: refused before any pixel is decoded
    await writeFile(path.join(imagesDir, `${e!.id}.png`), pngHeader(8000, 7000));
    const { images, failures } = await collectImages(samples.slice(0, 6), { outputDir, imagesDir });
    expect([...images.keys()]).toEqual([a!.id, b!.id]);
    expect(failures.map((f) => f.kind)).toEqual([
      'empty',
      'unsupported-format',
      'too-large',
      'missing',
    ]);
    expect(failures[2]!.reason).toContain('8000x7000');
  });
});

describe('collectImages: I/O errors, ambiguity, extension case, decode strictness', () => {
  const small = { create: { width: 8, height: 8, channels: 3 as const, background: '#808080' } };
  let imagesDir: string;
  beforeEach(async () => {
    imagesDir = path.join(dir, 'images');
    await mkdir(imagesDir);
  });

  it('turns an I/O error on one image into that sample\'s "unreadable" failure', async () => {
    const [a, b] = samples;
    await symlink(`${a!.id}.png`, path.join(imagesDir, `${a!.id}.png`)); // ELOOP on every read
    await writeFile(path.join(imagesDir, `${b!.id}.png`), await sharp(small).png().toBuffer());
    const { images, failures } = await collectImages([a!, b!], { outputDir, imagesDir });
    expect(failures.map((f) => [f.id, f.kind])).toEqual([[a!.id, 'unreadable']]);
    expect(failures[0]!.reason).toContain('ELOOP');
    expect([...images.keys()]).toEqual([b!.id]);
    // the same in the output folder the manifest points into
    await symlink(`${a!.id}.png`, path.join(outputDir, `${a!.id}.png`));
    const out = await collectImages([a!], { outputDir });
    expect(out.failures.map((f) => f.kind)).toEqual(['unreadable']);
  });

  it('turns EACCES on open into "unreadable" (needs a non-root user)', async ({ skip }) => {
    skip(process.getuid?.() === 0, 'root reads a file whatever its mode, so EACCES cannot happen');
    const [a, b] = samples;
    const locked = path.join(imagesDir, `${a!.id}.png`);
    await writeFile(locked, await sharp(small).png().toBuffer());
    await chmod(locked, 0o000);
    await writeFile(path.join(imagesDir, `${b!.id}.png`), await sharp(small).png().toBuffer());
    const { images, failures } = await collectImages([a!, b!], { outputDir, imagesDir });
    expect(failures.map((f) => [f.id, f.kind])).toEqual([[a!.id, 'unreadable']]);
    expect(failures[0]!.reason).toContain('EACCES');
    expect([...images.keys()]).toEqual([b!.id]);
  });

  it('fails an id with two candidate images as "ambiguous", naming both', async () => {
    const [a, b] = samples;
    const png = path.join(imagesDir, `${a!.id}.png`);
    const jpg = path.join(imagesDir, `${a!.id}.jpg`);
    await writeFile(png, await sharp(small).png().toBuffer());
    await writeFile(jpg, await sharp(small).jpeg().toBuffer());
    await writeFile(path.join(imagesDir, `${b!.id}.jpeg`), await sharp(small).jpeg().toBuffer());
    await writeFile(path.join(imagesDir, `${b!.id}.JPG`), await sharp(small).jpeg().toBuffer());
    const { images, failures } = await collectImages([a!, b!], { outputDir, imagesDir });
    expect(images.size).toBe(0);
    expect(failures.map((f) => [f.id, f.kind])).toEqual([
      [a!.id, 'ambiguous'],
      [b!.id, 'ambiguous'],
    ]);
    expect(failures[0]!.reason).toContain(png);
    expect(failures[0]!.reason).toContain(jpg);
  });

  it('matches the extension in any case', async () => {
    const [a, b, c] = samples;
    await writeFile(path.join(imagesDir, `${a!.id}.PNG`), await sharp(small).png().toBuffer());
    await writeFile(path.join(imagesDir, `${b!.id}.JpEg`), await sharp(small).jpeg().toBuffer());
    await writeFile(path.join(imagesDir, `${c!.id}.gif`), await sharp(small).png().toBuffer());
    const { images, failures } = await collectImages([a!, b!, c!], { outputDir, imagesDir });
    expect(images.get(a!.id)).toBe(path.join(imagesDir, `${a!.id}.PNG`));
    expect(images.get(b!.id)).toBe(path.join(imagesDir, `${b!.id}.JpEg`));
    expect(failures.map((f) => [f.id, f.kind])).toEqual([[c!.id, 'missing']]);
  });

  it('decodes as strictly as the judge: a PNG with a bad checksum is corrupt', async () => {
    const [a, b] = samples;
    const png = await sharp(small).png().toBuffer();
    const idat = png.indexOf(Buffer.from('IDAT'));
    const bad = Buffer.from(png);
    bad[idat + 4 + png.readUInt32BE(idat - 4) + 3]! ^= 0xff; // last byte of the IDAT CRC
    await writeFile(path.join(imagesDir, `${a!.id}.png`), bad);
    await writeFile(path.join(imagesDir, `${b!.id}.png`), png);
    const { images, failures } = await collectImages([a!, b!], { outputDir, imagesDir });
    expect(failures.map((f) => [f.id, f.kind])).toEqual([[a!.id, 'corrupt']]);
    expect([...images.keys()]).toEqual([b!.id]);
  });

  it('accepts real photographs (DreamBooth JPEGs)', async ({ skip }) => {
    skip(!existsSync(dreambooth), withoutPhotos(dreambooth, false));
    const subjects = readdirSync(dreambooth, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .slice(0, 6);
    const chosen = samples.slice(0, subjects.length);
    await Promise.all(
      chosen.map(async (s, i) => {
        const folder = path.join(dreambooth, subjects[i]!);
        const photo = readdirSync(folder).find((f) => f.toLowerCase().endsWith('.jpg'))!;
        await copyFile(path.join(folder, photo), path.join(imagesDir, `${s.id}.jpg`));
      }),
    );
    const { images, failures } = await collectImages(chosen, { outputDir, imagesDir });
    expect(failures).toEqual([]);
    expect(images.size).toBe(chosen.length);
  });
});

function pngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const rows = deflateSync(Buffer.alloc((width + 1) * 2)); // two rows of pixels; the rest is absent
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}
