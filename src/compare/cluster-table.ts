// Per-cluster sums: the data structure that makes a bootstrap iteration O(clusters).
// A cluster is one reference image (`concept`): its prompts share the subject, so their scores are
// correlated and must be resampled together. For every cluster we store, for each reporting group
// (overall, each category, each prompt class), the sample count and the score sums of both sides.
import {
  CATEGORIES,
  PROMPT_CLASSES,
  type Category,
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

/** Fields per group: sample count, then score sums on the 0-1 scale. */
export const FIELD = { n: 0, baseCp: 1, basePf: 2, prCp: 3, prPf: 4 } as const;
export const FIELD_COUNT = 5;
/** Numbers stored per cluster (and per bootstrap replicate). */
export const STRIDE = GROUP_COUNT * FIELD_COUNT;

/** One sample with both sides' scores on the 0-1 scale. The absolute report puts its single side
 * in `pr` and zeros in `base`. */
export interface PairedRow {
  readonly concept: string;
  readonly category: Category;
  readonly promptClass: PromptClass;
  readonly baseCp: number;
  readonly basePf: number;
  readonly prCp: number;
  readonly prPf: number;
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

/** A table row from judge scores (0-4): a paired sample, or one side alone (`base` absent: zeros). */
export function toRow(
  pr: Pick<ScoredSample, 'concept' | 'category' | 'promptClass' | 'cp' | 'pf'>,
  base?: Pick<ScoredSample, 'cp' | 'pf'>,
): PairedRow {
  return {
    concept: pr.concept,
    category: pr.category,
    promptClass: pr.promptClass,
    baseCp: (base?.cp ?? 0) / 4,
    basePf: (base?.pf ?? 0) / 4,
    prCp: pr.cp / 4,
    prPf: pr.pf / 4,
  };
}

export function buildClusterTable(rows: readonly PairedRow[]): ClusterTable {
  const categoryOf = new Map<string, Category>();
  for (const r of rows) categoryOf.set(r.concept, r.category);
  const concepts = [...categoryOf.keys()].sort(
    (a, b) =>
      CATEGORIES.indexOf(categoryOf.get(a)!) - CATEGORIES.indexOf(categoryOf.get(b)!) ||
      byCodeUnits(a, b),
  );
  const index = new Map(concepts.map((c, i) => [c, i]));
  const sums = new Float64Array(concepts.length * STRIDE);
  for (const r of rows) {
    const base = index.get(r.concept)! * STRIDE;
    for (const g of [OVERALL_GROUP, categoryGroup(r.category), classGroup(r.promptClass)]) {
      const o = base + g * FIELD_COUNT;
      sums[o + FIELD.n]! += 1;
      sums[o + FIELD.baseCp]! += r.baseCp;
      sums[o + FIELD.basePf]! += r.basePf;
      sums[o + FIELD.prCp]! += r.prCp;
      sums[o + FIELD.prPf]! += r.prPf;
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
