// The statistics core must stay pure: no edges (GitHub, file system, network) and no clock or
// unseeded randomness, so the same inputs always give the same report and verdict.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve(import.meta.dirname, '../../src/compare');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('src/compare purity', () => {
  it('has source files to check', () => {
    expect(files).toContain('compare.ts');
  });

  it.each(files)('%s imports only its own folder and the shared types', (file) => {
    const src = readFileSync(path.join(dir, file), 'utf8');
    const specifiers = [
      ...src.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g),
      ...src.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]/g),
      ...src.matchAll(/\bimport\s+['"]([^'"]+)['"]/g),
      ...src.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]/g),
    ].map((m) => m[1]!);
    for (const spec of specifiers) {
      expect(spec, `${file} imports ${spec}`).toMatch(/^(\.\/[\w-]+\.ts|\.\.\/types\.ts)$/);
      expect(spec).not.toMatch(/@actions|(^|:)fs|http|net|child_process/);
    }
  });

  it.each(files)('%s uses no clock, unseeded randomness or process state', (file) => {
    const src = readFileSync(path.join(dir, file), 'utf8');
    expect(src).not.toMatch(/\bDate\b|performance\.|Math\.random|process\.|setTimeout|\bcrypto\b/);
  });
});
