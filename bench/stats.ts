// Times compare() at the sizes the action runs on DreamBench++: 150 samples (150 reference images
// x 1 prompt, what samples: 150 draws) and 1350 samples (all 150 images x 9 prompts), 2000
// bootstrap iterations each.
// Ideal: one replicate costs K-1 cluster draws x STRIDE additions; the ratio printed is measured
// time over that bare inner-loop work at 1 ns per addition (a rough floor for a JS engine).
//   node bench/stats.ts
import { compare } from '../src/compare/index.ts';
import { STRIDE } from '../src/compare/cluster-table.ts';
import { DREAMBENCH_LIKE, latentShiftFor, simulatePair } from '../test/compare/score-model.ts';

const ITERATIONS = 2000;
const REPEATS = 10;

for (const design of [
  { concepts: 150, promptsPerConcept: 1 },
  { concepts: 150, promptsPerConcept: 9 },
]) {
  const shift = latentShiftFor(DREAMBENCH_LIKE.cp, -0.2);
  const { base, pr } = simulatePair(DREAMBENCH_LIKE, design, { cp: shift, pf: 0 }, 42);
  const opts = { confidence: 0.95, tolerance: 0.02, seed: 1, iterations: ITERATIONS };
  compare(base, pr, opts); // warm-up: JIT
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = process.hrtime.bigint();
    compare(base, pr, opts);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(REPEATS / 2)]!;
  const perCluster = (median * 1e6) / (ITERATIONS * design.concepts);
  const idealMs = (ITERATIONS * (design.concepts - 1) * STRIDE) / 1e6;
  console.log(
    `${base.length} samples (${design.concepts} images x ${design.promptsPerConcept}), ` +
      `${ITERATIONS} iterations: median ${median.toFixed(1)} ms (min ${times[0]!.toFixed(1)}), ` +
      `${perCluster.toFixed(0)} ns per iteration x cluster; ` +
      `ideal ${idealMs.toFixed(1)} ms (${STRIDE} adds/draw at 1 ns) -> ${(median / idealMs).toFixed(1)}x ideal`,
  );
}
