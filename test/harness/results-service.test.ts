// The loopback results service + blob store + REST server, exercised through the real
// @actions/artifact client: one run uploads, a later run finds and downloads by `findBy`.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefaultArtifactClient as Client } from '@actions/artifact';
import { makeRuntimeToken, startActionsStack } from './servers/actions-env.ts';

type Stack = Awaited<ReturnType<typeof startActionsStack>>;

describe('loopback results service with @actions/artifact', () => {
  let stack: Stack;
  let client: Client;
  let tmp: string;
  const savedEnv = { ...process.env };
  const binary = randomBytes(300_000);

  beforeAll(async () => {
    stack = await startActionsStack();
    // @actions/github reads GITHUB_API_URL when first imported: set the env, then import.
    Object.assign(process.env, stack.env(101));
    const { DefaultArtifactClient } = await import('@actions/artifact');
    client = new DefaultArtifactClient();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'results-service-'));
    await mkdir(path.join(tmp, 'up', 'images'), { recursive: true });
    await writeFile(path.join(tmp, 'up', 'results.json'), '{"schema":1}');
    await writeFile(path.join(tmp, 'up', 'images', 'a.bin'), binary);
  });

  afterAll(async () => {
    process.env = savedEnv;
    await stack.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('uploads through CreateArtifact, Put Block/Put Block List and FinalizeArtifact', async () => {
    stack.github.state.addRun({ id: 101, headBranch: 'main', event: 'push' });
    const up = path.join(tmp, 'up');
    const result = await client.uploadArtifact(
      'dreambench-results',
      [path.join(up, 'results.json'), path.join(up, 'images', 'a.bin')],
      up,
      { retentionDays: 5 },
    );
    const stored = stack.store.artifacts.find((a) => a.id === result.id);
    expect(stored).toMatchObject({
      name: 'dreambench-results',
      runId: 101,
      finalized: true,
      size: result.size,
    });
    expect(stored!.expiresAt!.getTime() - Date.now()).toBeGreaterThan(4 * 86_400_000);
    const blobPuts = stack.results.requests.filter((r) => r.method === 'PUT');
    expect(blobPuts.some((r) => r.query.get('comp') === 'block')).toBe(true);
    expect(blobPuts.at(-1)!.query.get('comp')).toBe('blocklist');
    const create = stack.results.requests.find((r) => r.pathname.endsWith('/CreateArtifact'));
    expect(create!.headers.authorization).toBe(`Bearer ${makeRuntimeToken(101)}`);
  });

  it('downloads within the same run through GetSignedArtifactURL', async () => {
    const { artifact } = await client.getArtifact('dreambench-results');
    const out = path.join(tmp, 'same-run');
    await client.downloadArtifact(artifact.id, { path: out });
    expect(await readFile(path.join(out, 'results.json'), 'utf8')).toBe('{"schema":1}');
  });

  it('lets a later run find it by REST and download it by findBy with identical bytes', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(202);
    const findBy = {
      token: 'ghs_later',
      workflowRunId: 101,
      repositoryOwner: 'octo-org',
      repositoryName: 'octo-repo',
    };
    const own = await client.listArtifacts();
    expect(own.artifacts).toEqual([]); // run 202 has uploaded nothing
    const { artifacts } = await client.listArtifacts({ findBy });
    expect(artifacts.map((a) => a.name)).toEqual(['dreambench-results']);
    const out = path.join(tmp, 'later-run');
    await client.downloadArtifact(artifacts[0]!.id, { path: out, findBy });
    expect((await readFile(path.join(out, 'images', 'a.bin'))).equals(binary)).toBe(true);
    const zipRoute = stack.github.requests.find((r) => r.pathname.endsWith('/zip'));
    expect(zipRoute!.headers.authorization).toBe('token ghs_later');
  });

  it('refuses a second artifact of a name in one run with 409, as the real service does', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(303, 'job-a');
    const file = path.join(tmp, 'up', 'results.json');
    await client.uploadArtifact('taken', [file], path.join(tmp, 'up'));
    // Another job of the same run (a matrix sharing the name), then the same job again.
    for (const job of ['job-b', 'job-a']) {
      process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(303, job);
      await expect(client.uploadArtifact('taken', [file], path.join(tmp, 'up'))).rejects.toThrow(
        '(409) Conflict: an artifact with this name already exists on the workflow run',
      );
    }
    expect(stack.store.artifacts.filter((a) => a.name === 'taken')).toHaveLength(1);
    // Another run may use the name; and once deleted, this run may upload it again (a re-run).
    process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(304, 'job-a');
    await client.uploadArtifact('taken', [file], path.join(tmp, 'up'));
    process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(303, 'job-a-attempt-2');
    await client.deleteArtifact('taken');
    await client.uploadArtifact('taken', [file], path.join(tmp, 'up'));
    expect(stack.store.artifacts.filter((a) => a.name === 'taken').map((a) => a.runId)).toEqual([
      304, 303,
    ]);
  });
});
