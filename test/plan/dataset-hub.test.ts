// dreambench-plus through the real @actions/tool-cache path against a loopback hub.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ArchiveTooLargeError,
  DatasetAuthError,
  DatasetRevisionNotFoundError,
  UnsafeArchiveEntryError,
  loadBenchmark,
} from '../../src/plan/index.ts';
import { sha256File } from '../../src/plan/content-hash.ts';
import { DREAMBOOTH_PINNED_COMMIT } from '../../src/plan/index.ts';
import {
  buildDataZip,
  buildLayoutFiles,
  makeJpeg,
  startHubServer,
  zipFiles,
} from '../harness/servers/hub.ts';
import type { HubServer } from '../harness/servers/hub.ts';
import { useScratchRunner } from './scratch-runner.ts';

const REPO = 'yuangpeng/dreambench_plus';
const scratch = useScratchRunner('hub-test-');
let dataZip: Buffer;

beforeAll(async () => {
  dataZip = await buildDataZip({ perCategory: { animal: 2, human: 1, object: 3, style: 2 } });
});

afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

let hub: HubServer | undefined;

describe('dreambench-plus from the hub', () => {
  it('resolves the revision, downloads through one redirect, parses the layout, and a second load only resolves', async () => {
    hub = await startHubServer({
      files: { [`${REPO}@v1.0/data.zip`]: dataZip },
      token: 'hf_secret',
    });
    const options = {
      dataset: 'dreambench-plus',
      revision: 'v1.0',
      hfEndpoint: hub.url,
      hfToken: 'hf_secret',
    };
    const first = await loadBenchmark(options);
    const commit = hub.commitOf(`${REPO}@v1.0`);
    expect(hub.requests.map((r) => r.path)).toEqual([
      `/api/datasets/${REPO}/revision/v1.0`,
      `/datasets/${REPO}/resolve/${commit}/data.zip`,
      '/cdn/0',
    ]);
    expect(hub.requests.slice(0, 2).map((r) => r.authorization)).toEqual([
      'Bearer hf_secret',
      'Bearer hf_secret',
    ]);
    expect(first.name).toBe('dreambench-plus');
    expect(first.revision).toBe('v1.0');
    expect(first.concepts.map((c) => c.id)).toEqual([
      'live_subject_animal_00_kitten_0',
      'live_subject_animal_01_kitten_1',
      'live_subject_human_00_young_woman_0',
      'object_00_red_teapot_0',
      'object_01_red_teapot_1',
      'object_02_red_teapot_2',
      'style_00_ink_wash_0',
      'style_01_ink_wash_1',
    ]);
    const teapot = first.concepts[3]!;
    expect(teapot.category).toBe('object');
    expect(teapot.subject).toBe('Red Teapot 0');
    expect(teapot.prompts.map((p) => p.promptClass)).toEqual([
      ...Array(4).fill('photorealistic'),
      ...Array(3).fill('style_transfer'),
      ...Array(2).fill('imaginative'),
    ]);
    expect(teapot.prompts[8]).toEqual({
      index: 8,
      promptClass: 'imaginative',
      text: 'Red Teapot 0 prompt 8',
    });
    expect(path.isAbsolute(teapot.referenceImages[0]!)).toBe(true);
    expect(existsSync(teapot.referenceImages[0]!)).toBe(true);
    expect(teapot.referenceImages[0]!.startsWith(process.env.RUNNER_TOOL_CACHE!)).toBe(true);
    const zipFile = path.join(scratch(), 'copy.zip');
    await (await import('node:fs/promises')).writeFile(zipFile, dataZip);
    expect(first.sha256).toBe(await sha256File(zipFile));
    // And independently of the helper the code under test uses:
    expect(first.sha256).toBe(createHash('sha256').update(dataZip).digest('hex'));

    const before = hub.requests.length;
    const second = await loadBenchmark(options);
    expect(hub.requests.slice(before).map((r) => r.path)).toEqual([
      `/api/datasets/${REPO}/revision/v1.0`,
    ]);
    expect(second).toEqual(first);
  });

  it('keeps revisions apart in the cache', async () => {
    const other = await buildDataZip({ perCategory: 1 });
    hub = await startHubServer({
      files: { [`${REPO}@main/data.zip`]: dataZip, [`${REPO}@refs/pr/1/data.zip`]: other },
    });
    const main = await loadBenchmark({
      dataset: 'dreambench-plus',
      revision: 'main',
      hfEndpoint: hub.url,
    });
    const pr = await loadBenchmark({
      dataset: 'dreambench-plus',
      revision: 'refs/pr/1',
      hfEndpoint: hub.url,
    });
    expect(main.concepts.length).toBe(8);
    expect(pr.concepts.length).toBe(4);
    expect(pr.sha256).not.toBe(main.sha256);
  });

  it('names the revision and endpoint on 404', async () => {
    hub = await startHubServer({ files: { [`${REPO}@main/data.zip`]: dataZip } });
    const error = await loadBenchmark({
      dataset: 'dreambench-plus',
      revision: 'nope',
      hfEndpoint: hub.url,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetRevisionNotFoundError);
    expect(error.message).toContain(`dataset-revision "nope" not found on ${hub.url}`);
  });

  it('reports a refused token on 401 without printing it', async () => {
    hub = await startHubServer({
      files: { [`${REPO}@main/data.zip`]: dataZip },
      token: 'hf_right',
    });
    const wrong = await loadBenchmark({
      dataset: 'dreambench-plus',
      revision: 'main',
      hfEndpoint: hub.url,
      hfToken: 'hf_wrong_token',
    }).catch((e) => e);
    expect(wrong).toBeInstanceOf(DatasetAuthError);
    expect(wrong.status).toBe(401);
    expect(wrong.message).toContain('HF_TOKEN is set but not accepted');
    expect(wrong.message).not.toContain('hf_wrong_token');
    expect(JSON.stringify(wrong)).not.toContain('hf_wrong_token');
    const none = await loadBenchmark({
      dataset: 'dreambench-plus',
      revision: 'main',
      hfEndpoint: hub.url,
    }).catch((e) => e);
    expect(none.message).toContain('set HF_TOKEN');
  });

  it('refuses archive entries that escape the folder, before extracting anything', async () => {
    const files = await buildLayoutFiles({ perCategory: 1 });
    for (const evil of ['../escape.txt', 'data/../../escape.txt', '/tmp/absolute.txt']) {
      const zip = zipFiles({ ...files, [evil]: Buffer.from('x') });
      const local = await startHubServer({ files: { [`${REPO}@main/data.zip`]: zip } });
      const error = await loadBenchmark({
        dataset: 'dreambench-plus',
        revision: 'main',
        hfEndpoint: local.url,
      }).catch((e) => e);
      await local.close();
      expect(error).toBeInstanceOf(UnsafeArchiveEntryError);
      expect(error.entry).toBe(evil);
      expect(existsSync(path.join(process.env.RUNNER_TOOL_CACHE!, 'dreambench-plus'))).toBe(false);
    }
    expect(existsSync(path.join(scratch(), 'escape.txt'))).toBe(false);
  });

  it('refuses an archive whose declared size passes the bound', async () => {
    hub = await startHubServer({ files: { [`${REPO}@main/data.zip`]: dataZip } });
    const error = await loadBenchmark({
      dataset: 'dreambench-plus',
      revision: 'main',
      hfEndpoint: hub.url,
      maxArchiveBytes: 2000,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ArchiveTooLargeError);
    expect(error.maxBytes).toBe(2000);
    expect(error.declaredBytes).toBeGreaterThan(2000);
    const ok = await loadBenchmark({
      dataset: 'dreambench-plus',
      revision: 'main',
      hfEndpoint: hub.url,
      maxArchiveBytes: 10_000_000,
    });
    expect(ok.concepts.length).toBe(8);
  });
});

describe('dreambench preset from a GitHub-style archive', () => {
  it('downloads a branch of google/dreambooth every run and never caches it', async () => {
    const zip = await dreamboothArchive('feature');
    hub = await startHubServer({ raw: { '/google/dreambooth/archive/feature.zip': zip } });
    const options = { dataset: 'dreambench', revision: 'feature', githubBaseUrl: hub.url };
    const first = await loadBenchmark(options);
    const second = await loadBenchmark(options);
    expect(second.concepts.map((c) => c.id)).toEqual(first.concepts.map((c) => c.id));
    expect(hub.requests.map((r) => r.path)).toEqual([
      '/google/dreambooth/archive/feature.zip',
      '/google/dreambooth/archive/feature.zip',
    ]);
    expect(existsSync(path.join(process.env.RUNNER_TOOL_CACHE!, 'dreambench'))).toBe(false);
  });

  it('downloads the pinned commit for revision main and maps the DreamBooth set', async () => {
    const zip = await dreamboothArchive(DREAMBOOTH_PINNED_COMMIT);
    hub = await startHubServer({
      raw: { [`/google/dreambooth/archive/${DREAMBOOTH_PINNED_COMMIT}.zip`]: zip },
    });
    const b = await loadBenchmark({
      dataset: 'dreambench',
      revision: 'main',
      githubBaseUrl: hub.url,
    });
    expect(b.name).toBe('dreambench');
    expect(b.revision).toBe(DREAMBOOTH_PINNED_COMMIT);
    expect(b.concepts.map((c) => [c.id, c.category, c.subject, c.referenceImages.length])).toEqual([
      ['live_subject_animal_00_cat2', 'animal', 'cat', 2],
      ['object_00_vase', 'object', 'vase', 1],
    ]);
    expect(b.concepts[0]!.prompts[3]!.text).toBe('a cat live 3');
    expect(b.concepts[1]!.prompts[20]).toEqual({
      index: 20,
      promptClass: 'imaginative',
      text: 'a vase object 20',
    });
  });
});

/** A google/dreambooth GitHub archive of `ref`: two subjects. */
async function dreamboothArchive(ref: string): Promise<Buffer> {
  const top = `dreambooth-${ref}/dataset`;
  const templates = (extra: string) =>
    Array.from(
      { length: 25 },
      (_, i) => `'a {0} {1} ${extra} ${i}'.format(unique_token, class_token),`,
    ).join('\n');
  const prompts = `Classes\n\nsubject_name,class\ncat2,cat\nvase,vase\n\nPrompts\n\nObject Prompts\n\nprompt_list = [\n${templates('object')}\n]\n\nLive Subject Prompts\n\nprompt_list = [\n${templates('live')}\n]\n`;
  return zipFiles({
    [`${top}/prompts_and_classes.txt`]: Buffer.from(prompts),
    [`${top}/cat2/00.jpg`]: await makeJpeg(1),
    [`${top}/cat2/01.jpg`]: await makeJpeg(2),
    [`${top}/vase/00.jpg`]: await makeJpeg(3),
    [`dreambooth-${ref}/README.md`]: Buffer.from('readme'),
  });
}
