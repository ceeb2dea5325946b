// Builds the committed action: type-check, bundle src/index.ts into dist/index.js, and lay out
// sharp's runtime (native linux-x64 plus the WebAssembly fallback) in dist/node_modules so a
// runner needs no install step. Usage: node scripts/build.mjs [--outdir DIR] [--skip-typecheck]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const outdir = path.resolve(root, argValue('--outdir') ?? 'dist');

// sharp and what it loads at run time; dependencies are followed from these.
const RUNTIME_ROOTS = [
  'sharp',
  '@img/sharp-linux-x64',
  '@img/sharp-libvips-linux-x64',
  '@img/sharp-wasm32',
];
// Files a runtime never reads: types, docs, sources and install scripts.
const SKIP = [/\.d\.[cm]?ts$/, /\.map$/, /^README/i, /^CHANGELOG/i, /^(src|install|bin)$/];

function argValue(flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function typecheck() {
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}

async function bundle() {
  await esbuild.build({
    entryPoints: [path.join(root, 'src/index.ts')],
    outfile: path.join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    external: ['sharp'],
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __dreambenchCreateRequire } from 'node:module'; const require = __dreambenchCreateRequire(import.meta.url);",
    },
  });
}

function packageDir(name) {
  return path.join(root, 'node_modules', name);
}

function runtimeClosure() {
  const seen = new Set();
  const queue = [...RUNTIME_ROOTS];
  while (queue.length > 0) {
    const name = queue.shift();
    if (seen.has(name) || !existsSync(packageDir(name))) continue;
    seen.add(name);
    const pkg = JSON.parse(readFileSync(path.join(packageDir(name), 'package.json'), 'utf8'));
    queue.push(
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.optionalDependencies ?? {}),
    );
  }
  return [...seen].sort();
}

function copyRuntime() {
  const target = path.join(outdir, 'node_modules');
  rmSync(target, { recursive: true, force: true });
  const packages = runtimeClosure();
  for (const name of packages) {
    cpSync(packageDir(name), path.join(target, name), {
      recursive: true,
      filter: (src) => !SKIP.some((re) => re.test(path.basename(src))),
    });
  }
  return packages;
}

if (!args.includes('--skip-typecheck')) typecheck();
mkdirSync(outdir, { recursive: true });
await bundle();
const packages = copyRuntime();
writeFileSync(
  path.join(outdir, 'RUNTIME.md'),
  '# Runtime beside the bundle\n\nCopied by scripts/build.mjs; sharp is not bundled (native binaries).\n\n' +
    packages
      .map(
        (p) =>
          `- ${p}@${JSON.parse(readFileSync(path.join(packageDir(p), 'package.json'), 'utf8')).version}`,
      )
      .join('\n') +
    '\n',
);
console.log(
  `built ${path.relative(root, outdir) || '.'}/index.js and ${packages.length} runtime packages`,
);
