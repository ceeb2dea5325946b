// uploadResults / findBaseline with the real @actions/artifact and Octokit against the loopback
// results service + GitHub server (one shared artifact store).
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { getOctokit } from '@actions/github';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as ArtifactsModule from '../../src/github/artifacts.ts';
import {
  BaselineDigestMismatchError,
  BaselineDownloadError,
  GitHubPermissionError,
} from '../../src/github/errors.ts';
import { makeRuntimeToken, startActionsStack } from '../harness/servers/actions-env.ts';

type Stack = Awaited<ReturnType<typeof startActionsStack>>;
const owner = 'octo-org';
const repo = 'octo-repo';
const day = (d: number) => new Date(Date.UTC(2025, 0, d));

describe('results artifact and baseline lookup', () => {
  let stack: Stack;
  let artifacts: typeof ArtifactsModule;
  let octokit: ReturnType<typeof getOctokit>;
  let tmp: string;
  let counter = 0;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    stack = await startActionsStack();
    // @actions/github fixes its API base URL when first imported (the artifact client's findBy
    // download relies on it): environment first, then the modules, so no static imports of them.
    Object.assign(process.env, stack.env(500));
    artifacts = await import('../../src/github/artifacts.ts');
    const github = await import('@actions/github');
    octokit = github.getOctokit('ghs_test', { baseUrl: stack.github.url });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'gh-artifacts-'));
  });
  afterAll(async () => {
    process.env = savedEnv;
    await stack.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const freshDir = () => path.join(tmp, `out-${counter++}`);
  const find = (over: Partial<ArtifactsModule.FindBaselineOptions> = {}) =>
    artifacts.findBaseline({
      octokit,
      token: 'ghs_test',
      owner,
      repo,
      workflow: 'dreambench.yml',
      branch: 'main',
      artifactName: 'dreambench-results',
      downloadDir: freshDir(),
      now: new Date(),
      currentRunId: 700,
      ...over,
    });

  it('uploads the results folder recursively and a later run downloads it as the baseline', async () => {
    const gh = stack.github.state;
    gh.addRun({ id: 400, headBranch: 'main', event: 'schedule', createdAt: day(1) });
    gh.addRun({ id: 500, headBranch: 'main', event: 'push', createdAt: day(2) });
    const dir = path.join(tmp, 'results');
    await mkdir(path.join(dir, 'images'), { recursive: true });
    await writeFile(path.join(dir, 'results.json'), '{"run":500}');
    await writeFile(path.join(dir, 'images', 'x-p0.jpg'), Buffer.from([0xff, 0xd8, 0xff, 1, 2, 3]));
    stack.store.seed({
      name: 'dreambench-results',
      repo: `${owner}/${repo}`,
      runId: 400,
      files: { 'results.json': '{"run":400}' },
    });

    const up = await artifacts.uploadResults({
      name: 'dreambench-results',
      dir,
      retentionDays: 30,
    });
    expect(up.files).toEqual(['images/x-p0.jpg', 'results.json']);
    expect(up.size).toBe(stack.store.artifacts.find((a) => a.id === up.id)!.size);

    // Newer runs that must all be passed over: a fork's same-named branch, a failure, a PR run,
    // and a successful push whose artifact has expired.
    gh.addRun({
      id: 601,
      headBranch: 'main',
      event: 'push',
      headRepository: 'evil/octo-repo',
      createdAt: day(3),
    });
    gh.addRun({
      id: 602,
      headBranch: 'main',
      event: 'push',
      conclusion: 'failure',
      createdAt: day(4),
    });
    gh.addRun({ id: 603, headBranch: 'main', event: 'pull_request', createdAt: day(5) });
    gh.addRun({ id: 604, headBranch: 'main', event: 'push', createdAt: day(6) });
    for (const runId of [601, 602, 603]) {
      stack.store.seed({
        name: 'dreambench-results',
        repo: `${owner}/${repo}`,
        runId,
        files: { 'results.json': `{"run":${runId}}` },
      });
    }
    stack.store.seed({
      name: 'dreambench-results',
      repo: `${owner}/${repo}`,
      runId: 604,
      files: { 'results.json': '{}' },
      expired: true,
    });

    process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(700); // the later run
    const baseline = await find();
    expect(baseline?.run).toMatchObject({ id: 500, event: 'push', headBranch: 'main' });
    expect(baseline?.artifact.id).toBe(up.id);
    expect(await readFile(path.join(baseline!.dir, 'results.json'), 'utf8')).toBe('{"run":500}');
    expect([...(await readFile(path.join(baseline!.dir, 'images', 'x-p0.jpg')))]).toEqual([
      0xff, 0xd8, 0xff, 1, 2, 3,
    ]);
    // One listing of the repository's artifacts by name; runs fetched only for the candidates the
    // artifacts themselves cannot rule out (the fork's and the expired one are never fetched),
    // newest first, stopping at the baseline.
    const api = stack.github.requests.filter((r) => !r.pathname.startsWith('/blob/'));
    const listing = api.find((r) => r.pathname === `/repos/${owner}/${repo}/actions/artifacts`)!;
    expect([listing.query.get('name'), listing.query.get('per_page')]).toEqual([
      'dreambench-results',
      '100',
    ]);
    expect(runsFetched(api)).toEqual([603, 602, 500]);
    expect(api.some((r) => /\/runs$|\/runs\/\d+\/artifacts$/.test(r.pathname))).toBe(false);
  });

  it('returns null without a candidate: other branch, or a workflow that never ran', async () => {
    expect(await find({ branch: 'release' })).toBeNull();
    expect(await find({ workflow: 'never.yml' })).toBeNull();
  });

  it('never picks the current run', async () => {
    const baseline = await find({ currentRunId: 500 });
    expect(baseline?.run.id).toBe(400);
  });

  it('looks past the first page of artifacts, up to maxPages', async () => {
    const gh = stack.github.state;
    gh.addRun({ id: 9_000, headBranch: 'main', event: 'push', createdAt: day(7) });
    stack.store.seed({
      name: 'busy',
      repo: `${owner}/${repo}`,
      runId: 9_000,
      files: { 'results.json': 'old' },
      createdAt: day(7),
    });
    // 120 newer artifacts of PR branches: ruled out by the listing alone, no run fetched.
    for (let i = 0; i < 120; i++) {
      gh.addRun({
        id: 10_000 + i,
        headBranch: `pr-${i}`,
        event: 'pull_request',
        createdAt: day(9),
      });
      stack.store.seed({
        name: 'busy',
        repo: `${owner}/${repo}`,
        runId: 10_000 + i,
        files: { 'results.json': 'pr' },
        createdAt: day(9),
      });
    }
    const before = stack.github.requests.length;
    const baseline = await find({ artifactName: 'busy' });
    expect(baseline?.run.id).toBe(9_000);
    const api = stack.github.requests.slice(before).filter((r) => !r.pathname.startsWith('/blob/'));
    expect(api.map((r) => r.query.get('page') ?? r.pathname)).toEqual([
      `/repos/${owner}/${repo}/actions/artifacts`,
      '2',
      `/repos/${owner}/${repo}/actions/runs/9000`,
      expect.stringMatching(/\/zip$/),
    ]);
    expect(await find({ artifactName: 'busy', maxPages: 1 })).toBeNull();
  });

  it("finds another workflow's baselines when told its file (the workflow_run pattern)", async () => {
    const gh = stack.github.state;
    const bench = { path: '.github/workflows/bench.yml', workflowId: 31 };
    const nightly = { path: '.github/workflows/nightly.yml', workflowId: 32 };
    gh.addRun({ id: 3_100, headBranch: 'main', event: 'push', createdAt: day(11), ...bench });
    gh.addRun({ id: 3_200, headBranch: 'main', event: 'schedule', createdAt: day(12), ...nightly });
    for (const runId of [3_100, 3_200]) {
      stack.store.seed({
        name: 'shared-name',
        repo: `${owner}/${repo}`,
        runId,
        files: { 'results.json': `{"run":${runId}}` },
        createdAt: day(runId === 3_100 ? 11 : 12),
      });
    }
    // The current run is the trusted workflow_run workflow, which publishes no baselines itself.
    expect((await find({ artifactName: 'shared-name', workflow: 'bench.yml' }))?.run.id).toBe(
      3_100,
    );
    expect((await find({ artifactName: 'shared-name', workflow: 'nightly.yml' }))?.run.id).toBe(
      3_200,
    );
    expect((await find({ artifactName: 'shared-name', workflow: 31 }))?.run.id).toBe(3_100);
    expect(await find({ artifactName: 'shared-name' })).toBeNull(); // dreambench.yml never ran
  });

  it('costs a constant number of requests when the branch has 50 older expired artifacts', async () => {
    const gh = stack.github.state;
    for (let i = 0; i < 50; i++) {
      gh.addRun({ id: 20_000 + i, headBranch: 'main', event: 'push', createdAt: day(13) });
      stack.store.seed({
        name: 'long-history',
        repo: `${owner}/${repo}`,
        runId: 20_000 + i,
        files: { 'results.json': '{}' },
        createdAt: new Date(day(13).getTime() + i * 60_000),
        expired: true,
      });
    }
    const before = stack.github.requests.length;
    expect(await find({ artifactName: 'long-history' })).toBeNull();
    const api = stack.github.requests.slice(before);
    expect(api.map((r) => r.pathname)).toEqual([`/repos/${owner}/${repo}/actions/artifacts`]);
  });

  /** A baseline run on `branch` whose artifact's stored bytes were then replaced by `bytes`. */
  async function damagedBaseline(runId: number, branch: string, bytes: Uint8Array) {
    stack.github.state.addRun({ id: runId, headBranch: branch, event: 'push', createdAt: day(8) });
    process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(runId);
    const dir = path.join(tmp, branch);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'results.json'), 'genuine');
    const up = await artifacts.uploadResults({ name: 'dreambench-results', dir });
    stack.store.replaceContent(
      stack.store.artifacts.find((a) => a.id === up.id)!,
      bytes,
    );
    process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(700); // the later run
    return up.id;
  }

  it('rejects a downloaded baseline whose bytes do not match the recorded digest', async () => {
    await damagedBaseline(800, 'tampered', zipSync({ 'results.json': Buffer.from('forged') }));
    await expect(find({ branch: 'tampered' })).rejects.toBeInstanceOf(BaselineDigestMismatchError);
  });

  it('names the artifact, its run and what to do when its bytes are no zip', async () => {
    const id = await damagedBaseline(810, 'garbled', Buffer.from('<html>not a zip</html>'));
    // The artifact client tries five times, 5 s apart: its clock is faked, not waited for.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let error: unknown;
      let settled = false;
      void find({ branch: 'garbled' }).then(
        () => (settled = true),
        (e: unknown) => ((error = e), (settled = true)),
      );
      for (let i = 0; i < 100 && !settled; i++) await vi.advanceTimersByTimeAsync(1000);
      expect(error).toBeInstanceOf(BaselineDownloadError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Could not download the baseline artifact "dreambench-results" \\(id ${id}\\) of run 810: .*` +
            'A network failure passes when the job is re-run; if it repeats, the artifact is damaged',
        ),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('names actions: read when the listing, the run or the download is forbidden', async () => {
    const gh = stack.github.state;
    for (const [route, operation] of [
      ['downloadArtifact', 'download artifact'],
      ['getRun', 'get workflow run'],
      ['listRepoArtifacts', 'list artifacts'],
    ] as const) {
      gh.forbid(route);
      const error = await find().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitHubPermissionError);
      expect(error).toMatchObject({
        permission: 'actions: read',
        operation,
        target: `${owner}/${repo}`,
      });
    }
    gh.forbidden.clear();
  });
});

/** The run ids fetched with GET /repos/{o}/{r}/actions/runs/{id}, in order. */
function runsFetched(requests: readonly { pathname: string }[]): number[] {
  return requests.flatMap((r) => {
    const id = /\/actions\/runs\/(\d+)$/.exec(r.pathname)?.[1];
    return id ? [Number(id)] : [];
  });
}
