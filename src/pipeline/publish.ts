// Publish: write results.json and report.md, upload the artifact, upsert the PR comment.
import { DefaultArtifactClient } from '@actions/artifact';
import { getOctokit } from '@actions/github';
import type { Config } from '../config.ts';
import { Inputs } from '../constants.ts';
import { InputConflictError } from '../errors.ts';
import { uploadResults } from '../github/artifacts.ts';
import { upsertComment } from '../github/comment.ts';
import { renderComment, renderSummary } from '../report/index.ts';
import type { ComparisonView, ReportInput } from '../report/model.ts';
import type { ResultsFile } from '../results/schema.ts';
import { writeResultsFolder } from './results-folder.ts';
import { writeContactSheet } from './contact-sheet.ts';
import type { RunContext } from './context.ts';
import type { RunIO } from './io.ts';

/** The artifact's name: shards append `-shard-i` so the merge job can find every slice. */
export function artifactNameOf(config: Config): string {
  return config.shard ? `${config.artifactName}-shard-${config.shard.index}` : config.artifactName;
}

/** Uploads the results folder; returns the artifact's web URL, or undefined off a runner. */
export async function uploadArtifact(
  config: Config,
  ctx: RunContext,
  resultsDir: string,
  io: RunIO,
): Promise<string | undefined> {
  if (!io.env.ACTIONS_RUNTIME_TOKEN) {
    io.log.notice(
      'Not on a GitHub runner (no ACTIONS_RUNTIME_TOKEN): results kept on disk, no artifact uploaded',
    );
    return undefined;
  }
  const name = artifactNameOf(config);
  // Names are unique per run, and a re-run is the same run: replace an earlier attempt's upload.
  if (ctx.runAttempt > 1) {
    await new DefaultArtifactClient().deleteArtifact(name).then(
      () => io.log.info(`Replaced the artifact "${name}" of an earlier attempt`),
      () => undefined, // none to replace
    );
  }
  const uploaded = await uploadResults({ name, dir: resultsDir });
  io.log.info(
    `Uploaded artifact "${name}" (${uploaded.files.length} files, ${uploaded.size} bytes)`,
  );
  const { owner, repo } = ctx.repository;
  return `${ctx.serverUrl}/${owner}/${repo}/actions/runs/${ctx.runId}/artifacts/${uploaded.id}`;
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
  /** The report's view, given the artifact's URL once it is known. */
  readonly render: (artifactUrl: string | undefined) => ReportInput;
  /** Upsert the PR comment (a PR check that is not a shard's slice). */
  readonly comment: boolean;
  readonly upload: boolean;
  /** Fail when the upload fails (a baseline); otherwise warn and report without the link. */
  readonly uploadRequired: boolean;
}

/**
 * The results folder (results.json, report.md, contact sheet, judge-size images) becomes the
 * artifact; the comment and the job summary, rendered after the upload, link to it.
 */
export async function publish(
  config: Config,
  ctx: RunContext,
  io: RunIO,
  p: Publication,
): Promise<{ resultsFile: string; reportFile: string; commentUrl: string | undefined }> {
  if (p.comparison.kind === 'compared') {
    await writeContactSheet(p.comparison.comparison, p.resultsDir, p.baselineDir);
  }
  const files = await writeResultsFolder(
    p.resultsDir,
    p.results,
    renderSummary(p.render(undefined)),
  );
  let artifactUrl: string | undefined;
  let uploadError: unknown;
  try {
    if (p.upload) artifactUrl = await uploadArtifact(config, ctx, p.resultsDir, io);
  } catch (error) {
    uploadError = error;
    io.log.warning(`Could not upload the results artifact: ${(error as Error).message}`);
  }
  const final = p.render(artifactUrl);
  const commentUrl = p.comment
    ? await postComment(config, ctx, renderComment(final), io)
    : undefined;
  await io.writeSummary(renderSummary(final));
  if (uploadError !== undefined && p.uploadRequired) throw uploadError;
  return { ...files, commentUrl };
}
