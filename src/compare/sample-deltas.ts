// Per-sample changes for the report's "largest changes" list (judge scale 0-4, as the judge said).
import { METRICS, type Category, type Metric, type PromptClass } from '../types.ts';
import type { SamplePair } from './pairing.ts';

export interface ScoreChange {
  readonly base: number;
  readonly pr: number;
  readonly delta: number;
  /** Set where that side's score is a model-owned failure counted as 0: the failure's kind. */
  readonly baseFailedAs?: string;
  readonly prFailedAs?: string;
}

export interface SampleDelta {
  readonly id: string;
  readonly concept: string;
  readonly category: Category;
  readonly promptClass: PromptClass;
  /** Judge scores on the 0-4 scale. */
  readonly cp: ScoreChange;
  readonly pf: ScoreChange;
}

function change(pair: SamplePair, m: Metric): ScoreChange {
  const base = pair.base[m]!;
  const pr = pair.pr[m]!;
  const baseFailedAs = pair.base.failedAs?.[m];
  const prFailedAs = pair.pr.failedAs?.[m];
  return {
    base,
    pr,
    delta: pr - base,
    ...(baseFailedAs === undefined ? {} : { baseFailedAs }),
    ...(prFailedAs === undefined ? {} : { prFailedAs }),
  };
}

function size(d: SampleDelta, by: Metric | 'either'): number {
  return by === 'either'
    ? Math.max(Math.abs(d.cp.delta), Math.abs(d.pf.delta))
    : Math.abs(d[by].delta);
}

/** Both metrics' changes together: among equal largest changes, the sample that moved more. */
function total(d: SampleDelta): number {
  return Math.abs(d.cp.delta) + Math.abs(d.pf.delta);
}

/**
 * Largest changes first (by `by`); a tie goes to the sample whose two metrics moved more in all,
 * then to the id, so the order is meaningful and stable across runs. At most
 * `perConcept` samples of one reference image are taken, so that one subject that fell apart does
 * not fill the whole list.
 */
export function largestChanges(
  deltas: readonly SampleDelta[],
  n: number,
  by: Metric | 'either' = 'either',
  perConcept = Infinity,
): SampleDelta[] {
  const sorted = [...deltas].sort(
    (a, b) =>
      size(b, by) - size(a, by) || total(b) - total(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const taken = new Map<string, number>();
  const out: SampleDelta[] = [];
  for (const d of sorted) {
    if (out.length >= n) break;
    const k = taken.get(d.concept) ?? 0;
    if (k >= perConcept) continue;
    taken.set(d.concept, k + 1);
    out.push(d);
  }
  return out;
}

/** The changes of the samples paired on both metrics, largest (either metric) first. */
export function sampleDeltas(pairs: readonly SamplePair[]): SampleDelta[] {
  const both = pairs.filter(({ base, pr }) =>
    METRICS.every((m) => base[m] !== null && pr[m] !== null),
  );
  const all = both.map((pair) => ({
    id: pair.pr.id,
    concept: pair.pr.concept,
    category: pair.pr.category,
    promptClass: pair.pr.promptClass,
    cp: change(pair, 'cp'),
    pf: change(pair, 'pf'),
  }));
  return largestChanges(all, all.length);
}
