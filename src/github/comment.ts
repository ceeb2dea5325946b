// Upserts the one PR comment per `comment-id`, found by its hidden marker across ALL pages among
// the comments of the identity the token acts as: never a human's who copied the marker, nor
// another app's that uses it.
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
 * Pure: our comment among `comments`: the oldest marked one written by `ownLogin`, the identity
 * the token acts as (GITHUB_TOKEN writes as `github-actions[bot]`, a GitHub App's token as
 * `<slug>[bot]`, a personal access token as its user). Anyone else's marked comment never
 * qualifies: a PR author, or another app, could post the marker first and have the action rewrite
 * "our" report in their comment, which they can then edit.
 */
export function findMarkedComment<T extends CommentLike>(
  comments: readonly T[],
  marker: string,
  ownLogin: string,
): T | undefined {
  const own = ownLogin.toLowerCase();
  return comments
    .filter((c) => isMarked(c, marker) && c.user?.login?.toLowerCase() === own)
    .sort((a, b) => a.id - b.id)[0];
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
  // Who the token is matters only when a comment carries the marker; unknown: a new comment.
  const login = comments.some((c) => isMarked(c, marker)) ? await tokenLogin(octokit) : undefined;
  const existing = login === undefined ? undefined : findMarkedComment(comments, marker, login);
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
 * The login the token acts as. GraphQL's `viewer` answers for every kind of token, installation
 * tokens included (`github-actions[bot]`, `<slug>[bot]`), where REST `GET /user` answers only for
 * a user's token (403 "Resource not accessible by integration" otherwise): it is the fallback.
 * Undefined when neither says, and then no existing comment is taken for ours.
 */
async function tokenLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    const { viewer } = await octokit.graphql<{ viewer: { login: string } }>('{ viewer { login } }');
    if (typeof viewer?.login === 'string' && viewer.login !== '') return viewer.login;
  } catch (error) {
    if (!isApiError(error)) throw error;
  }
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch (error) {
    if (isApiError(error)) return undefined;
    throw error;
  }
}

/** An answer of GitHub's (an HTTP status, or GraphQL errors), as opposed to a failure to ask. */
function isApiError(error: unknown): boolean {
  const e = error as { status?: unknown; errors?: unknown; name?: unknown };
  return (
    typeof e?.status === 'number' || Array.isArray(e?.errors) || e?.name === 'GraphqlResponseError'
  );
}
