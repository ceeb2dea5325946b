// Seeded random benchmarks for the sampler's property tests (no I/O).
import { dreamBenchPlusPromptClass } from '../../src/plan/concept-naming.ts';
import { mulberry32 } from '../../src/compare/prng.ts';
import { CATEGORIES } from '../../src/types.ts';
import type { Benchmark, Concept } from '../../src/types.ts';

export { mulberry32 };

const classOf = dreamBenchPlusPromptClass;

export function conceptOf(category: (typeof CATEGORIES)[number], n: number): Concept {
  const id = `${category}_${String(n).padStart(2, '0')}_s${n}`;
  return {
    id,
    category,
    subject: `s${n}`,
    upstreamId: id,
    referenceImages: [`/data/${id}.jpg`],
    prompts: Array.from({ length: 9 }, (_, index) => ({
      index,
      promptClass: classOf(index),
      text: `${id} prompt ${index}`,
    })),
  };
}

/** A benchmark with 0-`max` concepts per category (at least one concept overall). */
export function randomBenchmark(seed: number, max = 12): Benchmark {
  const rnd = mulberry32(seed);
  const concepts = CATEGORIES.flatMap((category) =>
    Array.from({ length: Math.floor(rnd() * (max + 1)) }, (_, n) => conceptOf(category, n)),
  );
  if (concepts.length === 0) concepts.push(conceptOf('object', 0));
  return { name: 'synthetic', revision: 'r', sha256: `sha-${seed}`, concepts };
}

export function benchmarkWith(counts: Record<(typeof CATEGORIES)[number], number>): Benchmark {
  const concepts = CATEGORIES.flatMap((category) =>
    Array.from({ length: counts[category] }, (_, n) => conceptOf(category, n)),
  );
  return { name: 'synthetic', revision: 'r', sha256: 'sha', concepts };
}
