// The main numbers: CP, PF and CP·PF — paired deltas with intervals and the gate when compared,
// absolute numbers with intervals otherwise — and the lines that say how much they rest on, what
// was counted and what the gate tests.
import { METRICS, type Metric } from '../types.ts';
import type { AbsoluteReport, Comparison, CountedFailures, GatedMetric } from '../compare/index.ts';
import * as f from './format.ts';
import { METRIC_NAMES } from './headline.ts';
import { table } from './markdown.ts';

const ROW_LABELS = {
  cp: `**CP** ${METRIC_NAMES.cp}`,
  pf: `**PF** ${METRIC_NAMES.pf}`,
  cpPf: '**CP·PF** summary product',
} as const;

const VERDICT_LABELS: Readonly<Record<GatedMetric['verdict'], string>> = {
  regression: '❌ regression',
  improvement: '🎉 improvement',
  'within tolerance': '✅ within tolerance',
  'no significant change': '✅ no significant change',
};

/** Marks an interval end that Holm's second step tested at the full alpha. */
const STEP_TWO = '†';

/** Holm's first step for two metrics: each end a one-sided bound at 1 - alpha/2. */
function firstStep(c: Comparison): number {
  return 1 - (1 - c.confidence) / METRICS.length;
}

function gatedInterval(g: GatedMetric, first: number): string {
  const end = (b: GatedMetric['lower']) =>
    `${f.plain(b.value)}${b.confidence < first - 1e-12 ? STEP_TWO : ''}`;
  return `[${end(g.lower)}, ${end(g.upper)}]`;
}

/** The p-value of the direction the metric moved in. */
function directionP(g: GatedMetric): number {
  return g.delta < 0 ? g.pAdjusted.regression : g.pAdjusted.improvement;
}

export function comparedTable(c: Comparison): string {
  const first = firstStep(c);
  const gated = (m: Metric) => {
    const g = c[m];
    const row = [f.metric(g.base), f.metric(g.pr), f.delta(g.delta), gatedInterval(g, first)];
    return [ROW_LABELS[m], ...row, f.pValue(directionP(g)), VERDICT_LABELS[g.verdict]];
  };
  const d = c.cpPf;
  return table(
    ['', 'baseline', 'PR', 'delta', `${f.percent(c.confidence)} CI`, 'p (Holm)', 'verdict'],
    [
      gated('cp'),
      gated('pf'),
      [
        ROW_LABELS.cpPf,
        f.metric(d.base),
        f.metric(d.pr),
        f.delta(d.delta),
        f.interval(d.ci),
        '—',
        'not gated',
      ],
    ],
    'lrrrrrl',
  );
}

/** What the intervals in the table are, so that none seems to contradict its verdict. */
export function intervalLine(c: Comparison): string {
  const first = firstStep(c);
  const stepTwo = METRICS.some((m) =>
    [c[m].lower, c[m].upper].some((b) => b.confidence < first - 1e-12),
  );
  const df = c.cp.df === c.pf.df ? `${c.cp.df}` : `${c.cp.df} and ${c.pf.df}`;
  const marked = stepTwo
    ? ` (${STEP_TWO}: ${f.percent(c.confidence)}, Holm's second step, as the other metric's change that way was significant)`
    : '';
  return (
    `CP and PF: the interval is the gate's own test (paired, cluster-robust t with ${df} df), ` +
    `each end a one-sided ${f.percent(first)} bound${marked}, so it excludes 0 exactly when the ` +
    `change is significant; p is one-sided in the direction of the change, Holm-adjusted. ` +
    `CP·PF: cluster bootstrap, not gated.`
  );
}

export function absoluteTable(a: AbsoluteReport): string {
  const o = a.aggregate.overall;
  const n = `${f.count(o.samples)} (${f.plural(o.concepts, 'image')})`;
  return table(
    ['', 'this run', `${f.percent(a.confidence)} CI`, 'samples'],
    (['cp', 'pf', 'cpPf'] as const).map((m) => [
      ROW_LABELS[m],
      f.metric(o[m]),
      f.interval(a.intervals.overall[m]),
      n,
    ]),
    'lrrr',
  );
}

/** Without a comparison: how many of the model's failures the numbers count as 0; undefined
 * when none. */
export function absoluteCountedLine(a: AbsoluteReport): string | undefined {
  const n = a.aggregate.counted;
  if (n === 0) return undefined;
  return (
    `These numbers count ${f.plural(n, 'sample')} as the lowest score (0), because the model's ` +
    `image was missing, broken or refused by the judge.`
  );
}

/** How many samples the deltas rest on, and how many were left out on one side. */
export function pairingLine(c: Comparison, planned: number): string {
  const p = c.pairing;
  const oneSide = p.baseOnly + p.prOnly;
  const neither = Math.max(0, planned - p.paired - oneSide);
  const { cp, pf } = p.byMetric;
  const perMetric =
    cp.paired === p.paired && pf.paired === p.paired
      ? ''
      : ` (CP on ${f.count(cp.paired)}, PF on ${f.count(pf.paired)})`;
  const parts = [
    `${f.count(p.paired)} of ${f.plural(planned, 'sample')} paired across ${f.plural(p.pairedConcepts, 'reference image')}${perMetric}`,
    `${f.count(oneSide)} only on one side (baseline only: ${f.count(p.baseOnly)}, this run only: ${f.count(p.prOnly)})`,
  ];
  if (neither > 0) parts.push(`${f.count(neither)} scored on neither`);
  return `${parts.join('; ')}.`;
}

function countedSide(counted: CountedFailures, where: string): string {
  if (counted.samples === 0) return `none ${where}`;
  const kinds = Object.entries(counted.byKind).map(([kind, n]) => `${f.count(n)} ${kind}`);
  return `${f.plural(counted.samples, 'sample')} ${where} (${kinds.join(', ')})`;
}

/** How many model-owned failures the deltas count as the lowest score, on which side; undefined
 * when none. */
export function countedLine(c: Comparison): string | undefined {
  const { base, pr } = c.pairing.counted;
  if (base.samples + pr.samples === 0) return undefined;
  return (
    `Counted as the lowest score (0), because the model's image was missing, broken or refused by ` +
    `the judge: ${countedSide(pr, 'in this run')}, ${countedSide(base, 'in the baseline')}.`
  );
}

/** What a "no significant change" could have missed: the minimum detectable effects. */
export function mdeLine(c: Comparison): string {
  return (
    `A no-change verdict could miss true changes smaller than about ` +
    `±${c.cp.mde.toFixed(3)} in CP and ±${c.pf.mde.toFixed(3)} in PF ` +
    `(the gate catches a change of that size 80% of the time).`
  );
}

function toleranceText(t: Comparison['tolerance']): string {
  return t.cp === t.pf
    ? `the tolerance (${t.cp.toFixed(3)})`
    : `its tolerance (CP ${t.cp.toFixed(3)}, PF ${t.pf.toFixed(3)})`;
}

/** The gate, stated exactly: significance decides, the tolerance filters the measured drop. */
export function gateLine(
  c: Pick<Comparison, 'tolerance' | 'confidence'>,
  failOnRegression: boolean,
): string {
  const gate = failOnRegression ? 'fails the check' : 'is reported (fail-on-regression is off)';
  return (
    `Gate: a drop in CP or PF ${gate} when it is significant (one-sided, ` +
    `${f.percent(c.confidence)}, Holm over CP and PF) **and** the measured drop is larger than ` +
    `${toleranceText(c.tolerance)}. The tolerance applies to the measured drop, not to the ` +
    `interval: a significant drop no larger than it passes as within tolerance. An improvement ` +
    `never fails the check.`
  );
}

/** This run's own numbers over everything it scored (the paired means above may cover fewer). */
export function absoluteLine(a: AbsoluteReport): string {
  const o = a.aggregate.overall;
  const i = a.intervals.overall;
  const counted =
    a.aggregate.counted > 0 ? ` (${f.count(a.aggregate.counted)} counted as the lowest score)` : '';
  return (
    `This run over all ${f.plural(a.aggregate.scored, 'scored sample')}${counted}: ` +
    `CP ${f.metric(o.cp)} ${f.interval(i.cp)}, PF ${f.metric(o.pf)} ${f.interval(i.pf)}, ` +
    `CP·PF ${f.metric(o.cpPf)} ${f.interval(i.cpPf)}.`
  );
}
