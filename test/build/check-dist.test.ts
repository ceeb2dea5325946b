// `npm run check-dist` must catch a dist/ that no longer matches its sources. (CI runs the passing
// case on the real tree; this proves the failing case on a copy.)
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/action-yml.ts';

const copy = mkdtempSync(path.join(os.tmpdir(), 'dreambench-checkdist-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function checkDist(): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/check-dist.mjs'], {
    cwd: copy,
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

describe('check-dist', () => {
  for (const item of ['src', 'scripts', 'dist', 'prompts', 'package.json', 'tsconfig.json']) {
    cpSync(path.join(repoRoot, item), path.join(copy, item), { recursive: true });
  }
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'));

  it('fails on a bundle edited by hand, naming the file', () => {
    appendFileSync(path.join(copy, 'dist/index.js'), '\n// edited by hand\n');
    const r = checkDist();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('differs from a fresh build: dist/index.js');
  });

  it('fails on a source change that was not rebuilt, and on a stray file', () => {
    cpSync(path.join(repoRoot, 'dist/index.js'), path.join(copy, 'dist/index.js'));
    appendFileSync(
      path.join(copy, 'src/constants.ts'),
      '\nexport const STALE = "not in dist";\nconsole.log(STALE);\n',
    );
    appendFileSync(path.join(copy, 'dist/stray.txt'), 'left over');
    const r = checkDist();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('differs from a fresh build: dist/index.js');
    expect(r.stderr).toContain('stale file in dist/: stray.txt');
  });
});
