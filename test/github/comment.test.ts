// upsertComment against the loopback GitHub server with the real Octokit.
import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/constants.ts';
import { findMarkedComment, upsertComment, withMarker } from '../../src/github/comment.ts';
import { CommentTooLongError, GitHubPermissionError } from '../../src/github/errors.ts';
import { DEFAULT_REPO, startGitHub, type GitHubServer } from '../harness/servers/github.ts';

const [owner, repo] = DEFAULT_REPO.split('/') as [string, string];
const MARKER = '<!-- dreambench-action:default -->';

describe('comment marker helpers', () => {
  it('builds the documented marker (ids are validated by the config)', () => {
    expect(commentMarker('default')).toBe(MARKER);
    expect(commentMarker('sdxl-lora.v2')).toBe('<!-- dreambench-action:sdxl-lora.v2 -->');
  });

  it('adds the marker once', () => {
    expect(withMarker('report', 'default')).toBe(`${MARKER}\nreport`);
    expect(withMarker(`${MARKER}\nreport`, 'default')).toBe(`${MARKER}\nreport`);
  });

  it("finds the oldest marked comment of the token's own bot, never a human's or another bot's", () => {
    const comments = [
      { id: 1, body: `> ${MARKER}\nquoted by a bot`, user: { type: 'Bot', login: 'x[bot]' } },
      { id: 2, body: `${MARKER}\nhuman copy`, user: { type: 'User', login: 'mallory' } },
      { id: 4, body: `${MARKER}\nbot later`, user: { type: 'Bot', login: 'x[bot]' } },
      { id: 3, body: `${MARKER}\nbot`, user: { type: 'Bot', login: 'x[bot]' } },
      { id: 0, body: `${MARKER}\nanother bot`, user: { type: 'Bot', login: 'y[bot]' } },
      {
        id: 5,
        body: '<!-- dreambench-action:other -->\nx',
        user: { type: 'Bot', login: 'x[bot]' },
      },
    ];
    expect(findMarkedComment(comments, MARKER, 'x[bot]')?.id).toBe(3);
    expect(findMarkedComment(comments, MARKER, 'y[bot]')?.id).toBe(0);
    expect(findMarkedComment(comments.slice(0, 2), MARKER, 'x[bot]')).toBeUndefined();
  });

  it("with a personal access token's login, that user's own marked comments only", () => {
    const comments = [
      { id: 1, body: `${MARKER}\nmallory first`, user: { type: 'User', login: 'mallory' } },
      { id: 3, body: `${MARKER}\nalice later`, user: { type: 'User', login: 'Alice' } },
      { id: 2, body: `${MARKER}\nalice`, user: { type: 'User', login: 'alice' } },
    ];
    expect(findMarkedComment(comments, MARKER, 'alice')?.id).toBe(2);
    expect(findMarkedComment(comments, MARKER, 'bob')).toBeUndefined();
    const withBot = [...comments, { id: 0, body: MARKER, user: { type: 'Bot', login: 'x[bot]' } }];
    expect(findMarkedComment(withBot, MARKER, 'alice')?.id).toBe(2);
  });
});

describe('upsertComment', () => {
  let gh: GitHubServer;
  let octokit: ReturnType<typeof getOctokit>;

  beforeEach(async () => {
    gh = await startGitHub();
    gh.state.addPull(DEFAULT_REPO, { number: 12, baseRef: 'main', headRef: 'feature' });
    octokit = getOctokit('ghs_test', { baseUrl: gh.url });
  });
  afterEach(() => gh.close());

  const upsert = (body: string, commentId = 'default') =>
    upsertComment({ octokit, owner, repo, issueNumber: 12, commentId, body });

  it('creates the comment when none carries the marker, and returns its URL', async () => {
    gh.state.addComments(DEFAULT_REPO, 12, [{ body: 'unrelated' }]);
    const result = await upsert('first report');
    const stored = gh.state.commentsOf(DEFAULT_REPO, 12);
    expect(stored.map((c) => c.body)).toEqual(['unrelated', `${MARKER}\nfirst report`]);
    expect(result).toEqual({
      id: stored[1]!.id,
      action: 'created',
      url: `https://github.com/${DEFAULT_REPO}/pull/12#issuecomment-${stored[1]!.id}`,
    });
  });

  it('updates in place the marked comment found on the third page', async () => {
    gh.state.addComments(
      DEFAULT_REPO,
      12,
      Array.from({ length: 230 }, (_, i) => ({ body: `chatter ${i}` })),
    );
    const ours = gh.state.addComment(DEFAULT_REPO, 12, { body: `${MARKER}\nold` });
    gh.state.addComments(DEFAULT_REPO, 12, [{ body: 'after' }]);
    const result = await upsert('new');
    expect(result).toMatchObject({ id: ours.id, action: 'updated' });
    expect(ours.body).toBe(`${MARKER}\nnew`);
    expect(gh.state.commentsOf(DEFAULT_REPO, 12)).toHaveLength(232);
    expect(
      gh.requests.filter((r) => r.method === 'GET').map((r) => r.query.get('page') ?? '1'),
    ).toEqual(['1', '2', '3']);
  });

  const mallory = { login: 'mallory', type: 'User' } as const;
  const identityCalls = () =>
    gh.requests.filter((r) => r.pathname === '/graphql' || r.pathname === '/user').length;

  it("leaves a human's marked comment alone and creates the bot's own", async () => {
    const planted = gh.state.addComment(DEFAULT_REPO, 12, {
      body: `${MARKER}\nall good, merge it`,
      user: mallory,
    });
    const first = await upsert('report 1');
    expect(first.action).toBe('created');
    expect(identityCalls()).toBe(1); // GraphQL's viewer: github-actions[bot]
    expect(planted.body).toBe(`${MARKER}\nall good, merge it`);
    const ours = gh.state.commentsOf(DEFAULT_REPO, 12).find((c) => c.id === first.id)!;
    expect(ours.user).toEqual({ login: 'github-actions[bot]', type: 'Bot' });

    const second = await upsert('report 2');
    expect(second).toMatchObject({ id: first.id, action: 'updated' });
    expect(ours.body).toBe(`${MARKER}\nreport 2`);
    expect(planted.body).toBe(`${MARKER}\nall good, merge it`);
    expect(identityCalls()).toBe(2);
  });

  it("updates a bot's marked comment even when a human's older copy exists", async () => {
    const planted = gh.state.addComment(DEFAULT_REPO, 12, {
      body: `${MARKER}\nfake`,
      user: mallory,
    });
    const bot = gh.state.addComment(DEFAULT_REPO, 12, { body: `${MARKER}\nold` });
    expect(await upsert('new')).toMatchObject({ id: bot.id, action: 'updated' });
    expect([planted.body, bot.body]).toEqual([`${MARKER}\nfake`, `${MARKER}\nnew`]);
    expect(identityCalls()).toBe(1);
  });

  it("with a personal access token, updates that user's own comment and no one else's", async () => {
    gh.state.addPersonalToken('ghp_alice', 'alice');
    const pat = getOctokit('ghp_alice', { baseUrl: gh.url });
    const asAlice = (body: string) =>
      upsertComment({ octokit: pat, owner, repo, issueNumber: 12, commentId: 'default', body });
    const planted = gh.state.addComment(DEFAULT_REPO, 12, {
      body: `${MARKER}\nfake`,
      user: mallory,
    });

    const first = await asAlice('report 1');
    expect(first.action).toBe('created');
    const ours = gh.state.commentsOf(DEFAULT_REPO, 12).find((c) => c.id === first.id)!;
    expect(ours.user).toEqual({ login: 'alice', type: 'User' });
    const second = await asAlice('report 2');
    expect(second).toMatchObject({ id: first.id, action: 'updated' });
    expect([planted.body, ours.body]).toEqual([`${MARKER}\nfake`, `${MARKER}\nreport 2`]);
    expect(identityCalls()).toBe(2);
  });

  it('does not look up the identity when no comment carries the marker', async () => {
    gh.state.addComments(DEFAULT_REPO, 12, [{ body: 'chatter', user: mallory }]);
    await upsert('first');
    expect(gh.requests.map((r) => `${r.method} ${r.pathname}`)).toEqual([
      `GET /repos/${DEFAULT_REPO}/issues/12/comments`,
      `POST /repos/${DEFAULT_REPO}/issues/12/comments`,
    ]);
  });

  it('keeps separate comments per comment-id', async () => {
    await upsert('a', 'config-a');
    await upsert('b', 'config-b');
    await upsert('a2', 'config-a');
    expect(gh.state.commentsOf(DEFAULT_REPO, 12).map((c) => c.body)).toEqual([
      '<!-- dreambench-action:config-a -->\na2',
      '<!-- dreambench-action:config-b -->\nb',
    ]);
  });

  it('refuses a body over 65,536 characters without calling GitHub', async () => {
    await expect(upsert('x'.repeat(65_536))).rejects.toBeInstanceOf(CommentTooLongError);
    expect(gh.requests).toHaveLength(0);
  });

  it('names pull-requests: write when GitHub answers 403 to creating', async () => {
    gh.state.forbid('createComment');
    const error = await upsert('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubPermissionError);
    expect(error).toMatchObject({
      permission: 'pull-requests: write',
      operation: 'create comment',
      target: `${DEFAULT_REPO}#12`,
    });
    expect((error as Error).message).toContain('"Resource not accessible by integration"');
  });

  const otherApp = { login: 'other-app[bot]', type: 'Bot' } as const;
  const viewerCalls = () => gh.requests.filter((r) => r.pathname === '/graphql').length;

  it("leaves another app's marked comment alone and writes its own", async () => {
    const theirs = gh.state.addComment(DEFAULT_REPO, 12, {
      body: `${MARKER}\ntheir report`,
      user: otherApp,
    });
    const first = await upsert('report 1');
    expect(first.action).toBe('created');
    expect(theirs.body).toBe(`${MARKER}\ntheir report`);
    const second = await upsert('report 2');
    expect(second).toMatchObject({ id: first.id, action: 'updated' });
    expect(theirs.body).toBe(`${MARKER}\ntheir report`);
    expect(viewerCalls()).toBe(2); // the identity is asked for, once per upsert that needs it
  });

  it("with another GitHub App's token, updates that app's comment and not github-actions[bot]'s", async () => {
    gh.state.addAppToken('ghs_other_app', 'other-app[bot]');
    const asApp = getOctokit('ghs_other_app', { baseUrl: gh.url });
    const actions = gh.state.addComment(DEFAULT_REPO, 12, { body: `${MARKER}\nactions bot` });
    const theirs = gh.state.addComment(DEFAULT_REPO, 12, {
      body: `${MARKER}\nold`,
      user: otherApp,
    });
    const result = await upsertComment({
      octokit: asApp,
      owner,
      repo,
      issueNumber: 12,
      commentId: 'default',
      body: 'new',
    });
    expect(result).toMatchObject({ id: theirs.id, action: 'updated' });
    expect([actions.body, theirs.body]).toEqual([`${MARKER}\nactions bot`, `${MARKER}\nnew`]);
  });

  it('asks GET /user when GraphQL cannot say who the token is, and creates rather than guesses', async () => {
    gh.state.forbid('graphql');
    gh.state.addPersonalToken('ghp_alice', 'alice');
    const pat = getOctokit('ghp_alice', { baseUrl: gh.url });
    const mine = gh.state.addComment(DEFAULT_REPO, 12, {
      body: `${MARKER}\nold`,
      user: { login: 'alice', type: 'User' },
    });
    const asAlice = await upsertComment({
      octokit: pat,
      owner,
      repo,
      issueNumber: 12,
      commentId: 'default',
      body: 'new',
    });
    expect(asAlice).toMatchObject({ id: mine.id, action: 'updated' });
    // GITHUB_TOKEN: GraphQL refused and /user refused: nobody's comment is taken over.
    const bot = gh.state.addComment(DEFAULT_REPO, 13, { body: `${MARKER}\nbot` });
    const created = await upsertComment({
      octokit,
      owner,
      repo,
      issueNumber: 13,
      commentId: 'default',
      body: 'x',
    });
    expect(created.action).toBe('created');
    expect(bot.body).toBe(`${MARKER}\nbot`);
  });

  it('passes other errors through unchanged', async () => {
    const error = await upsertComment({
      octokit,
      owner: 'nobody',
      repo: 'none',
      issueNumber: 1,
      commentId: 'default',
      body: 'x',
    }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(GitHubPermissionError);
    expect(error).toMatchObject({ status: 404 });
  });
});
