// Pure: the step's outputs (design.md "Outputs") from the run's outcome.
import type { AbsoluteReport, Comparison } from '../compare/index.ts';
import { Inputs, Outputs, type OutputName, type Verdict } from '../constants.ts';
import type { ComparisonView } from '../report/model.ts';
import { METRICS, type SampleFailure, type ScoredSample } from '../types.ts';

export interface Outcome {
  readonly verdict: Verdict;
  readonly absolute?: AbsoluteReport;
  readonly comparison?: ComparisonView;
  readonly scored: number;
  readonly failed: number;
  readonly costUsd: number;
  readonly manifestFile?: string;
  readonly resultsFile?: string;
  readonly reportFile?: string;
  readonly commentUrl?: string;
  /** The HTML report artifact's page. */
  readonly reportUrl?: string;
  /**
   * Set when the step must fail (the gate, a run that measured nothing, a refused comment, a
   * baseline that could not be uploaded): one line for each reason.
   */
  readonly failure?: string;
}

export const SKIPPED: Outcome = { verdict: 'skipped', scored: 0, failed: 0, costUsd: 0 };

/** Failure kinds that say the judge could not be used at all (a bad key, no credit). */
const FATAL_KINDS = ['auth', 'quota'];

function kindList(failures: readonly SampleFailure[]): string {
  const kinds = new Map<string, number>();
  for (const f of failures) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
  return [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
}

const percent = (share: number): string => `${Number((share * 100).toFixed(1))}%`;

/**
 * Pure: why a run that completed still measured too little to report as a pass or publish as a
 * baseline (a wrong key, a generator that wrote no image, a judge service that lost more samples
 * than `max-service-failures` allows). Such a run must fail, and must not become a baseline.
 * `scored` are the run's outcomes: a model-owned failure is one (it counts as 0), so only the
 * judge service's failures leave a sample, or one of its metrics, without a score.
 */
export function healthFailure(
  planned: number,
  outcomes: { readonly judged: number; readonly scored: readonly ScoredSample[] },
  failures: readonly SampleFailure[],
  maxServiceShare: number,
): string | undefined {
  const fatal = failures.find((f) => FATAL_KINDS.includes(f.kind));
  if (fatal) return `The judge could not be used: ${fatal.reason}`;
  if (planned > 0 && outcomes.judged === 0) {
    return `No sample was scored: all ${planned} failed (${kindList(failures)}); the report lists each with its reason`;
  }
  const complete = new Set(
    outcomes.scored.filter((s) => s.cp !== null && s.pf !== null).map((s) => s.id),
  );
  const leftOut = planned - complete.size;
  if (leftOut > maxServiceShare * planned) {
    const why = kindList(failures.filter((f) => !complete.has(f.id)));
    return (
      `${leftOut} of ${planned} samples (${percent(leftOut / planned)}) have no score for CP or PF ` +
      `because the judge's service failed (${why}), more than ${Inputs.MaxServiceFailures} allows ` +
      `(${percent(maxServiceShare)}); the report lists each with its reason`
    );
  }
  return undefined;
}

const fixed = (v: number | null | undefined): string =>
  v === null || v === undefined ? '' : v.toFixed(3);
const signed = (v: number | undefined): string =>
  v === undefined ? '' : `${v > 0 ? '+' : ''}${v.toFixed(3)}`;

export function outputsOf(o: Outcome): Record<OutputName, string> {
  const overall = o.absolute?.aggregate.overall;
  const c = o.comparison?.kind === 'compared' ? o.comparison.comparison : undefined;
  return {
    [Outputs.ConceptPreservation]: fixed(overall?.cp),
    [Outputs.PromptFollowing]: fixed(overall?.pf),
    [Outputs.CpPf]: fixed(overall?.cpPf),
    [Outputs.ConceptPreservationDelta]: signed(c?.cp.delta),
    [Outputs.PromptFollowingDelta]: signed(c?.pf.delta),
    [Outputs.CpPfDelta]: signed(c?.cpPf.delta),
    [Outputs.Verdict]: o.verdict,
    [Outputs.SamplesScored]: String(o.scored),
    [Outputs.SamplesFailed]: String(o.failed),
    [Outputs.CostUsd]: o.costUsd.toFixed(4),
    [Outputs.ResultsFile]: o.resultsFile ?? '',
    [Outputs.ReportFile]: o.reportFile ?? '',
    [Outputs.CommentUrl]: o.commentUrl ?? '',
    [Outputs.ReportUrl]: o.reportUrl ?? '',
    [Outputs.ManifestFile]: o.manifestFile ?? '',
  };
}

const pct = (v: number): string => `${v > 0 ? '+' : ''}${v.toFixed(3)}`;

/** Failures counted as the lowest score, as the gate line says them; empty when there are none. */
function countedText(c: Comparison): string {
  const { base, pr } = c.pairing.counted;
  if (base.samples + pr.samples === 0) return '';
  const kinds = (k: Readonly<Record<string, number>>) =>
    Object.entries(k)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
  const side = (n: number, k: Readonly<Record<string, number>>, where: string) =>
    `${n} ${where}${n > 0 ? ` (${kinds(k)})` : ''}`;
  return (
    `; failures counted as the lowest score: ${side(pr.samples, pr.byKind, 'in this run')}, ` +
    `${side(base.samples, base.byKind, 'in the baseline')}`
  );
}

/** Pure: the one line that says why the gate failed the step, or undefined when it passes. */
export function gateFailure(
  comparison: ComparisonView | undefined,
  failOnRegression: boolean,
): string | undefined {
  if (!failOnRegression || comparison?.kind !== 'compared') return undefined;
  const c = comparison.comparison;
  if (c.verdict !== 'regression') return undefined;
  const parts = METRICS.filter((m) => c[m].verdict === 'regression').map((m) => {
    const g = c[m];
    const name = m === 'cp' ? 'concept preservation' : 'prompt following';
    return (
      `${name} ${pct(g.delta)} [${g.ci[0].toFixed(3)}, ${g.ci[1].toFixed(3)}] ` +
      `(Holm p=${g.pAdjusted.regression.toPrecision(2)}, one-sided; tolerance ${g.tolerance.toFixed(3)})`
    );
  });
  return (
    `DreamBench regression: ${parts.join('; ')} against the baseline: a significant drop larger ` +
    `than its tolerance, over ${c.pairing.paired} paired samples${countedText(c)}`
  );
}
