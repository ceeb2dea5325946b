// The lines that say the baseline was judged again with this run's judge (rejudge-baseline): what
// differed, how many of its stored images were judged again and what that cost, and its numbers
// as first judged beside those as judged now.
import type { Aggregate } from '../compare/index.ts';
import { escapeMarkdown, truncate } from './escape.ts';
import { changesInline, notedLine } from './fingerprint-section.ts';
import * as f from './format.ts';
import type { RejudgeView } from './model.ts';

function numbers(a: Aggregate): string {
  const o = a.overall;
  return `CP ${f.metric(o.cp)}, PF ${f.metric(o.pf)}, CP·PF ${f.metric(o.cpPf)}`;
}

function servedPart(r: RejudgeView): string {
  if (r.served.length === 0) return '';
  const names = r.served.map((m) => escapeMarkdown(truncate(m, 80))).join(', ');
  return `, served ${names}`;
}

export function rejudgeLines(r: RejudgeView): string[] {
  const judgeSide = r.differences.filter((d) => d.class === 'rejudge');
  const lines = [
    `🔁 **The baseline was judged again with this run's judge**, since it was judged differently ` +
      `(${changesInline(judgeSide)}): ${f.plural(r.judged, 'stored baseline image')} judged again ` +
      `(${f.count(r.scored)} scored; ${f.plural(r.calls, 'call')}, ${f.count(r.cacheHits)} cache hits${servedPart(r)}; ` +
      `${f.usd(r.costUsd)}), so both sides above are scored by the same judge.`,
    `The baseline over those samples as first judged: ${numbers(r.before)}; as judged again: ${numbers(r.after)}.`,
  ];
  if (r.reduced !== undefined) {
    lines.push(
      `Its images, stored at ${r.reduced.from} px, were reduced to this run's ${r.reduced.to} px ` +
        "for the judge: one more resampling and JPEG pass than this run's own images had.",
    );
  }
  if (r.leftOut.count > 0) {
    const more = r.leftOut.count > r.leftOut.examples.length ? '; …' : '';
    const why = escapeMarkdown(truncate(r.leftOut.examples.join('; '), 300));
    lines.push(
      `⚠️ ${f.plural(r.leftOut.count, 'paired sample')} could not be judged again and pair with ` +
        `nothing (${why}${more}).`,
    );
  }
  const noted = notedLine(r.differences.filter((d) => d.class === 'noted'));
  return noted === undefined ? lines : [...lines, noted];
}
