// The pending-batches record off a runner (a folder beside the judge cache; on a runner the same
// folder goes through @actions/cache, end to end in test/e2e/batch.test.ts): what it holds, that
// the same configuration finds it and another does not, and that a damaged one is ignored, said.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { readRunContext } from '../../src/pipeline/context.ts';
import type { RunIO } from '../../src/pipeline/io.ts';
import {
  configurationKey,
  configurationOf,
  PENDING_FILE,
  pendingStore,
} from '../../src/pipeline/pending-batches.ts';
import type { PendingBatch } from '../../src/score/transport/batch/pending.ts';
import { inputDefaults } from '../harness/action-yml.ts';
import { tempDir } from '../harness/temp.ts';

const configWith = (inputs: Record<string, string> = {}) =>
  parseConfig((name) => ({ ...inputDefaults(), ...inputs })[name] ?? '', '/ws');
const ctx = readRunContext({
  GITHUB_REF: 'refs/heads/main',
  GITHUB_RUN_ID: '77',
  GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/dreambench.yml@refs/heads/main',
  RUNNER_TEMP: tempDir('dreambench-pending-'),
});

function io(): RunIO & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    log: {
      info() {},
      warning: (m) => warnings.push(m),
      notice() {},
      group: (_t, fn) => fn(),
    },
    now: () => new Date('2026-03-01T03:20:00Z'),
    env: {},
    writeSummary: async () => {},
  };
}

const batch: PendingBatch = {
  id: 'batch_1',
  inputFileId: 'file-1',
  model: 'gpt-4o-2024-08-06',
  submittedAt: '2026-03-01T03:17:00.000Z',
  status: 'in_progress',
  lines: [{ customId: 'r1-1', bodySha256: 'b'.repeat(64), label: 'object_00_x-p0 cp#0' }],
};

describe('the pending-batches record', () => {
  it('keeps the batches, the plan, the judge-size images and the configuration for the next run', async () => {
    const local = tempDir('dreambench-judge-cache-');
    const results = tempDir('dreambench-results-');
    mkdirSync(path.join(results, 'images'));
    writeFileSync(path.join(results, 'images', 'object_00_x-p0.jpg'), 'jpeg');
    const store = pendingStore(configWith({ 'judge-batch': 'true' }), ctx, io(), 'tpl', local);
    const samples = [{ id: 'object_00_x-p0' }] as unknown as Parameters<typeof store.save>[1];
    expect(await store.save([batch], samples, results)).toBe(true);

    const dir = path.join(local, 'pending-batches', store.key);
    const record = JSON.parse(readFileSync(path.join(dir, PENDING_FILE), 'utf8'));
    expect(record).toMatchObject({
      version: 1,
      configurationKey: store.key,
      configuration: {
        workflow: 'dreambench.yml',
        ref: 'refs/heads/main',
        judgeModel: 'gpt-4o-2024-08-06',
      },
      run: { id: 77, recordedAt: '2026-03-01T03:20:00.000Z' },
      batches: [batch],
      samples,
    });
    expect(readFileSync(path.join(dir, 'images', 'object_00_x-p0.jpg'), 'utf8')).toBe('jpeg');

    // The same configuration, batch or realtime, finds it.
    const next = pendingStore(configWith(), ctx, io(), 'tpl', local);
    expect((await next.restore())?.batches).toEqual([batch]);
    // Once collected, an empty record supersedes it.
    await next.save([], samples, results);
    expect((await next.restore())?.batches).toEqual([]);
  });

  it("is another configuration's when the judge, the plan, the branch or the workflow differ", () => {
    const key = (inputs: Record<string, string>, c = ctx) =>
      configurationKey(configurationOf(configWith(inputs), c, {}, 'tpl'));
    const base = key({});
    expect(key({ 'judge-batch': 'true', 'judge-batch-wait-minutes': '30' })).toBe(base);
    const others: Record<string, string>[] = [
      { 'judge-model': 'gpt-4o-mini' },
      { samples: '30' },
      { 'image-size': '768' },
      { 'artifact-name': 'other' },
      { shard: '1/2' },
    ];
    for (const inputs of others) expect(key(inputs)).not.toBe(base);
    expect(key({}, { ...ctx, ref: 'refs/pull/3/merge' })).not.toBe(base);
    expect(key({}, { ...ctx, workflowFile: 'other.yml' })).not.toBe(base);
    expect(configurationKey(configurationOf(configWith(), ctx, {}, 'other-templates'))).not.toBe(
      base,
    );
  });

  it("is another configuration's when OPENAI_BASE_URL names another endpoint, as the SDK then talks to it", () => {
    const key = (env: NodeJS.ProcessEnv) =>
      configurationKey(configurationOf(configWith(), ctx, env, 'tpl'));
    const proxy = key({ OPENAI_BASE_URL: 'https://proxy.example/v1' });
    expect(proxy).not.toBe(key({}));
    expect(proxy).toBe(
      configurationKey(
        configurationOf(
          configWith({ 'openai-base-url': 'https://proxy.example/v1' }),
          ctx,
          {},
          'tpl',
        ),
      ),
    );
  });

  it('never fails the run that paid the judge: a record it cannot write is a warning naming the batches', async () => {
    const blocked = path.join(tempDir('dreambench-judge-cache-'), 'a-file');
    writeFileSync(blocked, 'not a folder');
    const log = io();
    const store = pendingStore(configWith(), ctx, log, 'tpl', blocked);
    await expect(store.save([batch], [], tempDir('dreambench-results-'))).resolves.toBe(false);
    await expect(store.save([], [], tempDir('dreambench-results-'))).resolves.toBe(false);
    expect(log.warnings).toEqual([
      expect.stringMatching(
        /The pending-batches record was not written \(.*ENOTDIR.*\): the next run of this configuration will not collect batch_1 \(they stay in the OpenAI dashboard, Batches\)/,
      ),
      expect.stringMatching(/The pending-batches record was not written \(.*\)$/),
    ]);
  });

  it('says so, naming the batches, when the Actions cache does not take the record on a runner', async () => {
    const onRunner = { ...ctx, isGitHubActions: true };
    const saved = process.env['ACTIONS_RESULTS_URL'];
    delete process.env['ACTIONS_RESULTS_URL']; // no cache service here
    try {
      const log = io();
      const store = pendingStore(configWith(), onRunner, log, 'tpl', tempDir('unused-'));
      expect(await store.save([batch], [], tempDir('dreambench-results-'))).toBe(false);
      expect(log.warnings).toEqual([
        expect.stringMatching(
          /The pending-batches record was not written \(the Actions cache did not take .*\): the next run of this configuration will not collect batch_1/,
        ),
      ]);
    } finally {
      if (saved !== undefined) process.env['ACTIONS_RESULTS_URL'] = saved;
    }
  });

  it('ignores a damaged record, saying why', async () => {
    const local = tempDir('dreambench-judge-cache-');
    const log = io();
    const store = pendingStore(configWith(), ctx, log, 'tpl', local);
    const dir = path.join(local, 'pending-batches', store.key);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, PENDING_FILE), '{"version": 1, "configurationKey": "nope"');
    expect(await store.restore()).toBeUndefined();
    writeFileSync(
      path.join(dir, PENDING_FILE),
      JSON.stringify({ version: 1, configurationKey: store.key, batches: [{ id: 'b' }] }),
    );
    expect(await store.restore()).toBeUndefined();
    expect(log.warnings).toEqual([
      expect.stringMatching(/is ignored: not JSON/),
      expect.stringMatching(/is ignored: batch 0 lacks its id, input file, model or lines/),
    ]);
  });
});
