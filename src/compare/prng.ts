// A small seeded PRNG (mulberry32) so that the bootstrap is reproducible: same inputs and seed give
// the same interval on every machine. Not for cryptography; 32-bit state is plenty for resampling.

/** Returns a function yielding uniform numbers in [0, 1). The seed is taken modulo 2^32. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
