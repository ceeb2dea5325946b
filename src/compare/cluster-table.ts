// Per-cluster sums: the data structure that makes a bootstrap iteration O(clusters).
// A cluster is one reference image (`concept`): its prompts share the subject, so their scores are
// correlated and must be resampled together. For every cluster we store, for each reporting group
// (overall, each category, each prompt class), the sample counts and the score sums of both sides.
import {
  CATEGORIES,
  PROMPT_CLASSES,
  type Category,
  type Metric,
  type PromptClass,
  type ScoredSample,
} from '../types.ts';

/** Reporting groups: 0 = overall, then the categories, then the prompt classes. */
export const GROUP_COUNT = 1 + CATEGORIES.length + PROMPT_CLASSES.length;
export const OVERALL_GROUP = 0;
export function categoryGroup(category: Category): number {
  return 1 + CATEGORIES.indexOf(category);
}
export function classGroup(promptClass: PromptClass): number {
  return 1 + CATEGORIES.length + PROMPT_CLASSES.indexOf(promptClass);
}

/** Fields per group: samples with any outcome, samples with a CP / PF outcome, then score sums on
 * the 0-1 scale. CP and PF are accounted separately: a sample counts in each metric it has. */
export const FIELD = { n: 0, nCp: 1, nPf: 2, baseCp: 3, basePf: 4, prCp: 5, prPf: 6 } as const;
export const FIELD_COUNT = 7;
/** Numbers stored per cluster (and per bootstrap replicate). */
export const STRIDE = GROUP_COUNT * FIELD_COUNT;

/** Where a metric's count and sums live in a group's fields. */
export const METRIC_FIELDS = {
  cp: { n: FIELD.nCp, base: FIELD.baseCp, pr: FIELD.prCp },
  pf: { n: FIELD.nPf, base: FIELD.basePf, pr: FIELD.prPf },
} as const satisfies Record<Metric, { n: number; base: number; pr: number }>;

/** One metric of one sample on the 0-1 scale, both sides. */
export interface RowScores {
  readonly base: number;
  readonly pr: number;
}

/** One sample with both sides' outcomes on the 0-1 scale; a metric without an outcome on both
 * sides is null. The absolute report puts its single side in `pr` and zeros in `base`. */
export interface PairedRow {
  readonly concept: string;
  readonly category: Category;
  readonly promptClass: PromptClass;
  readonly cp: RowScores | null;
  readonly pf: RowScores | null;
}

export interface ClusterTable {
  /** Cluster index -> concept id; ordered by category (CATEGORIES order), then concept id. */
  readonly concepts: readonly string[];
  /** concepts.length x STRIDE sums. */
  readonly sums: Float64Array;
  /** STRIDE sums over all clusters: the point estimates. */
  readonly total: Float64Array;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Outcomes = Pick<ScoredSample, 'concept' | 'category' | 'promptClass' | 'cp' | 'pf'>;

/** A table row from judge scores (0-4): a paired sample, or one side alone (`base` absent: zeros). */
export function toRow(pr: Outcomes, base?: Pick<ScoredSample, 'cp' | 'pf'>): PairedRow {
  const scores = (m: Metric): RowScores | null => {
    const p = pr[m];
    if (p === null) return null;
    if (base === undefined) return { base: 0, pr: p / 4 };
    const b = base[m];
    return b === null ? null : { base: b / 4, pr: p / 4 };
  };
  return {
    concept: pr.concept,
    category: pr.category,
    promptClass: pr.promptClass,
    cp: scores('cp'),
    pf: scores('pf'),
  };
}

export function buildClusterTable(rows: readonly PairedRow[]): ClusterTable {
  const used = rows.filter((r) => r.cp !== null || r.pf !== null);
  const categoryOf = new Map<string, Category>();
  for (const r of used) categoryOf.set(r.concept, r.category);
  const concepts = [...categoryOf.keys()].sort(
    (a, b) =>
      CATEGORIES.indexOf(categoryOf.get(a)!) - CATEGORIES.indexOf(categoryOf.get(b)!) ||
      byCodeUnits(a, b),
  );
  const index = new Map(concepts.map((c, i) => [c, i]));
  const sums = new Float64Array(concepts.length * STRIDE);
  for (const r of used) {
    const base = index.get(r.concept)! * STRIDE;
    for (const g of [OVERALL_GROUP, categoryGroup(r.category), classGroup(r.promptClass)]) {
      const o = base + g * FIELD_COUNT;
      sums[o + FIELD.n]! += 1;
      for (const m of ['cp', 'pf'] as const) {
        const v = r[m];
        if (v === null) continue;
        const f = METRIC_FIELDS[m];
        sums[o + f.n]! += 1;
        sums[o + f.base]! += v.base;
        sums[o + f.pr]! += v.pr;
      }
    }
  }
  const total = new Float64Array(STRIDE);
  for (let c = 0; c < concepts.length; c++)
    for (let k = 0; k < STRIDE; k++) total[k]! += sums[c * STRIDE + k]!;
  return { concepts, sums, total };
}

/** Number of clusters with at least one sample in each group. */
export function clustersPerGroup(table: ClusterTable): number[] {
  const counts = new Array<number>(GROUP_COUNT).fill(0);
  for (let c = 0; c < table.concepts.length; c++)
    for (let g = 0; g < GROUP_COUNT; g++)
      if (table.sums[c * STRIDE + g * FIELD_COUNT + FIELD.n]! > 0) counts[g]! += 1;
  return counts;
}

/** Samples and reference images behind each reporting group. */
export function groupCounts(
  table: ClusterTable,
): (g: number) => { samples: number; concepts: number } {
  const concepts = clustersPerGroup(table);
  return (g) => ({ samples: table.total[g * FIELD_COUNT + FIELD.n]!, concepts: concepts[g]! });
}
