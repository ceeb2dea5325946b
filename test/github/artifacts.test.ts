// uploadResults / findBaseline with the real @actions/artifact and Octokit against the loopback
// results service + GitHub server (one shared artifact store).
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { getOctokit } from '@actions/github';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ArtifactsModule from '../../src/github/artifacts.ts';
import { BaselineDigestMismatchError, GitHubPermissionError } from '../../src/github/errors.ts';
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
    const runsQuery = stack.github.requests.find((r) =>
      r.pathname.endsWith('/workflows/dreambench.yml/runs'),
    )!.query;
    expect([runsQuery.get('branch'), runsQuery.get('status')]).toEqual(['main', 'success']);
  });

  it('returns null without a candidate: other branch, or a workflow that never ran', async () => {
    expect(await find({ branch: 'release' })).toBeNull();
    expect(await find({ workflow: 'never.yml' })).toBeNull();
  });

  it('never picks the current run', async () => {
    const baseline = await find({ currentRunId: 500 });
    expect(baseline?.run.id).toBe(400);
  });

  it('looks past the first page of runs', async () => {
    const gh = stack.github.state;
    for (let i = 0; i < 120; i++) {
      gh.addRun({
        id: 10_000 + i,
        headBranch: 'main',
        event: 'push',
        conclusion: 'success',
        createdAt: day(10),
        path: '.github/workflows/busy.yml',
        workflowId: 77,
      });
    }
    gh.addRun({
      id: 9_000,
      headBranch: 'main',
      event: 'push',
      createdAt: day(7),
      path: '.github/workflows/busy.yml',
      workflowId: 77,
    });
    stack.store.seed({
      name: 'busy',
      repo: `${owner}/${repo}`,
      runId: 9_000,
      files: { 'results.json': 'old' },
    });
    const baseline = await find({ workflow: 'busy.yml', artifactName: 'busy' });
    expect(baseline?.run.id).toBe(9_000);
    expect(await find({ workflow: 'busy.yml', artifactName: 'busy', maxRuns: 100 })).toBeNull();
  });

  it('rejects a downloaded baseline whose bytes do not match the recorded digest', async () => {
    const gh = stack.github.state;
    gh.addRun({ id: 800, headBranch: 'tampered', event: 'push', createdAt: day(8) });
    process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(800);
    const dir = path.join(tmp, 'tamper');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'results.json'), 'genuine');
    const up = await artifacts.uploadResults({ name: 'dreambench-results', dir });
    const stored = stack.store.artifacts.find((a) => a.id === up.id)!;
    stack.store.replaceContent(stored, zipSync({ 'results.json': Buffer.from('forged') }));
    process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(700);
    await expect(find({ branch: 'tampered' })).rejects.toBeInstanceOf(BaselineDigestMismatchError);
  });

  it('names actions: read when the run listing or the download is forbidden', async () => {
    stack.github.state.forbid('downloadArtifact');
    await expect(find()).rejects.toMatchObject({
      name: 'GitHubPermissionError',
      permission: 'actions: read',
      operation: 'download artifact',
    });
    stack.github.state.forbid('listWorkflowRuns');
    const error = await find().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubPermissionError);
    expect(error).toMatchObject({
      permission: 'actions: read',
      operation: 'list workflow runs',
      target: `${owner}/${repo}`,
    });
  });
});
