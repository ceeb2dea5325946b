// Pure: the step's outputs (design.md "Outputs") from the run's outcome.
import type { AbsoluteReport } from '../compare/index.ts';
import { Outputs, type OutputName, type Verdict } from '../constants.ts';
import type { ComparisonView } from '../report/model.ts';
import type { SampleFailure } from '../types.ts';

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

/**
 * Pure: why a run that completed still measured nothing worth reporting as a pass (a wrong key, a
 * generator that wrote no image): such a run must fail, and must not become a baseline.
 */
export function healthFailure(
  planned: number,
  scored: number,
  failures: readonly SampleFailure[],
): string | undefined {
  const fatal = failures.find((f) => FATAL_KINDS.includes(f.kind));
  if (fatal) return `The judge could not be used: ${fatal.reason}`;
  if (planned > 0 && scored === 0) {
    const kinds = new Map<string, number>();
    for (const f of failures) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
    const list = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
    return `No sample was scored: all ${planned} failed (${list}); the report lists each with its reason`;
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

/** Pure: the one line that says why the gate failed the step, or undefined when it passes. */
export function gateFailure(
  comparison: ComparisonView | undefined,
  failOnRegression: boolean,
): string | undefined {
  if (!failOnRegression || comparison?.kind !== 'compared') return undefined;
  const c = comparison.comparison;
  if (c.verdict !== 'regression') return undefined;
  const parts = (['cp', 'pf'] as const)
    .filter((m) => c[m].verdict === 'regression')
    .map((m) => {
      const g = c[m];
      const name = m === 'cp' ? 'concept preservation' : 'prompt following';
      const ci = g.ci ? ` [${g.ci[0].toFixed(3)}, ${g.ci[1].toFixed(3)}]` : '';
      return `${name} ${pct(g.delta)}${ci} (Holm p=${g.pAdjusted.toPrecision(2)})`;
    });
  return (
    `DreamBench regression: ${parts.join('; ')} against the baseline, beyond the tolerance of ` +
    `${c.tolerance} over ${c.pairing.paired} paired samples`
  );
}
