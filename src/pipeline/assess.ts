// Pure: what a measured run amounts to: absolute numbers, the comparison with the baseline, the
// carried-forward history and the verdict.
import { absoluteReport, type AbsoluteReport } from '../compare/index.ts';
import type { Config } from '../config.ts';
import type { Verdict } from '../constants.ts';
import type { ComparisonView, HistoryPoint } from '../report/model.ts';
import { extendHistory } from '../results/history.ts';
import type { PlannedSample, RunInfo } from '../results/schema.ts';
import type { JudgeRecord, ScoreStats } from '../score/score-samples.ts';
import { toScoredSamples } from '../score/to-scored.ts';
import type { Fingerprint, SampleFailure, ScoredSample } from '../types.ts';
import { comparisonView, type BaselineFound } from './baseline.ts';
import type { RunContext } from './context.ts';

/** What a scored run hands to the compare and report half (also what a merge of shards yields). */
export interface Measured {
  readonly samples: readonly PlannedSample[];
  readonly records: readonly JudgeRecord[];
  readonly stats: ScoreStats;
  readonly failures: readonly SampleFailure[];
  readonly fingerprint: Fingerprint;
  readonly resultsDir: string;
  /** What this job's own judging spent (absent in a merge job, which judged nothing yet). */
  readonly judging?: { readonly costUsd: number; readonly ms: number };
}

export type BaselineLookup = BaselineFound | { missing: string };

export interface Assessment {
  /** Every sample with an outcome (a model-owned failure counts as 0). */
  readonly scored: readonly ScoredSample[];
  /** Samples the judge scored on both metrics. */
  readonly judged: number;
  readonly absolute: AbsoluteReport;
  readonly comparison: ComparisonView;
  readonly history: readonly HistoryPoint[];
  readonly verdict: Verdict;
}

export function runInfoOf(ctx: RunContext, mode: 'check' | 'baseline', config: Config): RunInfo {
  return {
    repository: `${ctx.repository.owner}/${ctx.repository.repo}`,
    runId: ctx.runId,
    runAttempt: ctx.runAttempt,
    workflow: ctx.workflow,
    eventName: ctx.eventName,
    ref: ctx.ref,
    sha: ctx.sha,
    prNumber: ctx.pullRequest?.number ?? null,
    url: ctx.runUrl,
    mode,
    shard: config.shard ?? null,
  };
}

export function assess(
  config: Config,
  run: RunInfo,
  m: Measured,
  baseline: BaselineLookup,
  createdAt: string,
): Assessment {
  const scored = toScoredSamples(m.records, m);
  const judged = m.records.filter((r) => r.scored).length;
  const absolute = absoluteReport(scored, m.samples.length - scored.length, {
    confidence: config.gate.confidence,
    seed: config.sampling.seed,
  });
  // On a baseline run this compares with the previous baseline: drift shown, never gated.
  const comparison = comparisonView(config, baseline, { fingerprint: m.fingerprint, scored });
  const previous = 'missing' in baseline ? [] : baseline.results.history;
  const o = absolute.aggregate.overall;
  const history =
    run.mode === 'baseline' && !run.shard
      ? extendHistory(previous, { runId: run.runId, sha: run.sha, createdAt, cp: o.cp, pf: o.pf })
      : previous;
  const verdict: Verdict = run.shard
    ? 'skipped'
    : comparison.kind === 'compared'
      ? comparison.comparison.verdict
      : 'no-baseline';
  return { scored, judged, absolute, comparison, history, verdict };
}
