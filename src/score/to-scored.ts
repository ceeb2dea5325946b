// From the score stage's records to the statistics' input: per sample and metric, an outcome or
// none (design.md "Comparison and gating").
//
// A failure that belongs to the model is an outcome, the lowest score (0): its image missing,
// unreadable or invalid, or the judge refusing (or content-filtering) it. Counting it keeps a model
// that starts breaking images from passing by losing them; counting it on both sides alike (this
// run's and the baseline's, old baselines included) keeps the judge's random refusals from biasing
// either. Any other failure (rate limits, timeouts, the budget, unparseable replies, and any kind
// not listed here) is the judge's service's: no outcome, left out and listed.
import {
  CATEGORIES,
  PROMPT_CLASSES,
  type Metric,
  type SampleFailure,
  type ScoredSample,
} from '../types.ts';
import type { JudgeRecord, MetricRecord } from './score-samples.ts';

/** The failure kinds that belong to the model, by stage: the one place they are listed. */
export const MODEL_OWNED_FAILURES: Readonly<Record<SampleFailure['stage'], readonly string[]>> = {
  // src/generate/collect-images.ts: the image the model's command had to write.
  generate: [
    'missing',
    'empty',
    'unreadable',
    'corrupt',
    'unsupported-format',
    'too-large',
    'outside-output-dir',
    'ambiguous',
  ],
  // src/score/judgment/interpret.ts: a refusal field, a content-filtered reply, or refusal text.
  judge: ['refused'],
  budget: [],
};

export function isModelOwned(stage: SampleFailure['stage'], kind: string): boolean {
  return MODEL_OWNED_FAILURES[stage]?.includes(kind) ?? false;
}

/** A planned sample: what the statistics need to place a sample that has no judge record. */
export type PlannedKey = Pick<ScoredSample, 'id' | 'concept' | 'category' | 'promptClass'>;

interface Outcome {
  readonly score: number;
  readonly failedAs?: string;
}

const isScore = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 4;

/**
 * One metric's outcome: the mean over its repeats, a refused repeat counting 0; none when any
 * repeat failed otherwise, none was judged, or a value is not a score 0-4 (a damaged baseline).
 * A record from an older run reads the same way.
 */
function metricOutcome(m: MetricRecord | undefined): Outcome | null {
  const judgments = Array.isArray(m?.judgments) ? m.judgments : [];
  if (judgments.length === 0) return isScore(m?.score) ? { score: m.score } : null;
  let sum = 0;
  let refused = false;
  for (const j of judgments) {
    if (isScore(j?.value) && !j.error) sum += j.value;
    else if (j?.error && isModelOwned('judge', j.error.kind)) refused = true;
    else return null;
  }
  if (!refused) return { score: isScore(m?.score) ? m.score : sum / judgments.length };
  return { score: sum / judgments.length, failedAs: 'refused' };
}

/** A planned sample that can stand in the statistics (a damaged baseline's may not). */
function isKey(k: PlannedKey): boolean {
  return (
    typeof k?.id === 'string' &&
    typeof k.concept === 'string' &&
    k.concept !== '' &&
    (CATEGORIES as readonly string[]).includes(k.category) &&
    (PROMPT_CLASSES as readonly string[]).includes(k.promptClass)
  );
}

function sampleOf(
  key: PlannedKey,
  outcomes: Readonly<Record<Metric, Outcome | null>>,
): ScoredSample | null {
  const { cp, pf } = outcomes;
  if (cp === null && pf === null) return null;
  const failedAs: Partial<Record<Metric, string>> = {};
  if (cp?.failedAs) failedAs.cp = cp.failedAs;
  if (pf?.failedAs) failedAs.pf = pf.failedAs;
  return {
    id: key.id,
    concept: key.concept,
    category: key.category,
    promptClass: key.promptClass,
    cp: cp?.score ?? null,
    pf: pf?.score ?? null,
    ...(Object.keys(failedAs).length > 0 ? { failedAs } : {}),
  };
}

/**
 * The outcomes of a run, in plan order (then any record the plan does not list): every sample with
 * an outcome for at least one metric. A sample whose image failed generation for a model-owned
 * reason (it has no judge record) scores 0 on both metrics. Without `plan`, only the judge records
 * are read. A sample is placed by its record where it has one, else by its planned entry.
 */
export function toScoredSamples(
  records: readonly JudgeRecord[],
  plan?: { readonly samples: readonly PlannedKey[]; readonly failures: readonly SampleFailure[] },
): ScoredSample[] {
  const recordOf = new Map(records.map((r) => [r.id, r]));
  const generationFailure = new Map(
    (plan?.failures ?? []).filter((f) => f.stage === 'generate').map((f) => [f.id, f]),
  );
  const planned = (plan?.samples ?? []).filter(isKey);
  const listed = new Set(planned.map((k) => k.id));
  const out: ScoredSample[] = [];
  for (const key of [...planned, ...records.filter((r) => !listed.has(r.id))]) {
    const failure = generationFailure.get(key.id);
    const record = recordOf.get(key.id);
    let sample: ScoredSample | null = null;
    if (failure !== undefined) {
      const o = isModelOwned('generate', failure.kind)
        ? { score: 0, failedAs: failure.kind }
        : null;
      sample = sampleOf(record ?? key, { cp: o, pf: o });
    } else if (record !== undefined) {
      sample = sampleOf(record, { cp: metricOutcome(record.cp), pf: metricOutcome(record.pf) });
    }
    if (sample !== null) out.push(sample);
  }
  return out;
}
