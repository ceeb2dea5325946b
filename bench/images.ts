// Image preparation throughput on the real DreamBooth photographs, with sharp's native build and
// with its WebAssembly build (forced in a child process by hiding the native package).
//   node bench/images.ts            both, compared
//   node bench/images.ts --one      this process only (used for the child)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { prepareImage } from '../src/score/prepare-image.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const photos = path.resolve(repoRoot, '../shared/data/dreambooth');
const SIZE = 512;
const LIMIT = Number(process.env['BENCH_IMAGES'] ?? 60);

/**
 * Hides `@img/sharp-linux-x64` (and its libvips) from the resolver, so sharp's loader falls
 * through to `@img/sharp-wasm32`. Uses Node's synchronous `module.registerHooks`, which also
 * governs `require()` (sharp loads its binding with `createRequire`).
 */
const HIDE_NATIVE = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
registerHooks({ resolve(specifier, context, next) {
  if (/^@img\\/sharp-(libvips-)?linux/.test(specifier)) {
    throw Object.assign(new Error('hidden by bench/images.ts: ' + specifier), { code: 'MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
} });`)}`;

function photoFiles(): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(photos, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const name of readdirSync(path.join(photos, entry.name)).sort()) {
      if (/\.jpe?g$/i.test(name)) files.push(path.join(photos, entry.name, name));
    }
  }
  return files.slice(0, LIMIT);
}

async function measure(): Promise<{
  backend: string;
  images: number;
  seconds: number;
  perSecond: number;
}> {
  const files = photoFiles();
  // The WebAssembly build reports its emscripten version; the native one does not.
  const backend = 'emscripten' in sharp.versions ? 'wasm' : 'native';
  await prepareImage(files[0]!, SIZE); // warm-up
  const started = performance.now();
  // Two at a time: the machine's core count, and what the judge's lazy preparation overlaps.
  let next = 0;
  const worker = async () => {
    while (next < files.length) await prepareImage(files[next++]!, SIZE);
  };
  await Promise.all([worker(), worker()]);
  const seconds = (performance.now() - started) / 1000;
  return { backend, images: files.length, seconds, perSecond: files.length / seconds };
}

if (!existsSync(photos)) {
  console.log(`skipped: no photographs at ${photos}`);
} else if (process.argv.includes('--one')) {
  console.log(JSON.stringify({ ...(await measure()), sharpVersions: sharp.versions }));
} else {
  const native = await measure();
  console.log(
    `native: ${native.images} photos -> ${SIZE}px JPEG in ${native.seconds.toFixed(2)} s = ${native.perSecond.toFixed(1)} images/s`,
  );
  const child = spawnSync(
    process.execPath,
    ['--import', HIDE_NATIVE, import.meta.filename, '--one'],
    { encoding: 'utf8' },
  );
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    console.log(
      `wasm: could not run (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  } else {
    const wasm = JSON.parse(line) as Awaited<ReturnType<typeof measure>> & {
      sharpVersions: Record<string, string>;
    };
    console.log(
      `${wasm.backend}:   ${wasm.images} photos in ${wasm.seconds.toFixed(2)} s = ${wasm.perSecond.toFixed(1)} images/s (emscripten ${wasm.sharpVersions['emscripten'] ?? 'absent: native was not hidden'})`,
    );
    console.log(`ratio wasm/native throughput: ${(wasm.perSecond / native.perSecond).toFixed(2)}x`);
  }
}
