// A baseline's results.json was written by another run, perhaps by another version of this action,
// perhaps edited or damaged: checked here, entry by entry, before anything reads it (pure).
// - What decides whether the two runs are comparable (the fingerprint) must be whole, or the
//   baseline is refused with a reason, and the run reports absolute numbers.
// - A bad record, failure or history point is left out and counted; a record whose id appears
//   twice, or whose concept appears under two categories, is left out with all its twins, since
//   nothing says which of them is right.
// The statistics then never see a value they would refuse (compare/validate.ts).
import { FINAL_TURNS, JUDGE_ENDPOINT_KINDS } from '../constants.ts';
import { CATEGORIES, PROMPT_CLASSES, type ScoredSample } from '../types.ts';
import type { ResultsFile } from './schema.ts';

/** What was left out of a baseline, and why (the first few reasons). */
export interface LeftOut {
  readonly count: number;
  readonly examples: readonly string[];
}

export type BaselineCheck =
  | { readonly ok: true; readonly results: ResultsFile; readonly leftOut: LeftOut }
  | { readonly ok: false; readonly reason: string };

const EXAMPLES = 3;

export function validateBaseline(results: ResultsFile, source: string): BaselineCheck {
  const fingerprint = fingerprintProblem(results.fingerprint);
  if (fingerprint)
    return { ok: false, reason: `${source} is not usable: its fingerprint ${fingerprint}` };
  const reasons: string[] = [];
  const records = uniqueRecords(
    results.records.filter((r, i) => keep(reasons, recordProblem(r, i))),
    reasons,
  );
  const failures = results.failures.filter((f, i) => keep(reasons, failureProblem(f, i)));
  const history = validHistory(results.history, reasons);
  return {
    ok: true,
    results: { ...results, records, failures, history },
    leftOut: leftOutOf(reasons),
  };
}

type Sample = Pick<ScoredSample, 'id' | 'concept' | 'category' | 'promptClass'>;

/** Baseline records that name one of this run's samples as another sample are left out too. */
export function withoutMismatches(
  records: ResultsFile['records'],
  current: readonly Sample[],
  leftOut: LeftOut,
): { records: ResultsFile['records']; leftOut: LeftOut } {
  const mine = new Map(current.map((s) => [s.id, s]));
  const reasons: string[] = [];
  const kept = records.filter((r) => {
    const s = mine.get(r.id);
    const field = s && (['concept', 'category', 'promptClass'] as const).find((f) => r[f] !== s[f]);
    return keep(
      reasons,
      field &&
        `record ${r.id}: ${field} ${JSON.stringify(r[field])} is not this run's ${JSON.stringify(s[field])}`,
    );
  });
  if (reasons.length === 0) return { records, leftOut };
  return {
    records: kept,
    leftOut: {
      count: leftOut.count + reasons.length,
      examples: [...leftOut.examples, ...reasons].slice(0, EXAMPLES),
    },
  };
}

function leftOutOf(reasons: readonly string[]): LeftOut {
  return { count: reasons.length, examples: reasons.slice(0, EXAMPLES) };
}

/** Records the reason when there is one; true when the entry is kept. */
function keep(reasons: string[], problem: string | undefined): boolean {
  if (problem) reasons.push(problem);
  return !problem;
}

type Check = (v: unknown) => boolean;
const isText: Check = (v) => typeof v === 'string' && v !== '';
const isString: Check = (v) => typeof v === 'string';
const isCount: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    values.includes(v as string);
const inRange =
  (max: number): Check =>
  (v) =>
    typeof v === 'number' && v >= 0 && v <= max;
const orNull =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first field of `value` that fails its check, as words; undefined when all pass. */
function firstBad(
  value: Record<string, unknown>,
  checks: Record<string, Check>,
): string | undefined {
  for (const [field, check] of Object.entries(checks))
    if (!check(value[field])) return `${field} is ${shown(value[field])}`;
  return undefined;
}

function shown(v: unknown): string {
  if (v === undefined) return 'missing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

const FINGERPRINT: Record<string, Check> = {
  dataset: isText,
  datasetRevision: isString,
  datasetSha256: isString,
  sampleSeed: isCount,
  samples: (v) => v === 'all' || isCount(v),
  categories: (v) => Array.isArray(v) && v.every(oneOf(CATEGORIES)),
  judgeModel: isText,
  judgeScoring: isText,
  judgeRepeats: isCount,
  templatesSha256: isString,
  imageSize: isCount,
  judgeServed: (v) => Array.isArray(v) && v.every(isText),
  judgeEndpoint: orNull(oneOf(JUDGE_ENDPOINT_KINDS)),
  judgeTemperature: inRange(2),
  judgeOutputTokens: orNull((v) => isObject(v) && isCount(v.cp) && isCount(v.pf)),
  finalTurn: oneOf(FINAL_TURNS),
  imagePreparation: (v) => isObject(v) && isCount(v.version) && isText(v.fit) && isCount(v.quality),
};

function fingerprintProblem(fingerprint: unknown): string | undefined {
  if (!isObject(fingerprint)) return `is ${shown(fingerprint)}, not an object`;
  return firstBad(fingerprint, FINGERPRINT);
}

const isJudgments: Check = (v) =>
  Array.isArray(v) && v.every((j) => isObject(j) && (j.reply == null || isString(j.reply)));
const METRIC: Record<string, Check> = { score: orNull(inRange(4)), judgments: isJudgments };
const RECORD: Record<string, Check> = {
  id: isText,
  concept: isText,
  category: oneOf(CATEGORIES),
  promptClass: oneOf(PROMPT_CLASSES),
  promptIndex: isCount,
  scored: (v) => typeof v === 'boolean',
};

function recordProblem(record: unknown, index: number): string | undefined {
  if (!isObject(record)) return `record ${index} is ${shown(record)}`;
  const name = isText(record.id) ? `record ${index} (${record.id as string})` : `record ${index}`;
  const bad = firstBad(record, RECORD);
  if (bad) return `${name}: ${bad}`;
  for (const metric of ['cp', 'pf'] as const) {
    const m = record[metric];
    if (!isObject(m)) return `${name}: ${metric} is ${shown(m)}`;
    const badMetric = firstBad(m, METRIC);
    if (badMetric) return `${name}: ${metric}.${badMetric}`;
  }
  return undefined;
}

/** Leaves out every record of an id that appears twice and of a concept under two categories. */
function uniqueRecords(records: ResultsFile['records'], reasons: string[]): ResultsFile['records'] {
  const count = new Map<string, number>();
  const categories = new Map<string, Set<string>>();
  for (const r of records) {
    count.set(r.id, (count.get(r.id) ?? 0) + 1);
    categories.set(r.concept, (categories.get(r.concept) ?? new Set()).add(r.category));
  }
  return records.filter((r) =>
    keep(
      reasons,
      count.get(r.id)! > 1
        ? `record ${r.id}: the id appears ${count.get(r.id)} times`
        : categories.get(r.concept)!.size > 1
          ? `record ${r.id}: concept ${r.concept} is under ${[...categories.get(r.concept)!].sort().join(' and ')}`
          : undefined,
    ),
  );
}

const FAILURE: Record<string, Check> = {
  id: isText,
  stage: oneOf(['generate', 'judge', 'budget']),
  kind: isText,
  reason: isString,
};

function failureProblem(failure: unknown, index: number): string | undefined {
  if (!isObject(failure)) return `failure ${index} is ${shown(failure)}`;
  const bad = firstBad(failure, FAILURE);
  return bad && `failure ${index}: ${bad}`;
}

const HISTORY_POINT: Record<string, Check> = {
  runId: isCount,
  sha: isString,
  createdAt: isString,
  cp: orNull(inRange(1)),
  pf: orNull(inRange(1)),
};

function validHistory(history: unknown, reasons: string[]): ResultsFile['history'] {
  if (history === undefined) return [];
  if (!Array.isArray(history)) {
    reasons.push(`history is ${shown(history)}, not a list`);
    return [];
  }
  return history.filter((p: unknown, i) => {
    const bad = isObject(p) ? firstBad(p, HISTORY_POINT) : `not an object but ${shown(p)}`;
    return keep(reasons, bad && `history point ${i}: ${bad}`);
  }) as ResultsFile['history'];
}
