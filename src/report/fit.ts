// Keeps a report under a size limit. A report is a list of sections; some can shrink (show fewer
// items, or nothing). When the whole is too big, trimmable sections are shrunk in their trim order
// (lowest first), each to what is left of the budget, and a note says what was left out.
// The same code serves the PR comment (65,536 characters) and the job summary (1 MiB of bytes):
// only `measure` differs.

import { count } from './format.ts';

export type Measure = (s: string) => number;

export interface Fitted {
  readonly text: string;
  /** What was left out, e.g. `7 of 10 largest changes`; undefined when nothing was. */
  readonly omitted?: string;
}

export interface Section {
  readonly text: string;
  /** Absent: the section is always kept whole. */
  readonly trim?: {
    /** Lower numbers are trimmed first. */
    readonly order: number;
    /** The richest rendering whose measure is at most `budget`; may be empty. */
    readonly fit: (budget: number, measure: Measure) => Fitted;
  };
}

const SEPARATOR = '\n\n';

export const characters: Measure = (s) => s.length;
export const utf8Bytes: Measure = (s) => Buffer.byteLength(s, 'utf8');

function join(texts: readonly string[]): string {
  return texts.filter((t) => t.trim() !== '').join(SEPARATOR);
}

/** Room kept for the trimming note: its longest plausible form. */
function noteReserve(
  note: (omitted: readonly string[]) => string,
  trimmable: number,
  measure: Measure,
) {
  return measure(note(Array.from({ length: trimmable }, () => 'x'.repeat(120)))) + SEPARATOR.length;
}

/** Cuts at a line boundary below `limit`; the last resort when fixed sections alone are too big. */
function hardCut(text: string, limit: number, measure: Measure, tail: string): string {
  let end = text.length;
  const room = limit - measure(tail) - SEPARATOR.length;
  while (end > 0 && measure(text.slice(0, end)) > room) end = Math.floor(end * 0.9);
  const cut = text.lastIndexOf('\n', end);
  return `${text.slice(0, cut > 0 ? cut : end)}${SEPARATOR}${tail}`;
}

/**
 * Joins the sections, shrinking trimmable ones when the result would exceed `limit`.
 *
 * The room left by the fixed sections is shared out by water-filling: smallest sections first,
 * each offered a share of what is left weighted by its trim order (sections trimmed first get the
 * smallest share); a section that needs less than its share keeps all of it and passes the rest on.
 * So short sections stay whole and the longest, lowest-priority ones are cut — a 2 MB failure list
 * cannot crowd out ten judge replies, nor the replies the failure counts.
 * `note` renders the list of what was omitted; it is appended only when something was.
 */
export function fitSections(
  sections: readonly Section[],
  limit: number,
  measure: Measure,
  note: (omitted: readonly string[]) => string,
): string {
  const texts = sections.map((s) => s.text);
  const whole = join(texts);
  if (measure(whole) <= limit) return whole;

  const trimmable = sections
    .map((s, i) => ({ i, trim: s.trim, size: measure(s.text) }))
    .filter(
      (x): x is { i: number; trim: NonNullable<Section['trim']>; size: number } =>
        x.trim !== undefined,
    )
    .sort((a, b) => a.size - b.size);
  const room = limit - noteReserve(note, trimmable.length, measure);
  const fixedSize = measure(join(texts.filter((_, j) => !trimmable.some((t) => t.i === j))));
  let left = room - fixedSize - SEPARATOR.length * trimmable.length;
  let weights = trimmable.reduce((w, t) => w + t.trim.order, 0);
  const omitted: { order: number; what: string }[] = [];
  for (const { i, trim, size } of trimmable) {
    const share = Math.max(0, Math.floor((left * trim.order) / weights));
    weights -= trim.order;
    if (size <= share) {
      left -= size;
      continue;
    }
    const fitted = trim.fit(share, measure);
    texts[i] = fitted.text;
    left -= measure(fitted.text);
    if (fitted.omitted !== undefined) omitted.push({ order: trim.order, what: fitted.omitted });
  }
  omitted.sort((a, b) => a.order - b.order);
  const tail = note(omitted.length > 0 ? omitted.map((o) => o.what) : ['the end of the report']);
  const fitted = join([...texts, tail]);
  return measure(fitted) <= limit ? fitted : hardCut(join(texts), limit, measure, tail);
}

/**
 * Fits a list: `head`, then as many `items` as the budget allows, then `tail(shown, total)`.
 * Items are kept in order (callers put the most important first).
 */
export function fitItems(
  budget: number,
  measure: Measure,
  parts: {
    readonly head: string;
    readonly items: readonly string[];
    readonly tail: (shown: number, total: number) => string;
    readonly what: string;
    /** Shown instead when not even `head` fits (e.g. a one-line count); may be empty. */
    readonly fallback?: string;
    readonly joiner?: string;
  },
): Fitted {
  const joiner = parts.joiner ?? '\n';
  const total = parts.items.length;
  const tailSize = Math.max(measure(parts.tail(0, total)), measure(parts.tail(total, total)));
  const fixed = measure(parts.head) + tailSize + 2 * joiner.length;
  let used = fixed;
  let shown = 0;
  for (const item of parts.items) {
    const size = measure(item) + joiner.length;
    if (used + size > budget) break;
    used += size;
    shown++;
  }
  if (shown === 0 && fixed > budget) {
    const fallback = parts.fallback ?? '';
    const text = measure(fallback) <= budget ? fallback : '';
    return { text, omitted: `all ${count(total)} ${parts.what}` };
  }
  const body = [parts.head, ...parts.items.slice(0, shown), parts.tail(shown, total)]
    .filter((p) => p !== '')
    .join(joiner);
  return shown === total
    ? { text: body }
    : { text: body, omitted: `${count(total - shown)} of ${count(total)} ${parts.what}` };
}

/** A section that is kept whole or dropped entirely. */
export function wholeOrNothing(text: string, what: string, order: number): Section {
  return {
    text,
    trim: {
      order,
      fit: (budget, measure) => (measure(text) <= budget ? { text } : { text: '', omitted: what }),
    },
  };
}
