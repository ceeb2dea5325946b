// Defect 5: README and METHOD.md described "150 samples spread over 50 reference images", which is
// not what the sampler does with DreamBench++'s 150 images: samples 150 is 150 images x 1 prompt.
// The documents must describe the design the sampler really draws.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectSample } from '../../src/plan/sampler.ts';
import { benchmarkWith } from '../plan/sample-fixtures.ts';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
// 150 reference images in DreamBench++'s 4 categories, 9 prompts each.
const DREAMBENCH_PLUS = benchmarkWith({ animal: 40, human: 40, object: 40, style: 30 });

describe('the documented designs are the sampler’s', () => {
  it('draws 150 reference images x 1 prompt for samples: 150 on 150 images', () => {
    const sample = selectSample(DREAMBENCH_PLUS, { size: 150, seed: 0 });
    expect(new Set(sample.map((s) => s.concept)).size).toBe(150);
  });

  it.each(['README.md', 'src/compare/METHOD.md'])(
    '%s says so, and not "50 reference images"',
    (file) => {
      const text = read(file).replace(/\s+/g, ' ');
      expect(text).not.toMatch(/spread over 50 reference images/);
      expect(text).toMatch(/150 (reference )?images × 1 prompt/);
    },
  );

  it('bootstrap.ts claims the CR1 match exactly only for equal sample counts per image', () => {
    const text = read('src/compare/bootstrap.ts').replace(/\s*\/\/\s*/g, ' ');
    expect(text).not.toMatch(/makes the bootstrap variance equal the unbiased cluster-robust/);
    expect(text).toMatch(
      /equal sample counts the rescaled bootstrap variance equals the cluster-robust CR1 variance exactly/,
    );
  });
});
