// The committed bundle calls no deprecated Buffer() constructor (DEP0005): scripts/build.mjs
// rewrites the dependencies that still do, and refuses a bundle in which one is left.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/action-yml.ts';

describe('dist/index.js', () => {
  const bundle = readFileSync(path.join(repoRoot, 'dist/index.js'), 'utf8');

  it('holds no call of the Buffer() constructor', () => {
    const calls = bundle.split('\n').filter((line) => /\bnew Buffer\(/.test(line));
    expect(calls).toEqual([]);
  });

  it('still holds the code of the dependencies that used it (the rewrite kept them)', () => {
    for (const dep of [
      'node_modules/unzip-stream/lib/unzip-stream.js',
      'node_modules/buffers/index.js',
    ])
      expect(bundle).toContain(`// ${dep}`);
  });
});
