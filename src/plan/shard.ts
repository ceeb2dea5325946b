// Shards: n disjoint slices that cover a sample exactly and keep every prompt of one concept (one
// cluster) in one slice, so each shard's statistics stay clustered correctly when merged.
import type { Sample } from '../types.ts';

export class ShardSpecError extends Error {
  readonly index: number;
  readonly count: number;
  constructor(index: number, count: number) {
    super(`shard "${index}/${count}" is invalid: use i/n with integers 1 <= i <= n`);
    this.name = 'ShardSpecError';
    this.index = index;
    this.count = count;
  }
}

/**
 * The samples of shard `index` (1-based, as in the `shard` input `i/n`) of `count` shards.
 * Concepts are assigned greedily, largest first (ties by concept id), to the least-loaded shard
 * (ties to the lowest index): loads differ by at most the size of one concept. Keeps sample order.
 */
export function shardOf(samples: readonly Sample[], index: number, count: number): Sample[] {
  if (
    !Number.isInteger(index) ||
    !Number.isInteger(count) ||
    count < 1 ||
    index < 1 ||
    index > count
  ) {
    throw new ShardSpecError(index, count);
  }
  const sizes = new Map<string, number>();
  for (const s of samples) sizes.set(s.concept, (sizes.get(s.concept) ?? 0) + 1);
  const concepts = [...sizes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const load = new Array<number>(count).fill(0);
  const shardOfConcept = new Map<string, number>();
  for (const [concept, size] of concepts) {
    const target = load.indexOf(Math.min(...load));
    shardOfConcept.set(concept, target);
    load[target]! += size;
  }
  return samples.filter((s) => shardOfConcept.get(s.concept) === index - 1);
}
