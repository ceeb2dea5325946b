// Per category and per prompt class tables, with the counts each number rests on.
import type { AbsoluteReport, Breakdown, Comparison, DeltaEstimate } from '../compare/index.ts';
import { CATEGORIES, PROMPT_CLASSES } from '../types.ts';
import * as f from './format.ts';
import { table } from './markdown.ts';

export interface BreakdownTables {
  readonly byCategory: string;
  readonly byClass: string;
}

const GROUPS = [
  { key: 'byCategory', label: 'category', names: CATEGORIES },
  { key: 'byClass', label: 'prompt class', names: PROMPT_CLASSES },
] as const;

function counted(samples: number, concepts: number): string {
  return `${f.count(samples)} (${f.count(concepts)} img)`;
}

function moved(d: DeltaEstimate | null): string {
  return d === null ? '—' : `${f.metric(d.base)} → ${f.metric(d.pr)}`;
}

function change(d: DeltaEstimate | null): string {
  return d === null ? '—' : `${f.delta(d.delta)}<br>${f.interval(d.ci)}`;
}

/** Why a cell can be empty; shown under a table that has one. */
const SPARSE_NOTE =
  '— : no samples in the group, or too few reference images (clusters) to resample an interval.';

function build<T>(
  b: Breakdown<T>,
  header: (label: string) => string[],
  row: (g: T) => string[],
  align: string,
): BreakdownTables {
  const [cat, cls] = GROUPS.map(({ key, label, names }) => {
    const groups = b[key] as Readonly<Record<string, T>>;
    const text = table(
      header(label),
      names.map((n) => [f.groupName(n), ...row(groups[n]!)]),
      align,
    );
    return text.includes('—') ? `${text}\n\n${SPARSE_NOTE}` : text;
  }) as [string, string];
  return { byCategory: cat, byClass: cls };
}

export function comparedBreakdown(c: Comparison): BreakdownTables {
  const ci = `Δ<br>[${f.percent(c.confidence)} CI]`;
  return build(
    c,
    (label) => [label, 'n', 'CP', `CP ${ci}`, 'PF', `PF ${ci}`, `CP·PF ${ci}`],
    (g) => [
      counted(g.samples, g.concepts),
      moved(g.cp),
      change(g.cp),
      moved(g.pf),
      change(g.pf),
      change(g.cpPf),
    ],
    'lrrrrrr',
  );
}

export function absoluteBreakdown(a: AbsoluteReport): BreakdownTables {
  const stats = a.aggregate;
  const ci = `[${f.percent(a.confidence)} CI]`;
  const keyed = {
    overall: { s: stats.overall, i: a.intervals.overall },
    byCategory: Object.fromEntries(
      CATEGORIES.map((k) => [k, { s: stats.byCategory[k], i: a.intervals.byCategory[k] }]),
    ),
    byClass: Object.fromEntries(
      PROMPT_CLASSES.map((k) => [k, { s: stats.byClass[k], i: a.intervals.byClass[k] }]),
    ),
  } as Breakdown<{ s: (typeof stats)['overall']; i: (typeof a.intervals)['overall'] }>;
  return build(
    keyed,
    (label) => [label, 'n', `CP ${ci}`, `PF ${ci}`, `CP·PF ${ci}`],
    ({ s, i }) => [
      counted(s.samples, s.concepts),
      `${f.metric(s.cp)} ${f.interval(i.cp)}`,
      `${f.metric(s.pf)} ${f.interval(i.pf)}`,
      `${f.metric(s.cpPf)} ${f.interval(i.cpPf)}`,
    ],
    'lrrrr',
  );
}
