// Compare: find the baseline's results, check that they measured the same thing, and compare.
import path from 'node:path';
import { getOctokit } from '@actions/github';
import { compare, fingerprintDiff, InsufficientPairsError } from '../compare/index.ts';
import type { Config } from '../config.ts';
import { findBaseline } from '../github/artifacts.ts';
import type { BaselineView, ComparisonView } from '../report/model.ts';
import { ResultsFormatError } from '../results/errors.ts';
import { scoredSamplesOf } from '../results/parse.ts';
import type { ResultsFile } from '../results/schema.ts';
import type { Fingerprint, ScoredSample } from '../types.ts';
import type { RunContext } from './context.ts';
import type { RunIO } from './io.ts';
import { readResultsIn } from './results-folder.ts';

export interface BaselineFound {
  readonly results: ResultsFile;
  /** Where the baseline artifact was extracted (its judge-size images live here). */
  readonly dir: string;
  readonly view: BaselineView;
}

/** The branch whose results count as the baseline. */
export function baselineBranchOf(config: Config, ctx: RunContext): string | undefined {
  return config.baselineBranch ?? ctx.pullRequest?.baseRef ?? ctx.defaultBranch;
}

export async function fetchBaseline(
  config: Config,
  ctx: RunContext,
  io: RunIO,
): Promise<BaselineFound | { missing: string }> {
  const branch = baselineBranchOf(config, ctx);
  if (!branch) return { missing: 'the baseline branch is unknown (set "baseline-branch")' };
  // The fork pattern's trusted workflow_run job compares with baselines another workflow publishes.
  const workflow = io.env.DREAMBENCH_BASELINE_WORKFLOW || ctx.workflowFile;
  if (!workflow) return { missing: 'GITHUB_WORKFLOW_REF does not name a workflow file' };
  if (!config.githubToken) return { missing: 'no "github-token" to look up the baseline with' };
  const found = await findBaseline({
    octokit: getOctokit(config.githubToken),
    token: config.githubToken,
    owner: ctx.repository.owner,
    repo: ctx.repository.repo,
    workflow,
    branch,
    artifactName: config.artifactName,
    downloadDir: path.join(ctx.workDir, 'baseline'),
    now: io.now(),
    currentRunId: ctx.runId,
  });
  if (!found) {
    return {
      missing:
        `no baseline yet: no successful push, schedule or workflow_dispatch run of ${workflow} ` +
        `on "${branch}" has an unexpired "${config.artifactName}" artifact`,
    };
  }
  let results: ResultsFile | undefined;
  try {
    results = await readResultsIn(found.dir, `the baseline's results.json (run ${found.run.id})`);
  } catch (e) {
    // An unreadable baseline is not this PR's fault: report absolute numbers and say why.
    if (e instanceof ResultsFormatError) return { missing: e.message };
    throw e;
  }
  if (!results) {
    return { missing: `the baseline artifact of run ${found.run.id} holds no results.json` };
  }
  io.log.info(
    `Baseline: run ${found.run.id} on "${branch}" (${found.run.headSha.slice(0, 7)}, ${found.run.createdAt})`,
  );
  return {
    results,
    dir: found.dir,
    view: {
      runId: found.run.id,
      runUrl: found.run.htmlUrl,
      sha: found.run.headSha,
    },
  };
}

/** Pure: the comparison view for this run against a baseline (or why there is none). */
export function comparisonView(
  config: Config,
  baseline: BaselineFound | { missing: string },
  current: { fingerprint: Fingerprint; scored: readonly ScoredSample[] },
): ComparisonView {
  if ('missing' in baseline) return { kind: 'none', reason: baseline.missing };
  const differences = fingerprintDiff(baseline.results.fingerprint, current.fingerprint);
  if (differences.length > 0) return { kind: 'incompatible', baseline: baseline.view, differences };
  try {
    const comparison = compare(scoredSamplesOf(baseline.results), current.scored, {
      confidence: config.gate.confidence,
      tolerance: config.gate.tolerance,
      seed: config.sampling.seed,
    });
    return { kind: 'compared', baseline: baseline.view, comparison };
  } catch (e) {
    if (e instanceof InsufficientPairsError) {
      return {
        kind: 'none',
        reason: `too few samples scored on both sides to compare (${e.message})`,
      };
    }
    throw e;
  }
}
