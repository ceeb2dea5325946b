// Per-sample changes for the report's "largest changes" list (judge scale 0-4, as the judge said).
import type { Category, Metric, PromptClass } from '../types.ts';
import type { SamplePair } from './pairing.ts';

export interface ScoreChange {
  readonly base: number;
  readonly pr: number;
  readonly delta: number;
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

function change(base: number, pr: number): ScoreChange {
  return { base, pr, delta: pr - base };
}

function size(d: SampleDelta, by: Metric | 'either'): number {
  return by === 'either'
    ? Math.max(Math.abs(d.cp.delta), Math.abs(d.pf.delta))
    : Math.abs(d[by].delta);
}

/**
 * Largest changes first (by `by`), ties by id so the order is stable across runs. At most
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
    (a, b) => size(b, by) - size(a, by) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
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

/** All paired samples' changes, largest (either metric) first. */
export function sampleDeltas(pairs: readonly SamplePair[]): SampleDelta[] {
  const all = pairs.map(({ base, pr }) => ({
    id: pr.id,
    concept: pr.concept,
    category: pr.category,
    promptClass: pr.promptClass,
    cp: change(base.cp, pr.cp),
    pf: change(base.pf, pr.pf),
  }));
  return largestChanges(all, all.length);
}
