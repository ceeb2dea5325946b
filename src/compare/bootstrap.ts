// Paired cluster bootstrap. A replicate redraws reference images with replacement and adds up
// their precomputed sums (both sides together, so the pairing is kept): O(clusters) per replicate.
//
// It draws K-1 of the K images (the m-1 bootstrap of Rao & Wu, 1988): drawing K would understate
// the variance by (K-1)/K, which matters with ~17 images. For a mean over images of equal sample
// counts the rescaled bootstrap variance equals the cluster-robust CR1 variance exactly; for the
// ratio means we report over unequal counts (a breakdown group, an image that lost samples) it
// agrees only to first order. Either way a percentile interval uses normal-like quantiles, not
// t(K-1) ones, so it is narrower than the t-interval at few images: the gate's own interval comes
// from its test (gate.ts), and the bootstrap serves what is not gated (CP·PF, breakdowns).
//
// Draw order (fixed, so an independent implementation can reproduce it): for each iteration,
// K-1 draws of cluster index floor(u * K) from mulberry32(seed), clusters in ClusterTable order.
import { STRIDE, type ClusterTable } from './cluster-table.ts';
import { mulberry32 } from './prng.ts';

/** Replicate sums: iterations x STRIDE, laid out like ClusterTable.total. With one cluster there
 * is nothing to resample: every replicate is empty and intervals come out null. */
export function bootstrapSums(table: ClusterTable, iterations: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const out = new Float64Array(iterations * STRIDE);
  const sums = table.sums;
  const k = table.concepts.length;
  for (let it = 0; it < iterations; it++) {
    const acc = it * STRIDE;
    for (let d = 0; d < k - 1; d++) {
      const src = Math.floor(random() * k) * STRIDE;
      for (let s = 0; s < STRIDE; s++) out[acc + s]! += sums[src + s]!;
    }
  }
  return out;
}
