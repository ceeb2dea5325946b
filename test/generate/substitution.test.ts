// {manifest} and {output_dir} substitution: paths are data, never replacement patterns.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGenerateCommand, substituteCommand } from '../../src/generate/index.ts';

describe('substituteCommand', () => {
  // String.replaceAll with a string replacement reads `$&`, `$$`, `` $` `` and `$'` as patterns.
  it.each([
    ['/tmp/a$&b/m.jsonl', "'/tmp/a$&b/m.jsonl'"],
    ['/tmp/a$$b/m.jsonl', "'/tmp/a$$b/m.jsonl'"],
    ["/tmp/a$`b$'c/m.jsonl", "'/tmp/a$`b$'\\''c/m.jsonl'"],
  ])('keeps %s as it is', (manifest, quoted) => {
    expect(substituteCommand('gen {manifest} {output_dir}', { manifest, outputDir: '/o$&' })).toBe(
      `gen ${quoted} '/o$&'`,
    );
  });

  it('substitutes in one pass: a path that contains a placeholder stays as it is', () => {
    expect(
      substituteCommand('gen {manifest} {output_dir}', {
        manifest: '/w/{output_dir}/m.jsonl',
        outputDir: '/o',
      }),
    ).toBe("gen '/w/{output_dir}/m.jsonl' /o");
  });
});

describe('runGenerateCommand with $ patterns in RUNNER_TEMP', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gen-dollar-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('hands the command the real manifest and output folder', async () => {
    const temp = path.join(dir, 'runner $& $$ temp');
    const manifest = path.join(temp, 'manifest.jsonl');
    const outputDir = path.join(temp, 'out');
    await mkdir(outputDir, { recursive: true });
    await writeFile(manifest, '{"id":"x"}\n');
    await runGenerateCommand({
      command: 'cat {manifest} > {output_dir}/seen.txt',
      manifestPath: manifest,
      outputDir,
      cwd: dir,
      onOutput: () => undefined,
    });
    expect(await readFile(path.join(outputDir, 'seen.txt'), 'utf8')).toBe('{"id":"x"}\n');
  });
});
