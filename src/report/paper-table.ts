// The DreamBench++ paper's table layout: one row per run, CP by category, PF by prompt class,
// and CP·PF, each as the mean judge score / 4 (0-1), so a run reads like a leaderboard line.
import type { Aggregate } from '../compare/index.ts';
import { CATEGORIES, PROMPT_CLASSES } from '../types.ts';
import * as f from './format.ts';
import { table } from './markdown.ts';
import type { ReportInput } from './model.ts';

export interface PaperRow {
  readonly label: string;
  readonly aggregate: Aggregate;
}

/** This run, and the baseline as compared; a baseline judged again also as it was first judged. */
export function paperRows(input: ReportInput): PaperRow[] {
  const rows: PaperRow[] = [{ label: 'this run', aggregate: input.absolute.aggregate }];
  const view = input.comparison;
  if (view.kind !== 'compared' || view.baselineAggregate === undefined) return rows;
  if (view.rejudged) {
    rows.push(
      { label: 'baseline, judged again', aggregate: view.rejudged.after },
      { label: 'baseline as first judged', aggregate: view.rejudged.before },
    );
  } else rows.push({ label: 'baseline', aggregate: view.baselineAggregate });
  return rows;
}

const PAPER_NOTE =
  "As in the paper's tables, each number is the mean judge score / 4 over the samples scored " +
  '(n); — where a group has none. Two tables, so that each fits a comment.';

/** CP by category then overall; PF by prompt class then overall, and CP·PF (the paper's columns). */
export function paperTable(rows: readonly PaperRow[]): string {
  const cp = table(
    ['', 'n', ...CATEGORIES, '**CP**'],
    rows.map(({ label, aggregate: a }) => [
      label,
      f.count(a.scored),
      ...CATEGORIES.map((c) => f.metric(a.byCategory[c].cp)),
      f.metric(a.overall.cp),
    ]),
    `lr${'r'.repeat(CATEGORIES.length + 1)}`,
  );
  const pf = table(
    ['', ...PROMPT_CLASSES.map(f.groupName), '**PF**', '**CP·PF**'],
    rows.map(({ label, aggregate: a }) => [
      label,
      ...PROMPT_CLASSES.map((c) => f.metric(a.byClass[c].pf)),
      f.metric(a.overall.pf),
      f.metric(a.overall.cpPf),
    ]),
    `l${'r'.repeat(PROMPT_CLASSES.length + 2)}`,
  );
  return [
    '**Concept preservation** by category',
    cp,
    '**Prompt following** by prompt class, and CP·PF',
    pf,
    PAPER_NOTE,
  ].join('\n\n');
}
