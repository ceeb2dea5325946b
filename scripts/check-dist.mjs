// Fails when a fresh build differs from the committed dist/ (byte for byte, file for file).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const committed = path.join(root, 'dist');
const fresh = mkdtempSync(path.join(os.tmpdir(), 'dreambench-dist-'));

function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

try {
  execFileSync(
    process.execPath,
    [path.join(root, 'scripts/build.mjs'), '--outdir', fresh, '--skip-typecheck'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const a = new Set(listFiles(committed));
  const b = new Set(listFiles(fresh));
  const problems = [];
  for (const f of b) if (!a.has(f)) problems.push(`missing from dist/: ${f}`);
  for (const f of a) if (!b.has(f)) problems.push(`stale file in dist/: ${f}`);
  for (const f of b) {
    if (!a.has(f)) continue;
    const x = path.join(committed, f);
    const y = path.join(fresh, f);
    if (statSync(x).size !== statSync(y).size || !readFileSync(x).equals(readFileSync(y))) {
      problems.push(`differs from a fresh build: dist/${f}`);
    }
  }
  if (problems.length > 0) {
    console.error(
      `dist/ is out of date (${problems.length} problem(s)); run "npm run build" and commit dist/:`,
    );
    for (const p of problems.slice(0, 20)) console.error(`  ${p}`);
    process.exitCode = 1;
  } else {
    console.log(`dist/ matches a fresh build (${b.size} files)`);
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
