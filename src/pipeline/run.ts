// The pipeline for one job: plan → generate → score → compare → report, as the mode asks.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { absoluteReport } from '../compare/index.ts';
import type { Config } from '../config.ts';
import type { Verdict } from '../constants.ts';
import type { RunMode } from '../mode.ts';
import { renderComment, renderSummary } from '../report/index.ts';
import type { ComparisonView, HistoryPoint } from '../report/model.ts';
import { buildResultsFile, orderFailures, plannedSample } from '../results/build.ts';
import { extendHistory } from '../results/history.ts';
import type { PlannedSample, ResultsFile } from '../results/schema.ts';
import type { JudgeRecord, ScoreStats } from '../score/score-samples.ts';
import { toScoredSamples } from '../score/to-scored.ts';
import type { Fingerprint, SampleFailure } from '../types.ts';
import { baselineBranchOf, comparisonView, fetchBaseline, type BaselineFound } from './baseline.ts';
import { writeContactSheet } from './contact-sheet.ts';
import type { RunContext } from './context.ts';
import { fingerprintOf } from './fingerprint.ts';
import { generate } from './generate.ts';
import type { RunIO } from './io.ts';
import { gateFailure, type Outcome } from './outputs.ts';
import { plan } from './plan.ts';
import { postComment, uploadArtifact, writeResultsFolder } from './publish.ts';
import { loadJudgeTemplates, score } from './score.ts';
import { reportInput } from './report-input.ts';

export interface ActionInfo {
  /** The action's own folder (prompts/ lives here). */
  readonly root: string;
  readonly version: string;
}

/** What a scored run hands to the compare and report half (also what a merge of shards yields). */
export interface Measured {
  readonly samples: readonly PlannedSample[];
  readonly records: readonly JudgeRecord[];
  readonly stats: ScoreStats;
  readonly failures: readonly SampleFailure[];
  readonly fingerprint: Fingerprint;
  readonly resultsDir: string;
}

export async function runPipeline(
  config: Config,
  mode: RunMode,
  ctx: RunContext,
  io: RunIO,
  action: ActionInfo,
): Promise<Outcome> {
  await mkdir(ctx.workDir, { recursive: true });
  const planned = await io.log.group('Plan: load the benchmark, choose the sample', () =>
    plan(config, ctx, io),
  );
  if (mode === 'plan') {
    io.log.notice(
      `Wrote the manifest of ${planned.samples.length} samples: ${planned.manifestPath}`,
    );
    return {
      verdict: 'skipped',
      scored: 0,
      failed: 0,
      costUsd: 0,
      manifestFile: planned.manifestPath,
    };
  }
  if (mode === 'merge') throw new Error('mode "merge" is handled by runMerge');
  // Before any judge call is paid for: a missing `actions: read` permission fails here, cheaply.
  const baseline = await lookUpBaseline(config, ctx, io);
  const collected = await io.log.group('Generate: make and check the images', () =>
    generate(config, ctx, planned, io),
  );
  const templates = await loadJudgeTemplates(config, action.root);
  const resultsDir = path.join(ctx.workDir, 'results');
  const scored = await io.log.group('Score: ask the judge', () =>
    score(config, ctx, planned, collected, templates, resultsDir, io),
  );
  const measured: Measured = {
    samples: planned.samples.map(plannedSample),
    records: scored.records,
    stats: scored.stats,
    failures: orderFailures(planned.samples, [...collected.failures, ...scored.failures]),
    fingerprint: fingerprintOf(config, planned.benchmark, templates.sha256),
    resultsDir,
  };
  return {
    ...(await report(config, mode, ctx, io, action, measured, baseline)),
    manifestFile: planned.manifestPath,
  };
}

export type BaselineLookup = BaselineFound | { missing: string };

/** The baseline this job compares with; a shard's slice is compared by the merge job instead. */
export async function lookUpBaseline(
  config: Config,
  ctx: RunContext,
  io: RunIO,
): Promise<BaselineLookup> {
  if (config.shard) {
    return { missing: `shard ${config.shard.index}/${config.shard.count}: the merge job compares` };
  }
  return io.log.group('Baseline: find the newest published results', () =>
    fetchBaseline(config, ctx, io),
  );
}

function historyPoint(
  ctx: RunContext,
  createdAt: string,
  absolute: ReturnType<typeof absoluteReport>,
): HistoryPoint {
  const o = absolute.aggregate.overall;
  return { runId: ctx.runId, sha: ctx.sha, createdAt, cp: o.cp, pf: o.pf };
}

/** Compare (where a baseline is due), write and upload the results, comment, and gate. */
export async function report(
  config: Config,
  mode: 'check' | 'baseline',
  ctx: RunContext,
  io: RunIO,
  action: ActionInfo,
  m: Measured,
  baseline: BaselineLookup,
): Promise<Outcome> {
  const scored = toScoredSamples(m.records);
  const absolute = absoluteReport(scored, m.failures.length, {
    confidence: config.gate.confidence,
    seed: config.sampling.seed,
  });
  const createdAt = io.now().toISOString();
  const sharded = config.shard !== undefined;
  // On a baseline run this compares with the previous baseline: drift shown, never gated.
  const comparison: ComparisonView = comparisonView(config, baseline, {
    fingerprint: m.fingerprint,
    scored,
  });
  const previousHistory = 'missing' in baseline ? [] : baseline.results.history;
  const history =
    mode === 'baseline' && !sharded
      ? extendHistory(previousHistory, historyPoint(ctx, createdAt, absolute))
      : previousHistory;
  const verdict: Verdict = sharded
    ? 'skipped'
    : comparison.kind === 'compared'
      ? comparison.comparison.verdict
      : 'no-baseline';

  const results: ResultsFile = buildResultsFile({
    version: action.version,
    createdAt,
    run: {
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
    },
    fingerprint: m.fingerprint,
    samples: m.samples,
    records: m.records,
    stats: m.stats,
    failures: m.failures,
    aggregate: absolute.aggregate,
    judge: {
      model: config.judge.model,
      scoring: config.judge.scoring,
      repeats: config.judge.repeats,
    },
    history,
  });
  const baselineRecords = 'missing' in baseline ? [] : baseline.results.records;
  const input = (artifactUrl: string | undefined) =>
    reportInput({
      config,
      mode,
      verdict,
      absolute,
      comparison,
      samples: m.samples,
      failures: m.failures,
      records: m.records,
      stats: m.stats,
      baselineRecords,
      fingerprint: m.fingerprint,
      runUrl: ctx.runUrl,
      artifactUrl,
      history,
      // A PR's GITHUB_SHA is a merge commit nobody knows; show the head commit instead.
      sha: ctx.pullRequest?.headSha || ctx.sha,
    });

  if (comparison.kind === 'compared') {
    await writeContactSheet(
      comparison.comparison,
      m.resultsDir,
      'missing' in baseline ? undefined : baseline.dir,
    );
  }
  const files = await writeResultsFolder(m.resultsDir, results, renderSummary(input(undefined)));
  const artifactUrl = await uploadArtifact(config, ctx, m.resultsDir, io);
  const final = input(artifactUrl);
  const commentUrl =
    mode === 'check' && !sharded
      ? await postComment(config, ctx, renderComment(final), io)
      : undefined;
  await io.writeSummary(renderSummary(final));
  io.log.info(
    `Verdict: ${verdict}` +
      (mode === 'baseline' && !sharded
        ? ` (published as the baseline of "${baselineBranchOf(config, ctx)}")`
        : ''),
  );
  return {
    verdict,
    absolute,
    comparison,
    scored: scored.length,
    failed: m.failures.length,
    costUsd: m.stats.costUsd,
    resultsFile: files.resultsFile,
    reportFile: files.reportFile,
    commentUrl,
    gateFailure:
      mode === 'check' ? gateFailure(comparison, config.gate.failOnRegression) : undefined,
  };
}
