// The committed dist/index.js, run as a runner would run it.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueCommentEvent, pushEvent } from '../harness/events.ts';
import { parseOutputFile, runAction, shippedAction } from '../harness/runner.ts';

describe('the shipped action', () => {
  it('carries its bundle and the sharp runtime in the files git ships', () => {
    const dir = shippedAction();
    expect(existsSync(path.join(dir, 'dist/index.js'))).toBe(true);
    expect(existsSync(path.join(dir, 'dist/node_modules/sharp/package.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'action.yml'))).toBe(true);
  });

  // Resolve sharp the way dist/index.js does (from its own folder) and make a real image with it.
  const probe = `
    import { createRequire } from 'node:module';
    const require = createRequire(process.argv[1] + '/index.js');
    const sharp = require('sharp');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } }).png().toBuffer();
    const { width } = await sharp(png).metadata();
    console.log(JSON.stringify({ width, wasm: Object.keys(require.cache).some((k) => k.includes('sharp-wasm32')) }));
  `;

  it('loads the native sharp shipped beside the bundle', () => {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', probe, path.join(shippedAction(), 'dist')],
      { env: { PATH: process.env.PATH } },
    );
    expect(JSON.parse(out.toString())).toEqual({ width: 8, wasm: false });
  });

  it('falls back to the WebAssembly sharp where the native binary cannot load', () => {
    const dist = mkdtempSync(path.join(os.tmpdir(), 'dreambench-wasm-'));
    cpSync(path.join(shippedAction(), 'dist'), dist, { recursive: true });
    rmSync(path.join(dist, 'node_modules/@img/sharp-linux-x64'), { recursive: true });
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe, dist], {
      env: { PATH: process.env.PATH },
    });
    expect(JSON.parse(out.toString())).toEqual({ width: 8, wasm: true });
    rmSync(dist, { recursive: true, force: true });
  });

  it('fails the step on a bad input, naming the input and the value', async () => {
    const r = await runAction({ inputs: { samples: 'ten' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toContainEqual({
      level: 'error',
      message: 'Input "samples" must be a positive integer or "all", got "ten"',
    });
  });

  it('fails on a bad DREAMBENCH_PRICES before the generator runs, naming the variable', async () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'dreambench-prices-'));
    const r = await runAction({
      workspace,
      event: pushEvent(),
      inputs: { 'generate-command': 'touch generated', 'openai-api-key': 'sk-test' },
      env: { DREAMBENCH_PRICES: '{"gpt-4o":{"input":"2.5","output":10}}' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /^Environment variable DREAMBENCH_PRICES .* is invalid: gpt-4o\.input is "2\.5"; expected a number >= 0/,
    );
    expect(existsSync(path.join(workspace, 'generated'))).toBe(false);
    rmSync(workspace, { recursive: true, force: true });
  });

  it('fails on a cross-field conflict', async () => {
    const r = await runAction({
      inputs: { 'generate-command': 'python gen.py', 'images-dir': 'out' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('"generate-command" and "images-dir" cannot both be set');
  });

  it('ends an unsupported event as skipped with a notice', async () => {
    const r = await runAction({ event: issueCommentEvent() });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.verdict).toBe('skipped');
    expect(r.annotations.find((a) => a.level === 'notice')?.message).toMatch(
      /event "issue_comment"/,
    );
  });

  it('skips a push to a branch that is not the default', async () => {
    const r = await runAction({ event: pushEvent('feature/x') });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.verdict).toBe('skipped');
  });
});

describe('parseOutputFile', () => {
  it('reads both forms the runner accepts', () => {
    const text = 'a=1\nreport<<ghadelimiter_1\nline one\nline=two\nghadelimiter_1\nb=x=y\n';
    expect(parseOutputFile(text)).toEqual({ a: '1', report: 'line one\nline=two', b: 'x=y' });
  });
});
