// Builds the committed action: type-check, bundle src/index.ts into dist/index.js, and lay out
// sharp's runtime (native linux-x64 plus the WebAssembly fallback) in dist/node_modules so a
// runner needs no install step. Usage: node scripts/build.mjs [--outdir DIR] [--skip-typecheck]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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

// DEP0005. Some dependencies still call the deprecated Buffer() constructor: unzip-stream 0.3.4
// (the newest; @actions/artifact extracts downloads with it) and the `binary` and `buffers` it
// loads, tunnel (proxy authentication), and yauzl's fallback for Node < 4.5. Node warns only when
// the caller lives outside node_modules, which in a bundle every caller does, so every run that
// downloaded a baseline printed the warning. The constructor's meanings map exactly onto the
// methods that replace it: a size onto Buffer.alloc (zero-filled, as the constructor has been since
// Node 8), anything else onto Buffer.from with the same arguments.
const LEGACY_BUFFER = /\bnew Buffer\(/g;
const LEGACY_BUFFER_SHIM =
  'var __dreambenchBuffer = (value, encodingOrOffset, length) => typeof value === "number" ? ' +
  'Buffer.alloc(value) : Buffer.from(value, encodingOrOffset, length);\n';

const legacyBuffer = {
  name: 'legacy-buffer',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/].*\.[cm]?js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('new Buffer(')) return undefined; // esbuild loads it as usual
      return {
        contents: LEGACY_BUFFER_SHIM + source.replace(LEGACY_BUFFER, '__dreambenchBuffer('),
        loader: 'js',
      };
    });
  },
};

/** A bundle that would still print DEP0005 is a build error, not a warning on every run. */
function refuseLegacyBuffer(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const left = lines.flatMap((line, i) => (line.includes('new Buffer(') ? [i + 1] : []));
  if (left.length > 0) {
    throw new Error(
      `${path.relative(root, file)} still calls the deprecated Buffer() constructor at lines ${left.join(', ')}`,
    );
  }
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
    plugins: [legacyBuffer],
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
refuseLegacyBuffer(path.join(outdir, 'index.js'));
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
