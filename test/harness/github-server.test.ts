// The loopback GitHub server, exercised through the real Octokit from @actions/github.
import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REPO, startGitHub, type GitHubServer } from './servers/github.ts';

const [owner, repo] = DEFAULT_REPO.split('/') as [string, string];

describe('loopback GitHub REST server', () => {
  let gh: GitHubServer;
  let octokit: ReturnType<typeof getOctokit>;

  beforeEach(async () => {
    gh = await startGitHub();
    octokit = getOctokit('ghs_test', { baseUrl: gh.url });
  });
  afterEach(() => gh.close());

  it('paginates 250 comments with Link headers through octokit.paginate', async () => {
    const seeded = gh.state.addComments(
      DEFAULT_REPO,
      7,
      Array.from({ length: 250 }, (_, i) => ({ body: `comment ${i}` })),
    );
    gh.state.addComment(DEFAULT_REPO, 8, { body: 'other PR' });
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: 7,
      per_page: 100,
    });
    expect(all.map((c) => c.id)).toEqual(seeded.map((c) => c.id));
    const pages = gh.requests.filter((r) => r.pathname.endsWith('/issues/7/comments'));
    expect(pages.map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2', '3']);
    expect(pages.every((r) => r.headers.authorization === 'token ghs_test')).toBe(true);
  });

  it('honours per_page and answers rel="next"/"last" links', async () => {
    gh.state.addComments(DEFAULT_REPO, 1, [{ body: 'a' }, { body: 'b' }, { body: 'c' }]);
    const res = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number: 1,
      per_page: 2,
    });
    expect(res.data.map((c) => c.body)).toEqual(['a', 'b']);
    expect(res.headers.link).toContain('page=2>; rel="next"');
    expect(res.headers.link).toContain('rel="last"');
  });

  it('creates and updates a comment', async () => {
    const created = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: 3,
      body: 'v1',
    });
    expect(created.status).toBe(201);
    const updated = await octokit.rest.issues.updateComment({
      owner,
      repo,
      comment_id: created.data.id,
      body: 'v2',
    });
    expect(updated.data.id).toBe(created.data.id);
    expect(gh.state.commentsOf(DEFAULT_REPO, 3).map((c) => c.body)).toEqual(['v2']);
    const patch = gh.requests.find((r) => r.method === 'PATCH');
    expect(JSON.parse(patch!.text)).toEqual({ body: 'v2' });
  });

  it('answers the repository and pull request', async () => {
    gh.state.addRepo(DEFAULT_REPO, { defaultBranch: 'trunk' });
    gh.state.addPull(DEFAULT_REPO, {
      number: 5,
      baseRef: 'trunk',
      headRef: 'feature',
      headRepository: 'fork/octo-repo',
    });
    const { data: r } = await octokit.rest.repos.get({ owner, repo });
    expect([r.default_branch, r.fork]).toEqual(['trunk', false]);
    const { data: pr } = await octokit.rest.pulls.get({ owner, repo, pull_number: 5 });
    expect([pr.base.ref, pr.head.ref, pr.head.repo?.fork]).toEqual(['trunk', 'feature', true]);
  });

  it('filters workflow runs by workflow file, branch, event and status, newest first', async () => {
    const t = (d: number) => new Date(Date.UTC(2025, 0, d));
    gh.state.addRun({ id: 1, headBranch: 'main', event: 'push', createdAt: t(1) });
    gh.state.addRun({ id: 2, headBranch: 'main', event: 'push', createdAt: t(3) });
    gh.state.addRun({
      id: 3,
      headBranch: 'main',
      event: 'push',
      conclusion: 'failure',
      createdAt: t(4),
    });
    gh.state.addRun({ id: 4, headBranch: 'main', event: 'pull_request', createdAt: t(5) });
    gh.state.addRun({
      id: 5,
      headBranch: 'main',
      event: 'push',
      path: '.github/workflows/other.yml',
      workflowId: 9,
      createdAt: t(6),
    });
    const { data } = await octokit.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: 'dreambench.yml',
      branch: 'main',
      event: 'push',
      status: 'success',
    });
    expect(data.workflow_runs.map((r) => r.id)).toEqual([2, 1]);
    const all = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo });
    expect(all.data.total_count).toBe(5);
  });

  it('lists artifacts by name and redirects the zip download to a blob', async () => {
    gh.state.addRun({ id: 11, headBranch: 'main', event: 'push' });
    const a = gh.store.seed({
      name: 'results',
      repo: DEFAULT_REPO,
      runId: 11,
      zip: Buffer.from('PK-bytes'),
    });
    gh.store.seed({ name: 'other', repo: DEFAULT_REPO, runId: 11, files: { x: 'y' } });
    const byName = await octokit.rest.actions.listArtifactsForRepo({
      owner,
      repo,
      name: 'results',
    });
    expect(byName.data.artifacts.map((x) => [x.id, x.workflow_run?.head_branch])).toEqual([
      [a.id, 'main'],
    ]);
    const ofRun = await octokit.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: 11 });
    expect(ofRun.data.total_count).toBe(2);
    const dl = await octokit.rest.actions.downloadArtifact({
      owner,
      repo,
      artifact_id: a.id,
      archive_format: 'zip',
      request: { redirect: 'manual' },
    });
    expect(dl.status).toBe(302);
    const blob = await fetch(String(dl.headers.location));
    expect(Buffer.from(await blob.arrayBuffer()).toString()).toBe('PK-bytes');
    const unsigned = await fetch(String(dl.headers.location).replace(/sig=\w+/, 'sig=nope'));
    expect(unsigned.status).toBe(403);
  });

  it('pages the artifacts of a name newest first, each naming its run, branch and head repository', async () => {
    const t = (m: number) => new Date(Date.UTC(2025, 0, 1, 0, m));
    gh.state.addRun({ id: 21, headBranch: 'main', event: 'push', headSha: 'a'.repeat(40) });
    gh.state.addRun({
      id: 22,
      headBranch: 'main',
      event: 'pull_request',
      headRepository: 'fork/octo-repo',
    });
    const seeded = Array.from({ length: 5 }, (_, i) =>
      gh.store.seed({
        name: 'results',
        repo: DEFAULT_REPO,
        runId: i === 4 ? 22 : 21,
        files: { x: String(i) },
        createdAt: t(i),
        expired: i === 0,
      }),
    );
    gh.store.seed({ name: 'other', repo: DEFAULT_REPO, runId: 21, files: {}, createdAt: t(9) });
    const first = await octokit.rest.actions.listArtifactsForRepo({
      owner,
      repo,
      name: 'results',
      per_page: 2,
    });
    expect(first.data.total_count).toBe(5);
    expect(first.data.artifacts.map((a) => a.id)).toEqual([seeded[4]!.id, seeded[3]!.id]);
    expect(first.headers.link).toContain('page=2>; rel="next"');
    expect(first.headers.link).toContain('page=3>; rel="last"');
    const repoId = first.data.artifacts[1]!.workflow_run?.repository_id;
    expect(first.data.artifacts.map((a) => a.workflow_run)).toEqual([
      {
        id: 22,
        repository_id: repoId,
        head_repository_id: expect.any(Number),
        head_branch: 'main',
        head_sha: expect.any(String),
      },
      {
        id: 21,
        repository_id: repoId,
        head_repository_id: repoId,
        head_branch: 'main',
        head_sha: 'a'.repeat(40),
      },
    ]);
    expect(first.data.artifacts[0]!.workflow_run?.head_repository_id).not.toBe(repoId);
    const all = await octokit.paginate(octokit.rest.actions.listArtifactsForRepo, {
      owner,
      repo,
      name: 'results',
      per_page: 2,
    });
    expect(all.map((a) => [a.id, a.expired])).toEqual(
      [...seeded].reverse().map((a, i) => [a.id, i === 4]),
    );
  });

  it('answers GET /user with 403 for an installation token and the user for a personal token', async () => {
    const error = await octokit.rest.users.getAuthenticated().catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration'),
    });
    gh.state.addPersonalToken('ghp_alice', 'alice');
    const pat = getOctokit('ghp_alice', { baseUrl: gh.url });
    const { data } = await pat.rest.users.getAuthenticated();
    expect([data.login, data.type]).toEqual(['alice', 'User']);
    // Comments are written by the token's identity.
    await pat.rest.issues.createComment({ owner, repo, issue_number: 4, body: 'by alice' });
    await octokit.rest.issues.createComment({ owner, repo, issue_number: 4, body: 'by the bot' });
    const { data: listed } = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number: 4,
    });
    expect(listed.map((c) => [c.user?.login, c.user?.type])).toEqual([
      ['alice', 'User'],
      ['github-actions[bot]', 'Bot'],
    ]);
  });

  it('answers 401 without a token and 403 with the permission header for a forbidden route', async () => {
    const anonymous = await fetch(`${gh.url}/repos/${DEFAULT_REPO}`);
    expect(anonymous.status).toBe(401);
    gh.state.forbid('createComment');
    const error = await octokit.rest.issues
      .createComment({ owner, repo, issue_number: 1, body: 'x' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration'),
    });
    expect(
      (error as { response: { headers: Record<string, string> } }).response.headers[
        'x-accepted-github-permissions'
      ],
    ).toContain('pull_requests=write');
  });

  it('answers 404 for an unknown repository and 401 for a wrong token when one is configured', async () => {
    await expect(
      octokit.rest.repos.get({ owner: 'nobody', repo: 'nothing' }),
    ).rejects.toMatchObject({ status: 404 });
    const strict = await startGitHub({ token: 'right' });
    try {
      const wrong = getOctokit('wrong', { baseUrl: strict.url });
      await expect(wrong.rest.repos.get({ owner, repo })).rejects.toMatchObject({ status: 401 });
      const right = getOctokit('right', { baseUrl: strict.url });
      expect((await right.rest.repos.get({ owner, repo })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
