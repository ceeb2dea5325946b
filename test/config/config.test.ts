import { describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config.ts';
import { Inputs, type InputName } from '../../src/constants.ts';
import { InputConflictError, InputError } from '../../src/errors.ts';
import { inputDefaults } from '../harness/action-yml.ts';

const WORKSPACE = '/home/runner/work/repo/repo';

function configWith(overrides: Partial<Record<InputName, string>>): Config {
  const inputs: Record<string, string> = { ...inputDefaults(), ...overrides };
  return parseConfig((name) => inputs[name] ?? '', WORKSPACE);
}

/** What parsing these inputs throws (undefined when it does not). */
function errorOf(overrides: Partial<Record<InputName, string>>): unknown {
  try {
    configWith(overrides);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('parseConfig with the action.yml defaults', () => {
  const config = configWith({});

  it('gives the contract defaults', () => {
    expect(config.judge).toMatchObject({
      model: 'gpt-4o-2024-08-06',
      repeats: 1,
      scoring: 'expected',
      concurrency: 16,
      maxCostUsd: undefined,
      baseUrl: undefined,
      cache: true,
      timeBudgetMinutes: 120,
      batch: false,
      batchWaitMinutes: 240,
    });
    expect(config.dataset).toEqual({
      source: { kind: 'preset', name: 'dreambench-plus' },
      revision: 'main',
    });
    expect(config.sampling).toEqual({ size: 150, seed: 0, categories: [] });
    expect(config.generation).toEqual({ command: undefined, imagesDir: undefined, imageSize: 512 });
    expect(config.mode).toBe('auto');
    expect(config.shard).toBeUndefined();
    expect(config.artifactName).toBe('dreambench-results');
    expect(config.gate).toEqual({
      failOnRegression: true,
      tolerance: { cp: 0.02, pf: 0.02 },
      confidence: 0.95,
      maxServiceFailures: 0.1,
    });
    expect(config.comment).toEqual({ enabled: true, id: 'default' });
    expect(config.githubToken).toBe('ghs_test_token');
    expect(config.rejudgeBaseline).toBe(true);
  });

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.judge)).toBe(true);
    expect(Object.isFrozen(config.sampling.categories)).toBe(true);
  });
});

describe('valid inputs', () => {
  const cases: [string, Partial<Record<InputName, string>>, (c: Config) => unknown, unknown][] = [
    ['samples all', { [Inputs.Samples]: 'all' }, (c) => c.sampling.size, 'all'],
    ['samples ALL', { [Inputs.Samples]: 'ALL' }, (c) => c.sampling.size, 'all'],
    ['samples 1', { [Inputs.Samples]: '1' }, (c) => c.sampling.size, 1],
    ['samples with spaces', { [Inputs.Samples]: ' 30 ' }, (c) => c.sampling.size, 30],
    [
      'categories canonical order',
      { [Inputs.Categories]: 'style, Animal' },
      (c) => c.sampling.categories,
      ['animal', 'style'],
    ],
    ['shard', { [Inputs.Shard]: '2/4' }, (c) => c.shard, { index: 2, count: 4 }],
    [
      'rejudge-baseline false',
      { [Inputs.RejudgeBaseline]: 'false' },
      (c) => c.rejudgeBaseline,
      false,
    ],
    [
      'generate-timeout-minutes',
      { [Inputs.GenerateTimeoutMinutes]: '90' },
      (c) => c.generation.timeoutMs,
      5_400_000,
    ],
    [
      'generate-timeout-minutes fraction',
      { [Inputs.GenerateTimeoutMinutes]: '0.5' },
      (c) => c.generation.timeoutMs,
      30_000,
    ],
    ['shard 1/1', { [Inputs.Shard]: '1/1' }, (c) => c.shard, { index: 1, count: 1 }],
    [
      'local dataset is resolved in the workspace',
      { [Inputs.Dataset]: 'bench/concepts' },
      (c) => c.dataset.source,
      { kind: 'local', path: `${WORKSPACE}/bench/concepts` },
    ],
    [
      'dreambench preset',
      { [Inputs.Dataset]: 'dreambench' },
      (c) => c.dataset.source,
      { kind: 'preset', name: 'dreambench' },
    ],
    [
      'images-dir resolved',
      { [Inputs.ImagesDir]: 'out' },
      (c) => c.generation.imagesDir,
      `${WORKSPACE}/out`,
    ],
    [
      'command kept verbatim',
      { [Inputs.GenerateCommand]: 'python gen.py {manifest}' },
      (c) => c.generation.command,
      'python gen.py {manifest}',
    ],
    ['max cost', { [Inputs.MaxCostUsd]: '2.5' }, (c) => c.judge.maxCostUsd, 2.5],
    [
      'judge time budget',
      { [Inputs.JudgeTimeBudgetMinutes]: '90.5' },
      (c) => c.judge.timeBudgetMinutes,
      90.5,
    ],
    ['judge batch', { [Inputs.JudgeBatch]: 'true' }, (c) => c.judge.batch, true],
    ['batch wait 0', { [Inputs.JudgeBatchWaitMinutes]: '0' }, (c) => c.judge.batchWaitMinutes, 0],
    [
      'batch wait fraction',
      { [Inputs.JudgeBatchWaitMinutes]: '0.5' },
      (c) => c.judge.batchWaitMinutes,
      0.5,
    ],
    [
      'base url trailing slash',
      { [Inputs.OpenaiBaseUrl]: 'http://127.0.0.1:8000/v1/' },
      (c) => c.judge.baseUrl,
      'http://127.0.0.1:8000/v1',
    ],
    [
      'boolean False',
      { [Inputs.FailOnRegression]: 'False' },
      (c) => c.gate.failOnRegression,
      false,
    ],
    [
      'tolerance 0',
      { [Inputs.RegressionTolerance]: '0' },
      (c) => c.gate.tolerance,
      { cp: 0, pf: 0 },
    ],
    [
      'tolerance per metric',
      { [Inputs.RegressionTolerance]: 'cp=0.03, PF = .01' },
      (c) => c.gate.tolerance,
      { cp: 0.03, pf: 0.01 },
    ],
    [
      'tolerance per metric, either order',
      { [Inputs.RegressionTolerance]: 'pf=0,cp=0.05' },
      (c) => c.gate.tolerance,
      { cp: 0.05, pf: 0 },
    ],
    [
      'service failures 0',
      { [Inputs.MaxServiceFailures]: '0' },
      (c) => c.gate.maxServiceFailures,
      0,
    ],
    [
      'service failures 25%',
      { [Inputs.MaxServiceFailures]: '25%' },
      (c) => c.gate.maxServiceFailures,
      0.25,
    ],
    ['confidence .9', { [Inputs.Confidence]: '.9' }, (c) => c.gate.confidence, 0.9],
    ['scoring case', { [Inputs.JudgeScoring]: 'Sampled' }, (c) => c.judge.scoring, 'sampled'],
    ['mode plan', { [Inputs.Mode]: 'plan' }, (c) => c.mode, 'plan'],
    [
      'comment id with dashes',
      { [Inputs.CommentId]: 'sdxl-lora.v2' },
      (c) => c.comment.id,
      'sdxl-lora.v2',
    ],
    [
      'revision sha',
      { [Inputs.DatasetRevision]: 'refs/pr/3' },
      (c) => c.dataset.revision,
      'refs/pr/3',
    ],
  ];
  it.each(cases)('%s', (_name, overrides, pick, expected) => {
    expect(pick(configWith(overrides))).toEqual(expected);
  });
});

describe('invalid inputs name the input, quote the value and say what is allowed', () => {
  const cases: [InputName, string, string][] = [
    [Inputs.Samples, 'ten', 'Input "samples" must be a positive integer or "all", got "ten"'],
    [Inputs.Samples, '0', 'Input "samples" must be a positive integer or "all", got "0"'],
    [Inputs.Samples, '1.5', 'got "1.5"'],
    [
      Inputs.SampleSeed,
      '-1',
      'Input "sample-seed" must be an integer from 0 to 4294967295, got "-1"',
    ],
    [Inputs.JudgeRepeats, '0', 'Input "judge-repeats" must be an integer from 1 to 10, got "0"'],
    [Inputs.JudgeConcurrency, 'many', 'Input "judge-concurrency" must be an integer from 1 to 256'],
    [
      Inputs.JudgeScoring,
      'mean',
      'Input "judge-scoring" must be one of "expected", "sampled", got "mean"',
    ],
    [Inputs.JudgeModel, '', 'Input "judge-model" must be a model name, got ""'],
    [
      Inputs.MaxCostUsd,
      '-3',
      'Input "max-cost-usd" must be empty (no limit) or a positive number of US dollars, got "-3"',
    ],
    [Inputs.MaxCostUsd, '$5', 'got "$5"'],
    [
      Inputs.JudgeTimeBudgetMinutes,
      '0',
      'Input "judge-time-budget-minutes" must be a positive number of minutes, at most 10080 (a week), such as 120, got "0"',
    ],
    [Inputs.JudgeTimeBudgetMinutes, '2h', 'got "2h"'],
    [Inputs.JudgeBatch, 'yes', 'Input "judge-batch" must be "true" or "false", got "yes"'],
    [
      Inputs.JudgeBatchWaitMinutes,
      '1441',
      'Input "judge-batch-wait-minutes" must be a number of minutes from 0 to 1440 (the Batch API\'s 24 h window), such as 240, got "1441"',
    ],
    [Inputs.JudgeBatchWaitMinutes, '-1', 'got "-1"'],
    [
      Inputs.Confidence,
      '1',
      'Input "confidence" must be a number strictly between 0 and 1, such as 0.95, got "1"',
    ],
    [Inputs.GenerateTimeoutMinutes, '0', 'a positive number of minutes'],
    [Inputs.GenerateTimeoutMinutes, '1h', 'got "1h"'],
    [Inputs.GenerateTimeoutMinutes, '20000', 'at most 10080'],
    [Inputs.Confidence, '0', 'got "0"'],
    [Inputs.Confidence, '95%', 'got "95%"'],
    [Inputs.RegressionTolerance, '2', 'Input "regression-tolerance" must be a number in [0, 1)'],
    [Inputs.RegressionTolerance, 'cp=0.03', 'or one per metric: "cp=0.03,pf=0.02", got "cp=0.03"'],
    [Inputs.RegressionTolerance, 'cp=0.03,pf=x', 'got "cp=0.03,pf=x"'],
    [Inputs.RegressionTolerance, 'cp=0.03,cp=0.02', 'got "cp=0.03,cp=0.02"'],
    [Inputs.RegressionTolerance, 'cp=0.03,pf=1', 'got "cp=0.03,pf=1"'],
    [Inputs.RegressionTolerance, 'cpf=0.03,pf=0.1', 'got "cpf=0.03,pf=0.1"'],
    [
      Inputs.MaxServiceFailures,
      '1.5',
      'Input "max-service-failures" must be a share of the planned samples from 0 to 1, such as 0.1, or a percentage such as 10%, got "1.5"',
    ],
    [Inputs.MaxServiceFailures, '120%', 'got "120%"'],
    [Inputs.Categories, 'animal,plant', 'unknown category "plant"'],
    [Inputs.Shard, '3/2', 'Input "shard" must be empty or "i/n" with 1 <= i <= n <= 256'],
    [Inputs.Shard, '0/2', 'got "0/2"'],
    [Inputs.Shard, 'first', 'got "first"'],
    [
      Inputs.Mode,
      'publish',
      'Input "mode" must be one of "auto", "check", "baseline", "plan", "merge", got "publish"',
    ],
    [
      Inputs.FailOnRegression,
      'yes',
      'Input "fail-on-regression" must be "true" or "false", got "yes"',
    ],
    [Inputs.ImageSize, '4096', 'Input "image-size" must be an integer from 64 to 2048, got "4096"'],
    [
      Inputs.OpenaiBaseUrl,
      'api.openai.com',
      'Input "openai-base-url" must be empty or an http(s) URL',
    ],
    [Inputs.OpenaiBaseUrl, 'ftp://x', 'got "ftp://x"'],
    [Inputs.ArtifactName, 'a/b', 'Input "artifact-name" must be a non-empty artifact name'],
    [Inputs.CommentId, 'a--b', 'Input "comment-id" must be up to 64 letters'],
    [Inputs.CommentId, 'x>', 'got "x>"'],
    [Inputs.DatasetRevision, '../x', 'Input "dataset-revision" must be a hub revision'],
    [Inputs.Dataset, '', 'Input "dataset" must be "dreambench-plus", "dreambench" or the path'],
  ];
  it.each(cases)('%s = %j', (input, value, message) => {
    const error = errorOf({ [input]: value });
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe(input);
    expect((error as InputError).value).toBe(value);
    expect((error as Error).message).toContain(message);
  });

  it('refuses credentials inside openai-base-url without echoing them', () => {
    for (const [raw, shown] of [
      ['https://alice:s3cr3t-pw@proxy.example/v1', 'https://***@proxy.example/v1'],
      ['https://sk-live-token@proxy.example/v1', 'https://***@proxy.example/v1'],
      ['http://:only-pw@10.0.0.1:8080', 'http://***@10.0.0.1:8080'],
    ] as const) {
      const error = errorOf({ [Inputs.OpenaiBaseUrl]: raw });
      expect(error).toBeInstanceOf(InputError);
      const e = error as InputError;
      expect(e.input).toBe(Inputs.OpenaiBaseUrl);
      expect(e.message).toContain('without credentials');
      expect(e.message).toContain(JSON.stringify(shown));
      for (const secret of ['alice', 's3cr3t-pw', 'sk-live-token', 'only-pw']) {
        expect(e.message).not.toContain(secret);
        expect(JSON.stringify(e)).not.toContain(secret);
      }
    }
  });

  it('echoes no credentials of an openai-base-url that is no URL at all', () => {
    // A "/", "#" or "?" in a password ends the host early, so these do not even parse as URLs.
    for (const [raw, shown] of [
      ['https://alice:pa/ss@proxy.example/v1', 'https://***@proxy.example/v1'],
      ['https://alice:pa#ss@proxy.example/v1', 'https://***@proxy.example/v1'],
      ['https://alice:pa?ss@proxy.example', 'https://***@proxy.example'],
      ['alice:pa/ss@proxy.example', '***@proxy.example'],
    ] as const) {
      const error = errorOf({ [Inputs.OpenaiBaseUrl]: raw });
      expect(error).toBeInstanceOf(InputError);
      const e = error as InputError;
      expect(e.message).toBe(
        `Input "openai-base-url" must be empty or an http(s) URL such as "https://api.openai.com/v1", got ${JSON.stringify(shown)}`,
      );
      for (const secret of ['alice', 'pa/ss', 'pa#ss', 'pa?ss']) {
        expect(JSON.stringify(e)).not.toContain(secret);
      }
    }
  });

  it('rejects generate-command together with images-dir', () => {
    expect(() =>
      configWith({ [Inputs.GenerateCommand]: 'make images', [Inputs.ImagesDir]: 'out' }),
    ).toThrow(InputConflictError);
    expect(() =>
      configWith({ [Inputs.GenerateCommand]: 'make images', [Inputs.ImagesDir]: 'out' }),
    ).toThrow(/"generate-command" and "images-dir" cannot both be set/);
  });

  it('rejects a shard in mode merge, quoting it', () => {
    const error = errorOf({ [Inputs.Mode]: 'merge', [Inputs.Shard]: '1/2' });
    expect(error).toBeInstanceOf(InputConflictError);
    expect((error as InputConflictError).inputs).toEqual([Inputs.Mode, Inputs.Shard]);
    expect((error as Error).message).toBe(
      'Input "shard" must be empty in mode "merge" (the merge job combines every shard), got "1/2"',
    );
    expect(configWith({ [Inputs.Mode]: 'merge' }).shard).toBeUndefined();
  });
});
