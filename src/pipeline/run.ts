// The pipeline for one job: plan → generate → score → compare → report, as the mode asks; the
// compare-and-report half (report) is also the merge job's.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { unhealthyArtifact } from '../constants.ts';
import type { RunMode } from '../mode.ts';
import type { ReportLinks } from '../report/model.ts';
import type { ResultsFile } from '../results/schema.ts';
import { buildResultsFile, orderFailures, plannedSample } from '../results/build.ts';
import {
  assess,
  runInfoOf,
  type Assessment,
  type BaselineLookup,
  type Measured,
} from './assess.ts';
import { fetchBaseline } from './baseline.ts';
import type { RunContext } from './context.ts';
import { fingerprintOf, judgeBaseUrl, judgeObserved } from './fingerprint.ts';
import { generate } from './generate.ts';
import type { RunIO } from './io.ts';
import { gateFailure, healthFailure, SKIPPED, type Outcome } from './outputs.ts';
import { isPending, reportPending } from './pending-outcome.ts';
import { plan } from './plan.ts';
import { artifactNameOf, publish, type Publication, type Published } from './publish.ts';
import { rejudgeIfNeeded } from './rejudge.ts';
import { reportInput, reportSamples } from './report-input.ts';
import { loadJudgeTemplates, score } from './score.ts';

export interface ActionInfo {
  /** The action's own folder (prompts/ lives here). */
  readonly root: string;
  readonly version: string;
}

export async function runPipeline(
  config: Config,
  mode: Exclude<RunMode, 'merge'>,
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
    return { ...SKIPPED, manifestFile: planned.manifestPath };
  }
  // Before any judge call is paid for: a missing `actions: read` permission fails here, cheaply.
  const baseline = await lookUpBaseline(config, ctx, io);
  const collected = await io.log.group('Generate: make and check the images', () =>
    generate(config, ctx, planned, io),
  );
  const templates = await loadJudgeTemplates(config, action.root);
  const resultsDir = path.join(ctx.workDir, 'results');
  const judgingFrom = io.now().getTime();
  const scored = await io.log.group('Score: ask the judge', () =>
    score(config, ctx, planned, collected, templates, resultsDir, io),
  );
  // Batches still running: recorded for the next run; nothing is published from half a run.
  if (isPending(scored))
    return reportPending(config, ctx, io, mode, planned.samples.length, scored);
  // The time budget bounds realtime calls; waiting for batches spends none of it.
  const elapsed = scored.stats.judgingMode === 'batch' ? 0 : io.now().getTime() - judgingFrom;
  const judging = { costUsd: scored.stats.costUsd, ms: elapsed };
  const measured: Measured = {
    samples: planned.samples.map(plannedSample),
    records: scored.records,
    stats: scored.stats,
    failures: orderFailures(planned.samples, [...collected.failures, ...scored.failures]),
    fingerprint: fingerprintOf(
      config,
      planned.benchmark,
      templates,
      judgeObserved(config, scored.stats),
      judgeBaseUrl(config, io.env),
    ),
    resultsDir,
    judging,
  };
  return {
    ...(await report(config, mode, ctx, io, action, measured, baseline)),
    manifestFile: planned.manifestPath,
  };
}

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

/**
 * Compare (where a baseline is due), write and upload the results, comment, and gate: the half a
 * merge job shares with an unsharded one.
 */
export async function report(
  config: Config,
  mode: 'check' | 'baseline',
  ctx: RunContext,
  io: RunIO,
  action: ActionInfo,
  m: Measured,
  found: BaselineLookup,
): Promise<Outcome> {
  // A baseline judged differently is judged again first, so that it compares as paired.
  const baseline = await rejudgeIfNeeded(
    { config, ctx, io, mode, templates: () => loadJudgeTemplates(config, action.root) },
    m,
    found,
  );
  const createdAt = io.now().toISOString();
  const run = runInfoOf(ctx, mode, config);
  const a = assess(config, run, m, baseline, createdAt);
  const results = buildResultsFile({
    version: action.version,
    createdAt,
    run,
    ...m,
    aggregate: a.absolute.aggregate,
    history: a.history,
    comparison: a.comparison,
  });
  const health = healthFailure(
    results.summary.planned,
    { judged: a.judged, scored: a.scored },
    results.failures,
    config.gate.maxServiceFailures,
  );
  // A baseline that measured nothing would leave every later PR without a comparison: what it paid
  // for is kept under a name no run looks up as a baseline.
  const publishes = mode === 'baseline' && !run.shard && health === undefined;
  const unhealthy = mode === 'baseline' && !run.shard && health !== undefined;
  const artifactName = unhealthy
    ? unhealthyArtifact(artifactNameOf(config))
    : artifactNameOf(config);
  const published = await publish(config, ctx, io, {
    results,
    comparison: a.comparison,
    baselineDir: 'missing' in baseline ? undefined : baseline.dir,
    resultsDir: m.resultsDir,
    ...reportViews(config, mode, ctx, m, baseline, a),
    generator: `dreambench-action ${action.version}`,
    comment: mode === 'check' && !run.shard,
    visual: !run.shard,
    // A shard's slice is never a baseline: the merge needs it, paid judgments and failures alike.
    artifactName,
    // A PR's report matters more than its artifact; a baseline's artifact is the product.
    uploadRequired: publishes,
  });
  const branch = ctx.ref.replace(/^refs\/heads\//, '');
  io.log.info(
    `Verdict: ${a.verdict}${publishes ? ` (published as the baseline of "${branch}")` : ''}`,
  );
  const gate =
    health ??
    (mode === 'check' ? gateFailure(a.comparison, config.gate.failOnRegression) : undefined);
  // The step's spend: this run's images and, when judged again, the baseline's.
  const costUsd = m.stats.costUsd + ('missing' in baseline ? 0 : (baseline.rejudged?.costUsd ?? 0));
  return outcomeOf(a, results, published, costUsd, gate);
}

/** The report's view given the links known so far, and every sample for the HTML report. */
function reportViews(
  config: Config,
  mode: 'check' | 'baseline',
  ctx: RunContext,
  m: Measured,
  baseline: BaselineLookup,
  a: Assessment,
): Pick<Publication, 'render' | 'samples'> {
  const baselineRecords = 'missing' in baseline ? [] : baseline.results.records;
  return {
    render: (links: ReportLinks) =>
      reportInput({
        ...a,
        config,
        mode,
        ...m,
        baselineRecords,
        links,
        // A PR's GITHUB_SHA is a merge commit nobody knows; show the head commit instead.
        sha: ctx.pullRequest?.headSha || ctx.sha,
      }),
    // Another configuration's scores are not this sample's baseline.
    samples: reportSamples(
      m.samples,
      m.records,
      a.comparison.kind === 'compared' ? baselineRecords : [],
      m.failures,
    ),
  };
}

/** The step's outcome: what went out, the numbers, and every reason it must fail. */
function outcomeOf(
  a: Assessment,
  results: ResultsFile,
  published: Published,
  costUsd: number,
  gate: string | undefined,
): Outcome {
  const failure = [gate, published.failure].filter((f) => f !== undefined).join('\n');
  return {
    resultsFile: published.resultsFile,
    ...(published.reportFile ? { reportFile: published.reportFile } : {}),
    ...(published.commentUrl ? { commentUrl: published.commentUrl } : {}),
    ...(published.reportUrl ? { reportUrl: published.reportUrl } : {}),
    verdict: a.verdict,
    absolute: a.absolute,
    comparison: a.comparison,
    scored: a.judged,
    failed: results.failures.length,
    costUsd,
    ...(failure ? { failure } : {}),
  };
}
