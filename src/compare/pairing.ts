// Pairs baseline and PR samples by id. Deltas use, per metric, only the samples with an outcome for
// that metric on both sides (a model-owned failure is an outcome, scored 0; a service failure is
// not), so a sample the judge's service lost on one side cannot shift the comparison.
import { METRICS, type Metric, type ScoredSample } from '../types.ts';
import { InvalidSampleError } from './errors.ts';

export interface MetricPairing {
  /** Samples with this metric's outcome on both sides. */
  readonly paired: number;
  /** Reference images (clusters) among them. */
  readonly concepts: number;
}

/** Model-owned failures scored as 0 among the paired samples of one side. */
export interface CountedFailures {
  /** Samples with at least one paired metric scored 0 for a failure. */
  readonly samples: number;
  /** The same samples by failure kind (`corrupt`, `missing`, `refused`, …), kinds sorted. */
  readonly byKind: Readonly<Record<string, number>>;
}

export interface Pairing {
  /** Samples paired on at least one metric: the ones deltas use. */
  readonly paired: number;
  /** Reference images (clusters) among the paired samples. */
  readonly pairedConcepts: number;
  readonly byMetric: Readonly<Record<Metric, MetricPairing>>;
  /** Samples with an outcome on one side and none they share with the other. */
  readonly baseOnly: number;
  readonly prOnly: number;
  /** Sorted ids scored only on the baseline / only on the PR. */
  readonly baseOnlyIds: readonly string[];
  readonly prOnlyIds: readonly string[];
  readonly counted: { readonly base: CountedFailures; readonly pr: CountedFailures };
}

export interface SamplePair {
  readonly base: ScoredSample;
  readonly pr: ScoredSample;
}

function pairedMetrics(a: ScoredSample, b: ScoredSample): Metric[] {
  return METRICS.filter((m) => a[m] !== null && b[m] !== null);
}

function countFailures(pairs: readonly SamplePair[], side: 'base' | 'pr'): CountedFailures {
  const byKind = new Map<string, number>();
  for (const pair of pairs) {
    const s = pair[side];
    const kind = pairedMetrics(pair.base, pair.pr)
      .map((m) => s.failedAs?.[m])
      .find((k) => k !== undefined);
    if (kind !== undefined) byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  const kinds = [...byKind].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    samples: kinds.reduce((n, [, k]) => n + k, 0),
    byKind: Object.fromEntries(kinds),
  };
}

/** Pairs in PR order. Throws InvalidSampleError when one id means different samples on the two
 * sides (different concept, category or prompt class): that is not a like-for-like comparison. */
export function pairSamples(
  base: readonly ScoredSample[],
  pr: readonly ScoredSample[],
): { pairs: SamplePair[]; pairing: Pairing } {
  const baseById = new Map(base.map((s) => [s.id, s]));
  const pairs: SamplePair[] = [];
  const paired = new Set<string>();
  for (const p of pr) {
    const b = baseById.get(p.id);
    if (b === undefined) continue;
    for (const field of ['concept', 'category', 'promptClass'] as const)
      if (b[field] !== p[field])
        throw new InvalidSampleError(
          'pr',
          p.id,
          field,
          p[field],
          `${JSON.stringify(b[field])} as in the baseline`,
        );
    if (pairedMetrics(b, p).length === 0) continue;
    pairs.push({ base: b, pr: p });
    paired.add(p.id);
  }
  const hasOutcome = (s: ScoredSample) => s.cp !== null || s.pf !== null;
  const only = (side: readonly ScoredSample[]) =>
    side
      .filter((s) => hasOutcome(s) && !paired.has(s.id))
      .map((s) => s.id)
      .sort();
  const baseOnlyIds = only(base);
  const prOnlyIds = only(pr);
  const metric = (m: Metric): MetricPairing => {
    const with_ = pairs.filter((x) => x.base[m] !== null && x.pr[m] !== null);
    return { paired: with_.length, concepts: new Set(with_.map((x) => x.pr.concept)).size };
  };
  const pairing: Pairing = {
    paired: pairs.length,
    pairedConcepts: new Set(pairs.map((x) => x.pr.concept)).size,
    byMetric: { cp: metric('cp'), pf: metric('pf') },
    baseOnly: baseOnlyIds.length,
    prOnly: prOnlyIds.length,
    baseOnlyIds,
    prOnlyIds,
    counted: { base: countFailures(pairs, 'base'), pr: countFailures(pairs, 'pr') },
  };
  return { pairs, pairing };
}
