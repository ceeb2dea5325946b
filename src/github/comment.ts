// Upserts the one PR comment per `comment-id`, found by its hidden marker across ALL pages.
import type { getOctokit } from '@actions/github';
import { commentMarker, GITHUB_COMMENT_LIMIT } from '../constants.ts';
import { CommentTooLongError } from './errors.ts';
import { Permission, withPermission } from './permissions.ts';

export type Octokit = ReturnType<typeof getOctokit>;

/** GitHub rejects issue comment bodies longer than this. */
export const COMMENT_BODY_LIMIT = GITHUB_COMMENT_LIMIT;

/** The body as posted: the marker on its own first line, then the report. */
export function withMarker(body: string, commentId: string): string {
  const marker = commentMarker(commentId);
  return body.startsWith(marker) ? body : `${marker}\n${body}`;
}

export interface CommentLike {
  readonly id: number;
  readonly body?: string | null;
  readonly user?: { readonly type?: string } | null;
}

/**
 * Pure: our comment among `comments`. Only a body that STARTS with the marker counts (a quote of
 * our comment starts with `>`); a bot's comment wins over a human's, then the oldest.
 */
export function findMarkedComment<T extends CommentLike>(
  comments: readonly T[],
  marker: string,
): T | undefined {
  const marked = comments.filter((c) => (c.body ?? '').trimStart().startsWith(marker));
  const rank = (c: T) => (c.user?.type === 'Bot' ? 0 : 1);
  return marked.sort((a, b) => rank(a) - rank(b) || a.id - b.id)[0];
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
  if (body.length > COMMENT_BODY_LIMIT)
    throw new CommentTooLongError(body.length, COMMENT_BODY_LIMIT);
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
  const existing = findMarkedComment(comments, commentMarker(options.commentId));
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
