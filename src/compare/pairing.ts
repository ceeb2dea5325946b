// Pairs baseline and PR samples by id: deltas are computed only over samples scored on both sides,
// so a sample that failed on one side cannot shift the comparison.
import type { ScoredSample } from '../types.ts';
import { InvalidSampleError } from './errors.ts';

export interface Pairing {
  /** Samples scored on both sides: the only ones deltas use. */
  readonly paired: number;
  /** Reference images (clusters) among the paired samples. */
  readonly pairedConcepts: number;
  readonly baseOnly: number;
  readonly prOnly: number;
  /** Sorted ids scored only on the baseline / only on the PR. */
  readonly baseOnlyIds: readonly string[];
  readonly prOnlyIds: readonly string[];
}

export interface SamplePair {
  readonly base: ScoredSample;
  readonly pr: ScoredSample;
}

/** Pairs in PR order. Throws InvalidSampleError when one id means different samples on the two
 * sides (different concept, category or prompt class): that is not a like-for-like comparison. */
export function pairSamples(
  base: readonly ScoredSample[],
  pr: readonly ScoredSample[],
): { pairs: SamplePair[]; pairing: Pairing } {
  const baseById = new Map(base.map((s) => [s.id, s]));
  const prIds = new Set(pr.map((s) => s.id));
  const pairs: SamplePair[] = [];
  const prOnlyIds: string[] = [];
  for (const p of pr) {
    const b = baseById.get(p.id);
    if (b === undefined) {
      prOnlyIds.push(p.id);
      continue;
    }
    for (const field of ['concept', 'category', 'promptClass'] as const)
      if (b[field] !== p[field])
        throw new InvalidSampleError(
          'pr',
          p.id,
          field,
          p[field],
          `${JSON.stringify(b[field])} as in the baseline`,
        );
    pairs.push({ base: b, pr: p });
  }
  const baseOnlyIds = base.filter((s) => !prIds.has(s.id)).map((s) => s.id);
  baseOnlyIds.sort();
  prOnlyIds.sort();
  const pairing: Pairing = {
    paired: pairs.length,
    pairedConcepts: new Set(pairs.map((x) => x.pr.concept)).size,
    baseOnly: baseOnlyIds.length,
    prOnly: prOnlyIds.length,
    baseOnlyIds,
    prOnlyIds,
  };
  return { pairs, pairing };
}
