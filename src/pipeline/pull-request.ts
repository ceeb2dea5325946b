// A PR number handed over by an untrusted workflow (the fork pattern's DREAMBENCH_PR_NUMBER) is
// checked against the API: the PR's head must be the commit this workflow_run built. Otherwise a
// fork could have our comment written on any PR, or pick the baseline branch.
import { getOctokit } from '@actions/github';
import type { Config } from '../config.ts';
import { Inputs } from '../constants.ts';
import { Permission, withPermission } from '../github/permissions.ts';
import type { RunContext } from './context.ts';

export class UntrustedPullRequestError extends Error {
  override readonly name = 'UntrustedPullRequestError';
  constructor(message: string) {
    super(message);
  }
}

export async function verifiedContext(config: Config, ctx: RunContext): Promise<RunContext> {
  const pr = ctx.pullRequest;
  if (pr?.source !== 'env') return ctx;
  if (!config.githubToken) {
    throw new UntrustedPullRequestError(
      `DREAMBENCH_PR_NUMBER needs "${Inputs.GithubToken}" to check pull request #${pr.number}`,
    );
  }
  const { owner, repo } = ctx.repository;
  const { data } = await withPermission(
    {
      operation: 'read pull request',
      target: `${owner}/${repo}#${pr.number}`,
      permission: Permission.Comments,
    },
    () => getOctokit(config.githubToken).rest.pulls.get({ owner, repo, pull_number: pr.number }),
  );
  if (data.head.sha !== pr.headSha) {
    throw new UntrustedPullRequestError(
      `DREAMBENCH_PR_NUMBER ${pr.number} names a pull request whose head is ${data.head.sha.slice(0, 7)}, ` +
        `not ${pr.headSha.slice(0, 7)}, the commit this workflow_run built: refusing to report there`,
    );
  }
  const fromFork = data.head.repo?.full_name !== `${owner}/${repo}`;
  return { ...ctx, pullRequest: { ...pr, baseRef: data.base.ref, fromFork, source: 'event' } };
}
