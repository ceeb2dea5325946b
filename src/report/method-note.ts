// How the numbers were computed, for readers of the full report who want to check the method.
import * as f from './format.ts';
import type { ReportInput } from './model.ts';

export function methodNote(input: ReportInput): string {
  const view = input.comparison;
  const stats = view.kind === 'compared' ? view.comparison : input.absolute;
  const lines = [
    'A metric is the mean judge score divided by 4 (0-1 scale); CP·PF is the product of the two means. ' +
      'Failed samples are counted and listed, never averaged.',
    `Intervals are ${f.percent(stats.confidence)} percentile intervals of a cluster bootstrap that resamples reference images ` +
      `(the prompts of one image are not independent): ${f.count(stats.iterations)} resamples, seed ${stats.seed}.`,
  ];
  if (view.kind === 'compared') {
    const c = view.comparison;
    lines.push(
      'Deltas are paired: only samples scored on both sides enter them.',
      `CP and PF are tested with cluster-robust t-tests (degrees of freedom: reference images − 1) and ` +
        `Holm's correction over the two; a metric regresses when the adjusted p is below ${(1 - c.confidence).toFixed(3)} ` +
        `and the drop exceeds the tolerance ${c.tolerance.toFixed(3)}. CP·PF is shown for reference and not gated.`,
      'The minimum detectable effect is the smallest true change the test would flag with 80% power.',
    );
  }
  return `### Method\n\n${lines.map((l) => `- ${l}`).join('\n')}`;
}
