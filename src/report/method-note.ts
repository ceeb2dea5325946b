// How the numbers were computed, for readers of the full report who want to check the method.
import * as f from './format.ts';
import type { ReportInput } from './model.ts';

export function methodNote(input: ReportInput): string {
  const view = input.comparison;
  const stats = view.kind === 'compared' ? view.comparison : input.absolute;
  const lines = [
    'A metric is the mean judge score divided by 4 (0-1 scale); CP·PF is the product of the two means. ' +
      "A failure of the model (its image missing, unreadable or invalid, or refused by the judge) counts as the lowest score, 0, on the side where it happened; a failure of the judge's service is left out and listed.",
    `Intervals of CP·PF and of the breakdowns are ${f.percent(stats.confidence)} percentile intervals of a cluster bootstrap that resamples reference images ` +
      `(the prompts of one image are not independent): ${f.count(stats.iterations)} resamples, seed ${stats.seed}.`,
  ];
  if (view.kind === 'compared') {
    const c = view.comparison;
    const alpha = (1 - c.confidence).toFixed(3);
    lines.push(
      'Deltas are paired: per metric, only samples with an outcome on both sides enter them.',
      `CP and PF are tested with one-sided cluster-robust t-tests (CR1 standard error, degrees of freedom: reference images − 1), ` +
        `one family per direction, each Holm-corrected over the two metrics at ${alpha}. A metric regresses when its drop is significant ` +
        `and the measured drop exceeds its tolerance (CP ${c.tolerance.cp.toFixed(3)}, PF ${c.tolerance.pf.toFixed(3)}); ` +
        `their intervals are the tests' own bounds, so they exclude 0 exactly when the change is significant. CP·PF, the summary product, is reported, not gated.`,
      'The minimum detectable effect is the smallest true change the gate would flag with 80% power: the one-sided test at Holm’s first step and the tolerance together (with tolerance 0, the noncentral t).',
    );
  }
  return `### Method\n\n${lines.map((l) => `- ${l}`).join('\n')}`;
}
