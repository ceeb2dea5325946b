// Rendering (src/report, the HTML report included) and the results file (src/results) are part of
// the pure core: text and data in, text and data out. No file system, network, clock, process
// state or unseeded randomness, so the same run always renders the same comment, summary, page and
// results.json. The image edge that draws the contact sheet (sharp, image files) is the one
// exception, named here, and no pure module may import it (nor the barrel that re-exports it).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../../src');
const EDGES = ['report/contact-sheet.ts', 'report/index.ts'];
/** Where a pure module may import values from (type-only imports may name anything). */
const PURE = /^(compare|report|results)\/|^(types|constants)\.ts$|^score\/to-scored\.ts$/;
const PACKAGES = ['markdown-table'];

const files = ['report', 'results']
  .flatMap((dir) =>
    readdirSync(path.join(src, dir), { recursive: true, encoding: 'utf8' }).map((f) =>
      path.posix.join(dir, f.split(path.sep).join('/')),
    ),
  )
  .filter((f) => f.endsWith('.ts') && !EDGES.includes(f));

/** The value imports of a module (`import type` and `export type` erase). */
function valueImports(text: string): string[] {
  return [
    ...text.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?\bfrom\s+'([^']+)'/gms),
    ...text.matchAll(/\bimport\s*\(\s*'([^']+)'/g),
    ...text.matchAll(/^import\s+'([^']+)'/gm),
  ].map((m) => m[1]!);
}

describe('src/report and src/results purity', () => {
  it('has the renderers and the results modules to check', () => {
    expect(files).toEqual(
      expect.arrayContaining(['report/comment.ts', 'report/html/index.ts', 'results/build.ts']),
    );
  });

  it.each(files)('%s imports only the pure core and no edge', (file) => {
    const text = readFileSync(path.join(src, file), 'utf8');
    for (const spec of valueImports(text)) {
      if (!spec.startsWith('.')) {
        expect(PACKAGES, `${file} imports the package ${spec}`).toContain(spec);
        continue;
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      expect(target, `${file} imports ${spec}`).toMatch(PURE);
      expect(EDGES, `${file} imports the image edge ${spec}`).not.toContain(target);
    }
  });

  it.each(files)('%s uses no clock, randomness, process state or I/O', (file) => {
    const text = readFileSync(path.join(src, file), 'utf8');
    expect(text).not.toMatch(
      /\bDate\.now|new Date\b|performance\.|Math\.random|process\.|setTimeout|setInterval|\bfetch\(|readFile|writeFile/,
    );
  });
});
