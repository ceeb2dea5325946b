// One card per sample: its id, group and prompt; reference, baseline and PR thumbnails side by
// side; CP and PF on both sides with the change; and the judge's words. Everything that came from
// outside (ids, prompts, replies, reasons) is HTML-escaped here.
import type { Metric } from '../../types.ts';
import { escapeHtml, truncate } from '../escape.ts';
import * as f from '../format.ts';
import type { SampleView } from '../model.ts';
import { judgeReplies } from '../sample-changes.ts';
import type { Picture, ReportSample, SampleThumbnails } from './model.ts';
import { isChanged } from './order.ts';

const PROMPT_CHARS = 1_000;
const REPLY_CHARS = 4_000;
const REASON_CHARS = 1_000;

/** Escaped text that keeps its line breaks (the page shows replies with `white-space: pre-wrap`). */
function escapeText(s: string): string {
  return s
    .split(/\r\n?|\n/)
    .map((line) => escapeHtml(line))
    .join('\n');
}

/** Classes the CSS-only filters select on; built from fixed vocabularies only. */
function cardClasses(s: ReportSample): string {
  return ['card', `cat-${s.category}`, `cls-${s.promptClass}`, isChanged(s) ? 'changed' : '']
    .filter((c) => c !== '')
    .join(' ');
}

function figure(label: string, thumb: Picture | undefined, missing: string): string {
  const image =
    thumb === undefined
      ? `<div class="noimg">${missing}</div>`
      : thumb === 'unreadable'
        ? '<div class="noimg unreadable">image unreadable</div>'
        : `<img src="${thumb.src}" width="${thumb.width}" height="${thumb.height}" alt="${label} image">`;
  return `<figure>${image}<figcaption>${label}</figcaption></figure>`;
}

function images(s: ReportSample, t: SampleThumbnails | undefined, compared: boolean): string {
  return (
    `<div class="images${compared ? '' : ' two'}">` +
    figure('reference', t?.reference, 'no reference image') +
    (compared ? figure('baseline', t?.baseline, 'no baseline image') : '') +
    figure('PR', t?.pr, s.failure ? 'no usable image' : 'no image') +
    '</div>'
  );
}

function score(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : f.judgeScore(v);
}

function deltaCell(pr: number | null | undefined, base: number | null | undefined): string {
  if (pr === null || pr === undefined || base === null || base === undefined) return '<td>—</td>';
  const d = pr - base;
  return `<td class="${d < 0 ? 'neg' : d > 0 ? 'pos' : ''}">${f.judgeDelta(d)}</td>`;
}

function scores(s: ReportSample, compared: boolean): string {
  const row = (m: Metric, name: string) =>
    `<tr><th>${name}</th>` +
    (compared ? `<td>${score(s.base?.[m])}</td>` : '') +
    `<td>${score(s.pr?.[m])}</td>` +
    (compared ? deltaCell(s.pr?.[m], s.base?.[m]) : '') +
    '</tr>';
  const head = compared ? '<th>baseline</th><th>PR</th><th>change</th>' : '<th>PR</th>';
  return (
    `<table class="scores"><thead><tr><th>0-4</th>${head}</tr></thead>` +
    `<tbody>${row('cp', 'CP')}${row('pf', 'PF')}</tbody></table>`
  );
}

function replies(view: SampleView | undefined, open: boolean): string {
  const said = judgeReplies(view);
  if (said.length === 0) return '<p class="muted">No judge replies recorded.</p>';
  const body = said
    .map(
      ([who, text]) =>
        `<div><h4>${who}</h4><p class="reply">${escapeText(truncate(text, REPLY_CHARS))}</p></div>`,
    )
    .join('');
  return `<details class="judge"${open ? ' open' : ''}><summary>The judge's words</summary><div class="said">${body}</div></details>`;
}

export interface CardOptions {
  readonly compared: boolean;
  /** Show the thumbnails (false past the report's size bound). */
  readonly withImages: boolean;
  readonly bound: string;
}

export function card(
  s: ReportSample,
  view: SampleView | undefined,
  thumbs: SampleThumbnails | undefined,
  o: CardOptions,
): string {
  const failure = s.failure
    ? `<p class="failure"><strong>${escapeHtml(s.failure.stage)} failure, ${escapeHtml(s.failure.kind)}:</strong> ${escapeText(truncate(s.failure.reason, REASON_CHARS))}</p>`
    : '';
  const pictures = o.withImages
    ? images(s, thumbs, o.compared)
    : `<p class="muted">Images left out to keep this report under ${o.bound}; the largest changes and the failures have theirs.</p>`;
  return (
    `<li class="${cardClasses(s)}" id="sample-${escapeHtml(s.id)}">` +
    `<h3><code>${escapeHtml(s.id)}</code></h3>` +
    `<p class="muted">${s.category} · ${f.groupName(s.promptClass)}</p>` +
    `<p class="prompt">${escapeText(truncate(s.prompt, PROMPT_CHARS))}</p>` +
    failure +
    pictures +
    scores(s, o.compared) +
    replies(view, isChanged(s) || s.failure !== undefined) +
    '</li>'
  );
}
