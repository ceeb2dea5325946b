import { describe, expect, it } from 'vitest';
import { GitHubPermissionError } from '../../src/github/errors.ts';
import { permissionErrorFrom } from '../../src/github/permissions.ts';

const context = {
  operation: 'create comment',
  target: 'o/r#1',
  permission: 'pull-requests: write',
};
const httpError = (status: number, message: string, headers: Record<string, string> = {}) => ({
  status,
  message,
  response: { headers, data: { message } },
});

describe('permissionErrorFrom', () => {
  it('turns a 403 "Resource not accessible" into an error naming the permission', () => {
    const error = permissionErrorFrom(
      httpError(403, 'Resource not accessible by integration'),
      context,
    );
    expect(error).toBeInstanceOf(GitHubPermissionError);
    expect(error?.message).toContain('"pull-requests: write"');
    expect(error?.message).toContain('"create comment" on o/r#1');
    expect(error?.serverMessage).toBe('Resource not accessible by integration');
  });

  it.each([
    [
      'a primary rate limit',
      httpError(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0' }),
    ],
    ['a secondary rate limit', httpError(403, 'You have exceeded a secondary rate limit')],
    ['a 404', httpError(404, 'Not Found')],
    ['a network error', new Error('ECONNRESET')],
    ['a non-object', 'boom'],
  ])('leaves %s alone', (_label, thrown) => {
    expect(permissionErrorFrom(thrown, context)).toBeUndefined();
  });
});
