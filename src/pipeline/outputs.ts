// Pure: the step's outputs (design.md "Outputs") from the run's outcome.
import type { AbsoluteReport } from '../compare/index.ts';
import { Outputs, type OutputName, type Verdict } from '../constants.ts';
import type { ComparisonView } from '../report/model.ts';

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
  /** Set when the gate fails the step: one line saying why. */
  readonly gateFailure?: string;
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
