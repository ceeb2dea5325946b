// Publish, in the order that keeps what was paid for: results.json is written and the results
// artifact uploaded first; then the contact sheet, the HTML report, the PR comment and the job
// summary, each on its own, so that one failing (an unreadable image, a refused comment) is a
// warning and the others still go out. The step's outputs are set by the caller from what this
// returns, whatever failed here.
import path from 'node:path';
import { getOctokit } from '@actions/github';
import type { Config } from '../config.ts';
import { contactSheetArtifact, htmlReportArtifact, Inputs } from '../constants.ts';
import { InputConflictError } from '../errors.ts';
import { upsertComment } from '../github/comment.ts';
import { GitHubPermissionError } from '../github/errors.ts';
import type { ReportSample } from '../report/html/index.ts';
import { renderComment, renderSummary } from '../report/index.ts';
import type { ComparisonView, ReportInput, ReportLinks } from '../report/model.ts';
import type { ResultsFile } from '../results/schema.ts';
import { contactSheetRows, writeContactSheet } from './contact-sheet.ts';
import type { RunContext } from './context.ts';
import { writeHtmlReport } from './html-report.ts';
import type { RunIO } from './io.ts';
import { writeReportFile, writeResultsFile, writeScoresFile } from './results-folder.ts';
import { uploads, type Uploads } from './uploads.ts';

/** The artifact's name: shards append `-shard-i` so the merge job can find every slice. */
export function artifactNameOf(config: Config): string {
  return config.shard ? `${config.artifactName}-shard-${config.shard.index}` : config.artifactName;
}

export async function postComment(
  config: Config,
  ctx: RunContext,
  body: string,
  io: RunIO,
): Promise<string | undefined> {
  if (!config.comment.enabled) {
    io.log.info('comment: false, so no PR comment');
    return undefined;
  }
  if (!ctx.pullRequest) {
    io.log.info('No pull request in this event, so no PR comment');
    return undefined;
  }
  if (!config.githubToken) {
    throw new InputConflictError(
      [Inputs.GithubToken, Inputs.Comment],
      `Input "${Inputs.GithubToken}" is empty, so the PR comment cannot be written (set it, or comment: false)`,
    );
  }
  const posted = await upsertComment({
    octokit: getOctokit(config.githubToken),
    owner: ctx.repository.owner,
    repo: ctx.repository.repo,
    issueNumber: ctx.pullRequest.number,
    commentId: config.comment.id,
    body,
  });
  io.log.info(`PR comment ${posted.action}: ${posted.url}`);
  return posted.url;
}

export interface Publication {
  readonly results: ResultsFile;
  readonly comparison: ComparisonView;
  readonly baselineDir: string | undefined;
  readonly resultsDir: string;
  /** The report's view, given the links known so far. */
  readonly render: (links: ReportLinks) => ReportInput;
  /** Every planned sample with its scores, for the HTML report. */
  readonly samples: readonly ReportSample[];
  /** `dreambench-action <version>`, for the HTML report's footer. */
  readonly generator: string;
  /** Upsert the PR comment (a PR check that is not a shard's slice). */
  readonly comment: boolean;
  /** The contact sheet and the HTML report (not for a shard's slice: the merge job makes them). */
  readonly visual: boolean;
  /** The results artifact's name; the contact sheet's and the HTML report's derive from it. */
  readonly artifactName: string;
  /** Fail when the results upload fails (a baseline); otherwise warn and report without the link. */
  readonly uploadRequired: boolean;
}

export interface Published {
  readonly resultsFile: string;
  readonly reportFile: string | undefined;
  readonly commentUrl: string | undefined;
  readonly reportUrl: string | undefined;
  /** Why the step must fail although everything else was published (one line each). */
  readonly failure: string | undefined;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs one later step; its failure is a warning, and the next step runs all the same. */
async function independently<T>(
  io: RunIO,
  what: string,
  step: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    io.log.warning(`${what}: ${message(error)}`);
    return undefined;
  }
}

/** The contact sheet and the HTML report, written and uploaded unzipped; their URLs. */
async function visuals(
  ctx: RunContext,
  io: RunIO,
  p: Publication,
  up: Uploads,
  links: ReportLinks,
): Promise<ReportLinks> {
  const dir = path.join(ctx.workDir, 'report');
  const name = p.artifactName;
  const upload = (file: string | undefined) => (file ? up.file(file) : undefined);
  const compared = p.comparison.kind === 'compared' ? p.comparison.comparison : undefined;
  const contactSheet = compared
    ? await independently(io, 'The contact sheet was not published', async () => {
        const rows = contactSheetRows(
          compared,
          p.render(links).samples,
          p.resultsDir,
          p.baselineDir,
        );
        return upload(
          await writeContactSheet(rows, path.join(dir, contactSheetArtifact(name)), io),
        );
      })
    : undefined;
  const withSheet = contactSheet ? { ...links, contactSheet } : links;
  const report = await independently(io, 'The HTML report was not published', async () => {
    const file = path.join(dir, htmlReportArtifact(name));
    return upload(await writeHtmlReport(p.render(withSheet), p, file, io));
  });
  return report ? { ...withSheet, report } : withSheet;
}

export async function publish(
  config: Config,
  ctx: RunContext,
  io: RunIO,
  p: Publication,
): Promise<Published> {
  const resultsFile = await writeResultsFile(p.resultsDir, p.results);
  await independently(io, 'scores.csv was not written', () =>
    writeScoresFile(p.resultsDir, p.results),
  );
  const reportFile = await independently(io, 'report.md was not written', () =>
    writeReportFile(p.resultsDir, renderSummary(p.render({ run: ctx.runUrl }))),
  );
  const up = uploads(ctx, io);
  const failures: string[] = [];
  let artifact: string | undefined;
  try {
    artifact = await up.folder(p.artifactName, p.resultsDir);
  } catch (error) {
    const why = `Could not upload the results artifact: ${message(error)}`;
    if (p.uploadRequired) failures.push(why);
    else io.log.warning(why);
  }
  const base: ReportLinks = artifact ? { run: ctx.runUrl, artifact } : { run: ctx.runUrl };
  const links = p.visual ? await visuals(ctx, io, p, up, base) : base;
  // Rendered inside each step, so that a renderer's failure too is that step's warning only.
  const commentUrl = p.comment
    ? await comment(config, ctx, io, () => renderComment(p.render(links)), failures)
    : undefined;
  await independently(io, 'The job summary was not written', () =>
    io.writeSummary(renderSummary(p.render(links))),
  );
  return {
    resultsFile,
    reportFile,
    commentUrl,
    reportUrl: links.report,
    failure: failures.length > 0 ? failures.join('\n') : undefined,
  };
}

/**
 * The PR comment. A missing permission or token is the user's to fix, so it fails the step (after
 * everything else is out); any other failure is a warning like those of the other later steps.
 */
async function comment(
  config: Config,
  ctx: RunContext,
  io: RunIO,
  body: () => string,
  failures: string[],
): Promise<string | undefined> {
  try {
    return await postComment(config, ctx, body(), io);
  } catch (error) {
    if (error instanceof GitHubPermissionError || error instanceof InputConflictError)
      failures.push(error.message);
    else io.log.warning(`The PR comment was not written: ${message(error)}`);
    return undefined;
  }
}
