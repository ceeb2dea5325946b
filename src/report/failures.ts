// Failures: every sample that was planned but not scored, grouped by stage and kind with counts and
// how the statistics took them (the model's failures count as the lowest score, the judge service's
// are left out), then listed by id with its reason. Nothing is dropped silently, so nothing is
// hidden here either: when the list is trimmed to fit, the note says how many entries were left out.
import { isModelOwned } from '../score/to-scored.ts';
import type { SampleFailure } from '../types.ts';
import { escapeMarkdown, truncate } from './escape.ts';
import { fitItems, type Section } from './fit.ts';
import * as f from './format.ts';
import { table } from './markdown.ts';

export interface FailuresStyle {
  readonly reasonChars: number;
  /** Kinds listed in the overview table; the rest are summed into one row. */
  readonly maxKinds: number;
  readonly collapsed: boolean;
  readonly trimOrder: number;
}

export interface FailureGroup {
  readonly stage: SampleFailure['stage'];
  readonly kind: string;
  readonly failures: readonly SampleFailure[];
}

/** Groups by (stage, kind), largest group first, ids sorted within a group. */
export function groupFailures(failures: readonly SampleFailure[]): FailureGroup[] {
  const groups = new Map<string, SampleFailure[]>();
  for (const x of failures) {
    const key = JSON.stringify([x.stage, x.kind]);
    const list = groups.get(key) ?? [];
    list.push(x);
    groups.set(key, list);
  }
  return [...groups.values()]
    .map((list) => ({
      stage: list[0]!.stage,
      kind: list[0]!.kind,
      failures: [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    }))
    .sort((a, b) => b.failures.length - a.failures.length || (a.kind < b.kind ? -1 : 1));
}

function kindLabel(kind: string): string {
  return escapeMarkdown(truncate(kind, 60));
}

/** The table of failure kinds: stage, kind, count, how the statistics took them, an example
 * reason (the comment's and the HTML report's). */
export function failureOverview(
  groups: readonly FailureGroup[],
  style: Pick<FailuresStyle, 'maxKinds' | 'reasonChars'>,
): string {
  const shown = groups.slice(0, style.maxKinds);
  const rest = groups.slice(style.maxKinds);
  const rows = shown.map((g) => [
    g.stage,
    kindLabel(g.kind),
    f.count(g.failures.length),
    isModelOwned(g.stage, g.kind) ? 'lowest score (0)' : 'left out',
    escapeMarkdown(truncate(g.failures[0]!.reason, Math.min(style.reasonChars, 160))),
  ]);
  if (rest.length > 0) {
    const n = rest.reduce((s, g) => s + g.failures.length, 0);
    rows.push(['…', `${f.count(rest.length)} other kinds`, f.count(n), '', '']);
  }
  return table(['stage', 'kind', 'samples', 'counts as', 'example reason'], rows, 'llrll');
}

function listing(groups: readonly FailureGroup[], reasonChars: number): string[] {
  // The group's heading travels with its first entry, so the count of items is the count of failures.
  return groups.flatMap((g) =>
    g.failures.map((x, i) => {
      const line = `- ${escapeMarkdown(x.id)}: ${escapeMarkdown(truncate(x.reason, reasonChars))}`;
      return i === 0
        ? `\n**${kindLabel(g.kind)}** (${g.stage}, ${f.count(g.failures.length)}):\n\n${line}`
        : line;
    }),
  );
}

/** `7 samples not scored (5 counted as the lowest score, 2 left out)`. */
export function failureCounts(failures: readonly SampleFailure[]): string {
  const counted = failures.filter((x) => isModelOwned(x.stage, x.kind)).length;
  return (
    `${f.plural(failures.length, 'sample')} not scored ` +
    `(${f.count(counted)} counted as the lowest score, ${f.count(failures.length - counted)} left out)`
  );
}

export function failuresSection(failures: readonly SampleFailure[], style: FailuresStyle): Section {
  if (failures.length === 0) return { text: '' };
  const groups = groupFailures(failures);
  const title = `Failures: ${failureCounts(failures)}`;
  const open = style.collapsed ? `<details><summary>${title}</summary>\n` : `### ${title}\n`;
  const close = style.collapsed ? '\n</details>' : '';
  const head = `${open}\n${failureOverview(groups, style)}\n`;
  const items = listing(groups, style.reasonChars);
  const tail = (shown: number, total: number) =>
    `${shown < total ? `\n_The list is cut here; every failure is in the full report and results.json._\n` : ''}${close}`;
  const fallback = `**${title}** (the list is in the full report).`;
  const parts = { head, items, tail, fallback, what: 'listed failures' };
  return {
    text: fitItems(Number.POSITIVE_INFINITY, (s) => s.length, parts).text,
    trim: { order: style.trimOrder, fit: (budget, measure) => fitItems(budget, measure, parts) },
  };
}
