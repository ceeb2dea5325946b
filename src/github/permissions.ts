// Turns GitHub's 403 "Resource not accessible by integration" into an error naming the
// workflow permission that is missing. Rate-limit 403s are not permission problems: left alone.
import { GitHubPermissionError } from './errors.ts';

export const Permission = {
  Comments: 'pull-requests: write',
  Actions: 'actions: read',
} as const;

interface HttpErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

/** Pure: the permission error this thrown value stands for, or undefined if it is something else. */
export function permissionErrorFrom(
  error: unknown,
  context: { operation: string; target: string; permission: string },
): GitHubPermissionError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as HttpErrorLike;
  if (e.status !== 403) return undefined;
  const headers = e.response?.headers ?? {};
  const data = e.response?.data as { message?: unknown } | undefined;
  const serverMessage = String(data?.message ?? e.message ?? '');
  if (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(serverMessage))
    return undefined;
  return new GitHubPermissionError({ ...context, status: 403, serverMessage });
}

/** Runs `call`, converting a permission 403 into a GitHubPermissionError. */
export async function withPermission<T>(
  context: { operation: string; target: string; permission: string },
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw permissionErrorFrom(error, context) ?? error;
  }
}
