// The dataset's tool cache on a self-hosted runner, which keeps it between jobs: a moving revision
// is resolved to its commit on every run, only validated archives are cached, by commit, and a
// damaged cache entry is downloaded again.
import { existsSync, readdirSync } from 'node:fs';
import { rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DatasetFormatError, loadBenchmark } from '../../src/plan/index.ts';
import {
  buildDataZip,
  buildLayoutFiles,
  makeJpeg,
  startHubServer,
  zipFiles,
  type HubServer,
} from '../harness/servers/hub.ts';
import { useScratchRunner } from './scratch-runner.ts';

const REPO = 'yuangpeng/dreambench_plus';
const KEY = `${REPO}@main/data.zip`;
useScratchRunner('dataset-cache-');
let hub: HubServer | undefined;
let good: Buffer;
let bigger: Buffer;
let broken: Buffer;

beforeAll(async () => {
  good = await buildDataZip({ perCategory: 1 });
  bigger = await buildDataZip({ perCategory: 2 });
  const files = await buildLayoutFiles({ perCategory: 1 });
  // A caption with 8 prompts instead of 9.
  files['data/captions/object/00.txt'] = Buffer.from(
    `Teapot\n${Array.from({ length: 8 }, (_, i) => `p${i}`).join('\n')}\n`,
  );
  broken = zipFiles(files);
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const warnings: string[] = [];
const load = (revision = 'main') =>
  loadBenchmark({
    dataset: 'dreambench-plus',
    revision,
    hfEndpoint: hub!.url,
    onWarning: (m) => warnings.push(m),
  });

/** The paths the hub was asked for since `from`. */
const asked = (from: number) => hub!.requests.slice(from).map((r) => r.path);
const api = (rev: string) => `/api/datasets/${REPO}/revision/${rev}`;
const resolve = (commit: string) => `/datasets/${REPO}/resolve/${commit}/data.zip`;

describe('a moving revision', () => {
  it('is resolved to its commit on every run; the archive is downloaded once per commit', async () => {
    hub = await startHubServer({ files: { [KEY]: good } });
    const a = hub.commitOf(`${REPO}@main`)!;
    const first = await load();
    expect(asked(0)).toEqual([api('main'), resolve(a), '/cdn/0']);
    expect(first.concepts).toHaveLength(4);

    let before = hub.requests.length;
    expect(await load()).toEqual(first);
    expect(asked(before)).toEqual([api('main')]); // one cheap request, no download

    hub.publish(KEY, bigger); // main moves on
    const b = hub.commitOf(`${REPO}@main`)!;
    expect(b).not.toBe(a);
    before = hub.requests.length;
    const moved = await load();
    expect(asked(before)).toEqual([api('main'), resolve(b), '/cdn/1']);
    expect(moved.concepts).toHaveLength(8);
    expect(moved.sha256).not.toBe(first.sha256);
    expect(moved.revision).toBe('main');
  });

  it('percent-encodes a revision with slashes in the API request', async () => {
    hub = await startHubServer({ files: { [`${REPO}@refs/pr/1/data.zip`]: good } });
    const pr = await load('refs/pr/1');
    expect(pr.concepts).toHaveLength(4);
    expect(hub.requests[0]!.path).toBe(api('refs%2Fpr%2F1'));
  });

  it('a full commit sha needs no API request', async () => {
    hub = await startHubServer({ files: { [KEY]: good } });
    const commit = hub.commitOf(`${REPO}@main`)!;
    await load(commit);
    expect(asked(0)).toEqual([resolve(commit), '/cdn/0']);
    const before = hub.requests.length;
    await load(commit);
    expect(asked(before)).toEqual([]);
  });
});

describe('only validated archives are cached', () => {
  it('a broken data.zip is refused and not cached; once the hub is fixed, the next run gets it', async () => {
    hub = await startHubServer({ files: { [KEY]: broken } });
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as Error).message).toContain('captions/object/00.txt');
    const tool = path.join(process.env.RUNNER_TOOL_CACHE!, 'dreambench-plus');
    expect(existsSync(tool) ? readdirSync(tool) : []).toEqual([]);

    hub.publish(KEY, good);
    const before = hub.requests.length;
    const fixed = await load();
    expect(fixed.concepts).toHaveLength(4);
    expect(asked(before)).toEqual([api('main'), resolve(hub.commitOf(`${REPO}@main`)!), '/cdn/1']);
  });
});

describe('a damaged cache entry', () => {
  it.each([
    ['a truncated caption', (f: string) => truncate(path.join(f, 'captions/object/00.txt'), 5)],
    [
      'an image rewritten',
      async (f: string) => writeFile(path.join(f, 'images/style/00.jpg'), await makeJpeg(99)),
    ],
    ['a file deleted', (f: string) => rm(path.join(f, 'images/live_subject/human/00.jpg'))],
    [
      'a concept added',
      async (f: string) => {
        await writeFile(path.join(f, 'images/object/05.jpg'), await makeJpeg(5));
        const prompts = Array.from({ length: 9 }, (_, i) => `a kettle, prompt ${i}`);
        await writeFile(path.join(f, 'captions/object/05.txt'), `Kettle\n${prompts.join('\n')}\n`);
      },
    ],
    [
      'its record deleted',
      (f: string) => rm(path.join(path.dirname(f), '.dreambench-archive.json')),
    ],
  ])('is noticed (%s) and downloaded again', async (_, damage) => {
    hub = await startHubServer({ files: { [KEY]: good } });
    const first = await load();
    const data = path.dirname(path.dirname(path.dirname(first.concepts[0]!.referenceImages[0]!)));
    const base = data.endsWith(`${path.sep}images`) ? path.dirname(data) : data;
    await damage(base);
    warnings.length = 0;
    const before = hub.requests.length;
    const again = await load();
    expect(again).toEqual(first);
    expect(asked(before)).toEqual([api('main'), resolve(hub.commitOf(`${REPO}@main`)!), '/cdn/1']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^The cached dataset dreambench-plus at commit [0-9a-f]{40} is damaged \(.+\): downloading it again$/,
    );
    // And the repaired entry is a good one: the next run uses it without a download.
    const after = hub.requests.length;
    await load();
    expect(asked(after)).toEqual([api('main')]);
  });
});
