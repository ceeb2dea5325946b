// The largest per-sample changes: a table of the top changes, then, per sample, the prompt and
// what the judge said on both sides (escaped and trimmed) in a collapsed block.
// The table must fit GitHub's comment width (about 800 px): the scores a reviewer came for come
// first, ids are shortened (the full id heads the sample's block below), and the prompt lives in
// that block rather than in a cell.
import {
  largestChanges,
  type Comparison,
  type SampleDelta,
  type ScoreChange,
} from '../compare/index.ts';
import { escapeHtml, escapeMarkdown, truncate } from './escape.ts';
import { fitItems, type Section } from './fit.ts';
import * as f from './format.ts';
import { details, table } from './markdown.ts';
import type { SampleView } from './model.ts';

export interface SampleChangesStyle {
  readonly top: number;
  /** Longest judge reply shown, in characters, before escaping. */
  readonly replyChars: number;
  readonly promptChars: number;
  readonly trimOrder: number;
  /** Scores are expected values, so a quoted reply's `Score: N` can differ from the number shown. */
  readonly expectedScoring?: boolean;
}

export const EXPECTED_NOTE =
  "Scores are expected values over 0-4 from the judge's log-probabilities; a quoted reply shows the score the judge sampled.";

/** Changes shown per reference image, so the list covers several subjects. */
const PER_CONCEPT = 2;

/** Longest id shown in the table, in characters. */
const SHORT_ID_CHARS = 28;

/**
 * An id short enough for a table cell: without the `live_subject_` prefix every animal and human
 * concept carries, and with a long subject cut in the middle so the prompt index stays visible.
 */
export function shortId(id: string): string {
  const short = id.replace(/^live_subject_/, '');
  if (short.length <= SHORT_ID_CHARS) return short;
  const suffix = /-p\d+$/.exec(short)?.[0] ?? '';
  return `${truncate(short.slice(0, short.length - suffix.length), SHORT_ID_CHARS - suffix.length)}${suffix}`;
}

function scoreMove(s: ScoreChange): string {
  return `${f.judgeScore(s.base)} → ${f.judgeScore(s.pr)} (${f.judgeDelta(s.delta)})`;
}

/** What the judge said about a sample, labelled, in the order both reports show it; only the
 * replies that were recorded and are not blank. */
export function judgeReplies(view: SampleView | undefined): [label: string, text: string][] {
  const said: [string, string | undefined][] = [
    ['CP, baseline', view?.baseCpReply],
    ['CP, this run', view?.cpReply],
    ['PF, baseline', view?.basePfReply],
    ['PF, this run', view?.pfReply],
  ];
  return said.filter((r): r is [string, string] => r[1] !== undefined && r[1].trim() !== '');
}

function sampleBlock(
  d: SampleDelta,
  view: SampleView | undefined,
  style: SampleChangesStyle,
): string {
  const summary = escapeHtml(`${d.id} · CP ${scoreMove(d.cp)} · PF ${scoreMove(d.pf)}`);
  const quotes = judgeReplies(view).map(
    ([label, text]) => `**${label}:**\n> ${escapeMarkdown(truncate(text, style.replyChars))}`,
  );
  const parts = [
    ...(view === undefined
      ? []
      : [`**Prompt:** ${escapeMarkdown(truncate(view.prompt, style.promptChars))}`]),
    ...quotes,
  ];
  return details(
    summary,
    parts.length > 0 ? parts.join('\n\n') : '_No prompt or replies recorded._',
  );
}

/** Judge scale 0-4 as the judge gave them; ordered by the larger of the two changes. */
export function sampleChangesSection(
  comparison: Comparison,
  samples: ReadonlyMap<string, SampleView>,
  style: SampleChangesStyle,
): Section {
  const changed = comparison.sampleDeltas.filter((d) => d.cp.delta !== 0 || d.pf.delta !== 0);
  const top = largestChanges(changed, style.top, 'either', PER_CONCEPT);
  if (top.length === 0) {
    return {
      text:
        comparison.sampleDeltas.length > 0
          ? '### Largest per-sample changes\n\nNo paired sample changed its CP or PF score.'
          : '',
    };
  }
  const overview = table(
    ['CP (0-4)', 'PF (0-4)', 'sample', 'group'],
    top.map((d) => [
      scoreMove(d.cp),
      scoreMove(d.pf),
      escapeMarkdown(shortId(d.id)),
      `${d.category} · ${f.groupName(d.promptClass)}`,
    ]),
    'rrll',
  );
  const note = style.expectedScoring ? `\n\n${EXPECTED_NOTE}` : '';
  const head = `### Largest per-sample changes\n\n${overview}${note}`;
  const items = top.map((d) => sampleBlock(d, samples.get(d.id), style));
  const parts = {
    head,
    items,
    what: 'judge-reply blocks of the largest changes',
    fallback: '',
    joiner: '\n\n',
  };
  const whole = [head, ...items].join('\n\n');
  return {
    text: whole,
    trim: {
      order: style.trimOrder,
      fit: (budget, measure) =>
        fitItems(budget, measure, {
          ...parts,
          tail: (shown, total) =>
            shown < total ? `_${total - shown} more in the full report._` : '',
        }),
    },
  };
}
