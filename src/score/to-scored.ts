// From the score stage's records to the statistics' input.
import type { ScoredSample } from '../types.ts';
import type { JudgeRecord } from './score-samples.ts';

/** The scored records as `ScoredSample`s; unscored ones are skipped (they have a SampleFailure). */
export function toScoredSamples(records: readonly JudgeRecord[]): ScoredSample[] {
  const out: ScoredSample[] = [];
  for (const r of records) {
    if (!r.scored || r.cp.score === null || r.pf.score === null) continue;
    out.push({
      id: r.id,
      concept: r.concept,
      category: r.category,
      promptClass: r.promptClass,
      cp: r.cp.score,
      pf: r.pf.score,
    });
  }
  return out;
}
