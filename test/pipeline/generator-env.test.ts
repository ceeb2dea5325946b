import { describe, expect, it } from 'vitest';
import { generatorEnv } from '../../src/pipeline/generator-env.ts';
import { secretValues } from '../../src/pipeline/secrets.ts';

describe('generatorEnv', () => {
  it("withholds this action's inputs and the runner's step tokens, and keeps the rest", () => {
    const env = generatorEnv({
      PATH: '/usr/bin',
      HF_TOKEN: 'hf_x',
      OPENAI_API_KEY: 'set-on-purpose',
      CUDA_VISIBLE_DEVICES: '0',
      'INPUT_OPENAI-API-KEY': 'sk-secret',
      'INPUT_GITHUB-TOKEN': 'ghs_x',
      ACTIONS_RUNTIME_TOKEN: 'jwt',
      ACTIONS_RESULTS_URL: 'https://results',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HF_TOKEN: 'hf_x',
      OPENAI_API_KEY: 'set-on-purpose',
      CUDA_VISIBLE_DEVICES: '0',
    });
  });

  it('withholds a variable that holds the judge key, whatever its name', () => {
    const env = generatorEnv({ OPENAI_API_KEY: 'sk-judge', MY_KEY: 'sk-judge', OTHER: 'x' }, [
      'sk-judge',
    ]);
    expect(env).toEqual({ OTHER: 'x' });
  });
});

describe('secretValues', () => {
  it('names both secret inputs, the runner tokens and the usual credential variables', () => {
    const inputs: Record<string, string> = {
      'openai-api-key': ' sk-in ',
      'github-token': 'ghs_in',
      'judge-model': 'gpt-4o',
    };
    const values = secretValues((name) => inputs[name] ?? '', {
      ACTIONS_RUNTIME_TOKEN: 'jwt',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
      OPENAI_API_KEY: 'sk-in',
      HF_TOKEN: 'hf_x',
      GH_TOKEN: '',
      PATH: '/usr/bin',
    });
    expect(values).toEqual(['sk-in', 'ghs_in', 'jwt', 'oidc', 'hf_x']);
  });
});
