// The self-contained HTML report (pure: the edge hands it thumbnails as data: URIs). One page:
// the verdict, the numbers and the run; every sample, largest change first, with its images,
// prompt, scores and the judge's words, behind CSS-only filters; the failures; the per-category
// and per-class tables; the trend. The text blocks are the comment's own renderers' output.
import { escapeHtml } from '../escape.ts';
import { failureCounts, failureOverview, groupFailures } from '../failures.ts';
import { fingerprintSection } from '../fingerprint-section.ts';
import { utf8Bytes } from '../fit.ts';
import * as f from '../format.ts';
import { subline, verdictHeadline } from '../headline.ts';
import { judgeSection } from '../judge-usage.ts';
import type { ReportInput } from '../model.ts';
import { EXPECTED_NOTE } from '../sample-changes.ts';
import { paperRows, paperTable } from '../paper-table.ts';
import { breakdownTables, numbersBlocks } from '../sections.ts';
import { card, type CardOptions } from './cards.ts';
import { filterControls, filterCss } from './filters.ts';
import { anchor, inlineHtml, markdownHtml } from './from-markdown.ts';
import type { HtmlReportInput, ReportSample, SampleThumbnails } from './model.ts';
import { idsWithImages, orderSamples } from './order.ts';
import { page } from './page.ts';
import { trendSvg } from './trend.ts';

export type * from './model.ts';

/**
 * The page's size bound: 150 samples with all their images weigh about 7 MB, far below it; past
 * it (1,350 samples of detailed photographs) the smallest changes are listed without images.
 */
export const HTML_REPORT_BOUND = 48_000_000;

/** The failure kinds' table as the full report has it: every kind, with an example reason. */
const FAILURE_OVERVIEW = { maxKinds: 100, reasonChars: 160 };

/** Bytes of markup around one image beyond its data URI (tag, attributes, caption). */
const IMAGE_OVERHEAD = 120;

function runLine(r: ReportInput): string {
  return (
    `<p>${inlineHtml(subline(r))} · ${anchor('workflow run', r.links.run)}</p>` +
    `<p class="muted">${f.plural(r.planned, 'sample')} planned, ${f.count(r.failures.length)} failed · ` +
    `judge ${escapeHtml(r.judge.model)} · ${f.usd(r.judge.costUsd)}` +
    `${r.judge.judgingMode === 'batch' ? ' at Batch API prices' : ''}</p>`
  );
}

function header(r: ReportInput, failed: number): string {
  const nav = [
    ['#samples', 'Samples'],
    ...(failed > 0 ? [['#failures', `Failures (${f.count(failed)})`]] : []),
    ['#groups', 'Per category and class'],
    ['#trend', 'Trend'],
    ['#judge', 'Judge'],
  ]
    .map(([href, label]) => `<a href="${href}">${label}</a>`)
    .join(' ');
  return (
    `<header><h1>${escapeHtml(verdictHeadline(r))}</h1>${runLine(r)}<nav>${nav}</nav>` +
    `<section id="numbers">${numbersBlocks(r)
      .map((md) => markdownHtml(md))
      .join('\n')}</section></header>`
  );
}

function imageCost(t: SampleThumbnails | undefined): number {
  return [t?.reference, t?.baseline, t?.pr].reduce(
    (sum, x) => sum + (x === undefined || x === 'unreadable' ? 0 : x.src.length + IMAGE_OVERHEAD),
    0,
  );
}

function samplesSection(
  r: ReportInput,
  listed: readonly ReportSample[],
  cards: readonly string[],
): string {
  const expected = r.judge.scoringUsed.expected > 0 ? ` ${escapeHtml(EXPECTED_NOTE)}` : '';
  return (
    `<section id="samples"><h2>Samples <span class="n">${f.count(listed.length)}</span></h2>` +
    '<p class="muted">Largest change first (the larger of the CP and PF changes, on the judge\'s ' +
    `0-4 scale); samples without a baseline score follow in plan order.${expected}</p>` +
    `<div class="filterable">${filterControls(listed)}<ol class="cards">${cards.join('\n')}</ol>` +
    `<p class="shown"> of ${f.plural(listed.length, 'sample')}</p></div></section>`
  );
}

function failuresSection(
  r: ReportInput,
  failed: readonly ReportSample[],
  cards: readonly string[],
): string {
  if (failed.length === 0) return '';
  const overview = failureOverview(groupFailures(r.failures), FAILURE_OVERVIEW);
  return (
    `<section id="failures"><h2>Failures <span class="n">${f.count(failed.length)}</span></h2>` +
    `<p class="muted">${escapeHtml(failureCounts(r.failures))}; each below with its reason and whatever image exists.</p>` +
    `${markdownHtml(overview)}<ol class="cards">${cards.join('\n')}</ol></section>`
  );
}

function groupsSection(r: ReportInput): string {
  const t = breakdownTables(r);
  return (
    '<section id="groups"><h2>Per category and prompt class</h2>' +
    `<h3>Per category</h3>${markdownHtml(t.byCategory)}<h3>Per prompt class</h3>${markdownHtml(t.byClass)}` +
    `<h3>DreamBench++ paper layout</h3>${markdownHtml(paperTable(paperRows(r)))}</section>`
  );
}

function trendSection(r: ReportInput): string {
  const svg = trendSvg(r.history);
  return (
    '<section id="trend"><h2>Trend of recent baselines</h2>' +
    (svg ?? '<p class="muted">Fewer than two baselines with both metrics: no trend yet.</p>') +
    '</section>'
  );
}

function tail(input: HtmlReportInput): string {
  const r = input.report;
  const links = [
    anchor('workflow run', r.links.run),
    r.links.artifact === undefined ? undefined : anchor('results artifact', r.links.artifact),
    r.links.contactSheet === undefined ? undefined : anchor('contact sheet', r.links.contactSheet),
    r.comparison.kind === 'none' ? undefined : anchor('baseline run', r.comparison.baseline.runUrl),
  ].filter((l): l is string => l !== undefined);
  return (
    `<section id="judge">${markdownHtml(judgeSection(r.judge), -1)}${markdownHtml(fingerprintSection(r.fingerprint), -1)}</section>` +
    `</main><footer><p>${links.join(' · ')}</p><p>${escapeHtml(input.generator)}: this page loads nothing from outside; every image is inside it.</p></footer>`
  );
}

/** Renders every card, with images only for the ids in `withImages`. */
function renderCards(
  input: HtmlReportInput,
  samples: readonly ReportSample[],
  withImages: ReadonlySet<string>,
  bound: string,
): string[] {
  const compared = input.report.comparison.kind === 'compared';
  return samples.map((s) => {
    const o: CardOptions = { compared, withImages: withImages.has(s.id), bound };
    return card(s, input.report.samples.get(s.id), input.thumbnails.get(s.id), o);
  });
}

export function renderHtmlReport(input: HtmlReportInput): string {
  const r = input.report;
  const { listed, failed } = orderSamples(input.samples);
  const bound = `${Number((input.byteBound / 1_000_000).toPrecision(2))} MB`;
  // Only the cards change with the images kept: the rest is rendered once.
  const title = `DreamBench++ · ${escapeHtml(verdictHeadline(r))} · ${f.shortSha(r.sha)}`;
  const css = filterCss(listed);
  const head = `${header(r, failed.length)}<main>`;
  const rest = groupsSection(r) + trendSection(r) + tail(input);
  const build = (withImages: ReadonlySet<string>) =>
    page(
      title,
      css,
      head +
        samplesSection(r, listed, renderCards(input, listed, withImages, bound)) +
        failuresSection(r, failed, renderCards(input, failed, withImages, bound)) +
        rest,
    );
  // The text first, then as many samples' images as the bound leaves room for: failures (they are
  // the news when there are many) and the largest changes first.
  const priority = [...failed, ...listed].map((s) => s.id);
  const cost = (id: string) => imageCost(input.thumbnails.get(id));
  let room = input.byteBound - utf8Bytes(build(new Set()));
  let html = build(idsWithImages(priority, cost, room));
  // The markup estimate per image is close, not exact: shrink the room by any excess and retry.
  for (let i = 0; i < 3 && utf8Bytes(html) > input.byteBound; i++) {
    room -= utf8Bytes(html) - input.byteBound;
    html = build(idsWithImages(priority, cost, room));
  }
  return html;
}
