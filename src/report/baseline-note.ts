// The line that says what of the baseline was not used: its malformed entries, left out and
// counted (validate-baseline.ts), so a reader knows the comparison rests on the rest.
import { escapeMarkdown, truncate } from './escape.ts';
import type { ComparisonView } from './model.ts';

export function leftOutLine(view: ComparisonView): string | undefined {
  const leftOut = view.kind === 'compared' ? view.baseline.leftOut : undefined;
  if (!leftOut || leftOut.count === 0) return undefined;
  const { count, examples } = leftOut;
  const more = count > examples.length ? '; …' : '';
  const why = escapeMarkdown(truncate(examples.join('; '), 300));
  return (
    `⚠️ ${count} unusable ${count === 1 ? 'entry' : 'entries'} of the baseline's results.json ` +
    `${count === 1 ? 'was' : 'were'} left out (${why}${more}); the comparison uses the rest.`
  );
}
