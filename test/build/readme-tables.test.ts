// `npm run lint` runs scripts/readme-tables.mjs --check: README.md must show each example workflow
// exactly as examples/ holds it, and name every environment variable src/ reads. (CI runs the
// passing case on the real tree; this proves the failing cases on copies.)
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/action-yml.ts';
import { tempDir } from '../harness/temp.ts';

function copyOfTree(): string {
  const copy = tempDir('dreambench-readme-');
  for (const item of [
    'README.md',
    'action.yml',
    'examples',
    'src',
    'scripts',
    '.prettierrc.json',
  ]) {
    cpSync(path.join(repoRoot, item), path.join(copy, item), { recursive: true });
  }
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}

function check(copy: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/readme-tables.mjs', '--check'], {
    cwd: copy,
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

describe('readme-tables --check', () => {
  it('passes on the tree as committed', () => {
    expect(check(copyOfTree())).toEqual({ status: 0, stderr: '' });
  });

  it('fails when an example workflow changed and README still shows the old one', () => {
    const copy = copyOfTree();
    appendFileSync(path.join(copy, 'examples/shards.yml'), '# a new last line\n');
    const r = check(copy);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('examples differ');
  });

  it('fails naming an example README does not show', () => {
    const copy = copyOfTree();
    writeFileSync(path.join(copy, 'examples/new.yml'), 'on: push\n');
    expect(check(copy).stderr).toContain('shows no <!-- example:… --> block of examples/new.yml');
  });

  it('fails naming an environment variable src/ reads that the table lacks', () => {
    const copy = copyOfTree();
    const file = path.join(copy, 'src/pipeline/plan.ts');
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}\nexport const x = process.env.DREAMBENCH_NEW;\n`,
    );
    expect(check(copy).stderr).toContain(
      'its environment variables table lacks DREAMBENCH_NEW, read in src/',
    );
  });
});
