// The report as an ordered list of sections, shared by the PR comment and the job summary; the
// two differ only in style (how much detail, collapsed or expanded) and in their size limit.
import type { Pairing } from '../compare/index.ts';
import { leftOutLine } from './baseline-note.ts';
import { absoluteBreakdown, comparedBreakdown, type BreakdownTables } from './breakdown-tables.ts';
import { escapeMarkdown, truncate } from './escape.ts';
import { failuresSection } from './failures.ts';
import { wholeOrNothing, type Section } from './fit.ts';
import { differencesSection, fingerprintSection, notedLine } from './fingerprint-section.ts';
import * as f from './format.ts';
import { headlineSection } from './headline.ts';
import { historyChart } from './history-chart.ts';
import { judgeSection } from './judge-usage.ts';
import { blocks, details, link } from './markdown.ts';
import { methodNote } from './method-note.ts';
import { paperRows, paperTable } from './paper-table.ts';
import { rejudgeLines } from './rejudge-note.ts';
import * as m from './metrics-table.ts';
import type { ReportInput } from './model.ts';
import { sampleChangesSection } from './sample-changes.ts';

export interface ReportStyle {
  /** Breakdowns and failures as headed sections instead of collapsed blocks. */
  readonly expanded: boolean;
  /** Add the fingerprint table, the method note and the one-side id lists. */
  readonly full: boolean;
  readonly topChanges: number;
  readonly replyChars: number;
  readonly promptChars: number;
  readonly reasonChars: number;
  readonly maxFailureKinds: number;
}

/** Trim order: the first to go when over the limit. */
const TRIM = { sampleChanges: 1, failures: 2, oneSide: 3, paper: 4, breakdowns: 5 } as const;

const fixed = (text: string | undefined): Section => ({ text: text ?? '' });

function breakdownSection(tables: BreakdownTables, style: ReportStyle): Section {
  const text = style.expanded
    ? blocks('### Per category', tables.byCategory, '### Per prompt class', tables.byClass)
    : blocks(
        details('Per category (n: samples, reference images)', tables.byCategory),
        details('Per prompt class (n: samples, reference images)', tables.byClass),
      );
  return wholeOrNothing(text, 'per-category and per-class tables', TRIM.breakdowns);
}

function paperSection(input: ReportInput, style: ReportStyle): Section {
  const body = paperTable(paperRows(input));
  const title = 'DreamBench++ paper layout (CP by category, PF by prompt class, mean / 4)';
  const text = style.expanded
    ? blocks('### DreamBench++ paper layout', body)
    : details(title, body);
  return wholeOrNothing(text, 'the paper-layout table', TRIM.paper);
}

function oneSideSection(p: Pairing): Section {
  const list = (ids: readonly string[]) => ids.map((id) => escapeMarkdown(id)).join(', ');
  const text = blocks(
    p.baseOnly > 0
      ? `Scored only in the baseline (${f.count(p.baseOnly)}): ${list(p.baseOnlyIds)}`
      : undefined,
    p.prOnly > 0
      ? `Scored only in this run (${f.count(p.prOnly)}): ${list(p.prOnlyIds)}`
      : undefined,
  );
  return wholeOrNothing(text, 'lists of samples scored on one side only', TRIM.oneSide);
}

/** One click from the top of the report to the images: the HTML report, then the sheet. */
function imagesLine(input: ReportInput): string | undefined {
  const { report, contactSheet } = input.links;
  const parts = [
    report === undefined
      ? undefined
      : `🖼️ ${link('**Visual report**', report)}: every sample's reference, baseline and PR images, scores and the judge's words`,
    contactSheet === undefined
      ? undefined
      : `${link('contact sheet', contactSheet)} of the largest drops`,
  ].filter((p): p is string => p !== undefined);
  return parts.length === 0 ? undefined : `${parts.join(' · ')}.`;
}

function linksSection(input: ReportInput): string {
  const view = input.comparison;
  const { run, report, contactSheet, artifact } = input.links;
  const parts = [link('Workflow run', run)];
  if (report !== undefined) parts.push(link('visual report', report));
  if (contactSheet !== undefined) parts.push(link('contact sheet', contactSheet));
  if (artifact !== undefined)
    parts.push(
      `${link('results artifact', artifact)} (results.json, report.md, judge-size images)`,
    );
  if (view.kind !== 'none')
    parts.push(link(`baseline run ${view.baseline.runId}`, view.baseline.runUrl));
  return parts.join(' · ');
}

/** Why there are absolute numbers only. */
function noBaselineLine(input: ReportInput, reason: string): string {
  const why = escapeMarkdown(truncate(reason, 300));
  return input.mode === 'baseline'
    ? `This run publishes the baseline (${why}). Absolute numbers:`
    : `No baseline to compare with: ${why}. Absolute numbers only; verdict \`no-baseline\`.`;
}

/** The main numbers and the lines that qualify them; the HTML report shows the same blocks. */
export function numbersBlocks(input: ReportInput): string[] {
  const view = input.comparison;
  if (view.kind === 'compared') {
    const c = view.comparison;
    return [
      blocks(m.comparedTable(c), m.intervalLine(c), m.gateLine(c, input.gate.failOnRegression)),
      [
        m.pairingLine(c, input.planned),
        m.countedLine(c),
        m.mdeLine(c),
        m.absoluteLine(input.absolute),
      ]
        .filter((line) => line !== undefined)
        .join('<br>\n'),
      view.rejudged ? rejudgeLines(view.rejudged).join('<br>\n') : '',
      leftOutLine(view) ?? '',
      notedLine(view.noted ?? []) ?? '',
    ];
  }
  const intro = view.kind === 'none' ? noBaselineLine(input, view.reason) : undefined;
  return [
    blocks(intro, m.absoluteTable(input.absolute), m.absoluteCountedLine(input.absolute)),
    view.kind === 'incompatible' ? differencesSection(view.differences, view.notRejudged) : '',
  ];
}

/** Per category and per prompt class: deltas when compared, absolute numbers otherwise. */
export function breakdownTables(input: ReportInput): BreakdownTables {
  const view = input.comparison;
  return view.kind === 'compared'
    ? comparedBreakdown(view.comparison)
    : absoluteBreakdown(input.absolute);
}

/** The sections that depend on what was compared: numbers, counts, breakdowns, sample changes. */
function viewSections(input: ReportInput, style: ReportStyle): Section[] {
  const view = input.comparison;
  const common = [
    ...numbersBlocks(input).map(fixed),
    fixed(historyChart(input.history)),
    breakdownSection(breakdownTables(input), style),
    paperSection(input, style),
  ];
  if (view.kind !== 'compared') return common;
  const c = view.comparison;
  return [
    ...common,
    ...(style.full ? [oneSideSection(c.pairing)] : []),
    sampleChangesSection(c, input.samples, {
      ...style,
      top: style.topChanges,
      trimOrder: TRIM.sampleChanges,
      expectedScoring: input.judge.scoringUsed.expected > 0,
    }),
  ];
}

export function reportSections(input: ReportInput, style: ReportStyle): Section[] {
  return [
    fixed(headlineSection(input)),
    fixed(imagesLine(input)),
    ...viewSections(input, style),
    failuresSection(input.failures, {
      reasonChars: style.reasonChars,
      maxKinds: style.maxFailureKinds,
      collapsed: !style.expanded,
      trimOrder: TRIM.failures,
    }),
    fixed(judgeSection(input.judge)),
    fixed(style.full ? fingerprintSection(input.fingerprint) : undefined),
    fixed(style.full ? methodNote(input) : undefined),
    fixed(linksSection(input)),
  ];
}
