// Upserts the one PR comment per `comment-id`, found by its hidden marker across ALL pages among
// the comments the token's own identity wrote (never a human's who copied the marker).
import type { getOctokit } from '@actions/github';
import { commentMarker, GITHUB_COMMENT_LIMIT } from '../constants.ts';
import { CommentTooLongError } from './errors.ts';
import { Permission, withPermission } from './permissions.ts';

export type Octokit = ReturnType<typeof getOctokit>;

/** The body as posted: the marker on its own first line, then the report. */
export function withMarker(body: string, commentId: string): string {
  const marker = commentMarker(commentId);
  return body.startsWith(marker) ? body : `${marker}\n${body}`;
}

export interface CommentLike {
  readonly id: number;
  readonly body?: string | null;
  readonly user?: { readonly type?: string; readonly login?: string } | null;
}

/** Only a body that STARTS with the marker counts (a quote of our comment starts with `>`). */
const isMarked = (comment: CommentLike, marker: string) =>
  (comment.body ?? '').trimStart().startsWith(marker);

/**
 * Pure: our comment among `comments`: the oldest marked one written by the token's own identity,
 * a bot (GITHUB_TOKEN writes as `github-actions[bot]`, a GitHub App token as its bot) or else the
 * user `ownLogin` (a personal access token's). A human's marked comment never qualifies: a PR
 * author could post the marker first and have the action rewrite, and then edit, "our" report.
 */
export function findMarkedComment<T extends CommentLike>(
  comments: readonly T[],
  marker: string,
  ownLogin?: string,
): T | undefined {
  const marked = comments.filter((c) => isMarked(c, marker)).sort((a, b) => a.id - b.id);
  const own = ownLogin?.toLowerCase();
  return (
    marked.find((c) => c.user?.type === 'Bot') ??
    (own === undefined ? undefined : marked.find((c) => c.user?.login?.toLowerCase() === own))
  );
}

export interface UpsertCommentOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  issueNumber: number;
  commentId: string;
  /** The report; the marker is added when missing. */
  body: string;
}

export interface UpsertedComment {
  id: number;
  url: string;
  action: 'created' | 'updated';
}

export async function upsertComment(options: UpsertCommentOptions): Promise<UpsertedComment> {
  const { octokit, owner, repo, issueNumber } = options;
  const body = withMarker(options.body, options.commentId);
  if (body.length > GITHUB_COMMENT_LIMIT)
    throw new CommentTooLongError(body.length, GITHUB_COMMENT_LIMIT);
  const target = `${owner}/${repo}#${issueNumber}`;
  const ctx = (operation: string) => ({ operation, target, permission: Permission.Comments });

  const comments = await withPermission(ctx('list comments'), () =>
    octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    }),
  );
  const marker = commentMarker(options.commentId);
  let existing = findMarkedComment(comments, marker);
  if (!existing && comments.some((c) => isMarked(c, marker))) {
    // Marked, but by no bot: ours only if the token is a personal access token of that user.
    const login = await authenticatedLogin(octokit);
    if (login !== undefined) existing = findMarkedComment(comments, marker, login);
  }
  if (existing) {
    const { data } = await withPermission(ctx('update comment'), () =>
      octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body }),
    );
    return { id: data.id, url: data.html_url, action: 'updated' };
  }
  const { data } = await withPermission(ctx('create comment'), () =>
    octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body }),
  );
  return { id: data.id, url: data.html_url, action: 'created' };
}

/**
 * The login of a personal access token's user, or undefined for an installation token
 * (GITHUB_TOKEN and GitHub App tokens get 403 "Resource not accessible by integration").
 */
async function authenticatedLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch (error) {
    // Whatever GitHub answers, a new comment is the safe choice; only non-HTTP failures surface.
    if (typeof (error as { status?: unknown }).status === 'number') return undefined;
    throw error;
  }
}
