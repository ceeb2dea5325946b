// Compare: find the baseline's results, check that they measured the same thing, and compare.
import path from 'node:path';
import { getOctokit } from '@actions/github';
import {
  aggregate,
  blockingDifferences,
  compare,
  fingerprintDiff,
  InsufficientPairsError,
  InvalidSampleError,
} from '../compare/index.ts';
import type { Config } from '../config.ts';
import { findBaseline } from '../github/artifacts.ts';
import { BaselineDigestMismatchError } from '../github/errors.ts';
import type { BaselineView, ComparisonView, RejudgeView } from '../report/model.ts';
import { ResultsFormatError } from '../results/errors.ts';
import { scoredSamplesOf } from '../results/parse.ts';
import type { ResultsFile } from '../results/schema.ts';
import { validateBaseline, withoutMismatches, type LeftOut } from '../results/validate-baseline.ts';
import type { Fingerprint, ScoredSample } from '../types.ts';
import type { RunContext } from './context.ts';
import type { RunIO } from './io.ts';
import { readResultsIn } from './results-folder.ts';

export interface BaselineFound {
  /** Checked entry by entry (validate-baseline.ts): what is left is safe to read. */
  readonly results: ResultsFile;
  /** Where the baseline artifact was extracted (its judge-size images live here). */
  readonly dir: string;
  readonly view: BaselineView;
  /** The entries of its results.json that were malformed and left out. */
  readonly leftOut?: LeftOut;
  /** Its stored images judged again with this run's judge: `results` then holds the new records. */
  readonly rejudged?: RejudgeView;
  /** It differs only on the judge side but was not judged again: why (pipeline/rejudge.ts). */
  readonly notRejudged?: string;
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
  let found: Awaited<ReturnType<typeof findBaseline>>;
  try {
    found = await findBaseline({
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
  } catch (e) {
    // Damaged in transit or at rest: not this PR's fault; absolute numbers, and say why.
    if (e instanceof BaselineDigestMismatchError) return { missing: e.message };
    throw e;
  }
  if (!found) {
    return {
      missing:
        `no baseline yet: no successful push, schedule or workflow_dispatch run of ${workflow} ` +
        `on "${branch}" has an unexpired "${config.artifactName}" artifact`,
    };
  }
  io.log.info(
    `Baseline: run ${found.run.id} on "${branch}" (${found.run.headSha.slice(0, 7)}, ${found.run.createdAt})`,
  );
  return readBaseline(found, io);
}

/** The downloaded baseline's results.json, checked entry by entry; or why it cannot be used. */
async function readBaseline(
  found: NonNullable<Awaited<ReturnType<typeof findBaseline>>>,
  io: RunIO,
): Promise<BaselineFound | { missing: string }> {
  const source = `the baseline's results.json (run ${found.run.id})`;
  let results: ResultsFile | undefined;
  try {
    results = await readResultsIn(found.dir, source);
  } catch (e) {
    // An unreadable baseline is not this PR's fault: report absolute numbers and say why.
    if (e instanceof ResultsFormatError) return { missing: e.message };
    throw e;
  }
  if (!results) {
    return { missing: `the baseline artifact of run ${found.run.id} holds no results.json` };
  }
  const checked = validateBaseline(results, source);
  if (!checked.ok) return { missing: checked.reason };
  if (checked.leftOut.count > 0) io.log.warning(leftOutWarning(checked.leftOut));
  return {
    results: checked.results,
    leftOut: checked.leftOut,
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
  if (blockingDifferences(differences).length > 0) {
    const why = baseline.notRejudged;
    return {
      kind: 'incompatible',
      baseline: baseline.view,
      differences,
      ...(why ? { notRejudged: why } : {}),
    };
  }
  // A record that names one of this run's samples as another sample is no pair either.
  const { records, leftOut } = withoutMismatches(
    baseline.results.records,
    current.scored,
    baseline.leftOut ?? { count: 0, examples: [] },
  );
  const view = leftOut.count > 0 ? { ...baseline.view, leftOut } : baseline.view;
  try {
    const base = scoredSamplesOf({ ...baseline.results, records });
    const comparison = compare(base, current.scored, {
      confidence: config.gate.confidence,
      tolerance: config.gate.tolerance,
      seed: config.sampling.seed,
    });
    return {
      kind: 'compared',
      baseline: view,
      comparison,
      baselineAggregate: aggregate(base, baseline.results.failures.length),
      ...(baseline.rejudged ? { rejudged: baseline.rejudged } : {}),
      ...(differences.length > 0 ? { noted: differences } : {}),
    };
  } catch (e) {
    if (e instanceof InsufficientPairsError) {
      const r = baseline.rejudged;
      const paid = r
        ? `; ${r.judged} of the baseline's stored images were judged again, ${r.scored} scored, for $${r.costUsd.toFixed(4)}`
        : '';
      return {
        kind: 'none',
        reason: `too few samples scored on both sides to compare (${e.message})${paid}`,
      };
    }
    // validateBaseline leaves out what the statistics refuse; should anything slip through, the
    // baseline is refused rather than the run lost.
    if (e instanceof InvalidSampleError) {
      return { kind: 'none', reason: `the baseline cannot be compared with: ${e.message}` };
    }
    throw e;
  }
}

function leftOutWarning(leftOut: LeftOut): string {
  return (
    `Left out ${leftOut.count} unusable ${leftOut.count === 1 ? 'entry' : 'entries'} of the ` +
    `baseline's results.json: ${leftOut.examples.join('; ')}${leftOut.count > leftOut.examples.length ? '; …' : ''}`
  );
}
