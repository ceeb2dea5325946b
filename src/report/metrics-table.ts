// The main numbers: CP, PF and CP·PF — paired deltas with intervals and the gate when compared,
// absolute numbers with intervals otherwise — and the lines that say how much they rest on.
import type { Metric } from '../types.ts';
import type { AbsoluteReport, Comparison, GatedMetric } from '../compare/index.ts';
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
  'no significant change': '✅ no significant change',
};

export function comparedTable(c: Comparison): string {
  const gated = (m: Metric) => {
    const g = c[m];
    const row = [f.metric(g.base), f.metric(g.pr), f.delta(g.delta), f.interval(g.ci)];
    return [ROW_LABELS[m], ...row, f.pValue(g.pAdjusted), VERDICT_LABELS[g.verdict]];
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

/** How many samples the deltas rest on, and how many were left out on one side. */
export function pairingLine(c: Comparison, planned: number): string {
  const p = c.pairing;
  const oneSide = p.baseOnly + p.prOnly;
  const neither = Math.max(0, planned - p.paired - oneSide);
  const parts = [
    `${f.count(p.paired)} of ${f.plural(planned, 'sample')} paired across ${f.plural(p.pairedConcepts, 'reference image')}`,
    `${f.count(oneSide)} only on one side (baseline only: ${f.count(p.baseOnly)}, this run only: ${f.count(p.prOnly)})`,
  ];
  if (neither > 0) parts.push(`${f.count(neither)} scored on neither`);
  return `${parts.join('; ')}.`;
}

/** What a "no significant change" could have missed: the minimum detectable effects. */
export function mdeLine(c: Comparison): string {
  return (
    `A no-change verdict could miss true changes smaller than about ` +
    `±${c.cp.mde.toFixed(3)} in CP and ±${c.pf.mde.toFixed(3)} in PF ` +
    `(80% power at ${f.percent(c.confidence)} confidence, Holm over 2 metrics).`
  );
}

export function gateLine(
  c: { readonly tolerance: number; readonly confidence: number },
  failOnRegression: boolean,
): string {
  const gate = failOnRegression ? 'fails the check' : 'is reported (fail-on-regression is off)';
  return (
    `Gate: a drop in CP or PF ${gate} when it exceeds ${c.tolerance.toFixed(3)} and is significant ` +
    `at ${f.percent(c.confidence)} after Holm's correction; deltas are paired and clustered by reference image.`
  );
}

/** This run's own numbers over everything it scored (the paired means above may cover fewer). */
export function absoluteLine(a: AbsoluteReport): string {
  const o = a.aggregate.overall;
  const i = a.intervals.overall;
  return (
    `This run over all ${f.plural(a.aggregate.scored, 'scored sample')}: ` +
    `CP ${f.metric(o.cp)} ${f.interval(i.cp)}, PF ${f.metric(o.pf)} ${f.interval(i.pf)}, ` +
    `CP·PF ${f.metric(o.cpPf)} ${f.interval(i.cpPf)}.`
  );
}
