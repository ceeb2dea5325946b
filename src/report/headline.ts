// The first lines of every report: the marker GitHub finds the comment by, and one line a reader
// can act on (what happened, to which metric).
import type { GatedMetric } from '../compare/index.ts';
import { commentMarker } from '../constants.ts';
import { escapeMarkdown } from './escape.ts';
import { shortSha } from './format.ts';
import { heading, link } from './markdown.ts';
import type { ReportInput } from './model.ts';

export const METRIC_NAMES = { cp: 'concept preservation', pf: 'prompt following' } as const;

function metricsWith(
  gated: { readonly cp: GatedMetric; readonly pf: GatedMetric },
  verdict: GatedMetric['verdict'],
): string {
  return (['cp', 'pf'] as const)
    .filter((m) => gated[m].verdict === verdict)
    .map((m) => METRIC_NAMES[m])
    .join(' and ');
}

/** Emoji and words for the run as a whole. */
export function verdictHeadline(input: ReportInput): string {
  if (input.verdict === 'skipped') return '⏭️ Skipped';
  const view = input.comparison;
  if (view.kind === 'incompatible') return '⚠️ Baseline not comparable';
  if (view.kind === 'none')
    return input.mode === 'baseline' ? '📌 Baseline published' : 'ℹ️ No baseline yet';
  const c = view.comparison;
  if (c.verdict === 'regression') {
    const gating = input.gate.failOnRegression ? '' : ' (not gating: fail-on-regression is off)';
    return `❌ Regression in ${metricsWith(c, 'regression')}${gating}`;
  }
  if (c.verdict === 'improvement') return `🎉 Improvement in ${metricsWith(c, 'improvement')}`;
  const small = metricsWith(c, 'within tolerance');
  return small === ''
    ? '✅ No significant change'
    : `✅ Within tolerance: a significant but small change in ${small}`;
}

/** Which commit was measured against which baseline (the HTML report's run line too). */
export function subline(input: ReportInput): string {
  const id =
    input.commentId === 'default' ? '' : ` · configuration ${escapeMarkdown(input.commentId)}`;
  const view = input.comparison;
  const against =
    view.kind === 'none'
      ? ''
      : ` against baseline ${link(shortSha(view.baseline.sha), view.baseline.runUrl)}`;
  return `DreamBench++ on ${shortSha(input.sha)}${against}${id}`;
}

export function headlineSection(input: ReportInput): string {
  return `${commentMarker(input.commentId)}\n${heading(2, verdictHeadline(input))}\n\n${subline(input)}`;
}
