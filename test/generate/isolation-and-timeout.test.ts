// The generate command's parent process and its time limit.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenerateTimeoutError, runGenerateCommand, shellQuote } from '../../src/generate/index.ts';
import { alive } from '../harness/processes.ts';

let dir: string;
let manifest: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gen-iso-'));
  manifest = path.join(dir, 'manifest.jsonl');
  await writeFile(manifest, '');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

/** /proc/<pid>/environ as a map. */
function environOf(file: string): Map<string, string> {
  const entries = readFileSync(file, 'utf8')
    .split('\0')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const);
  return new Map(entries);
}

describe('the process that starts the generate command', () => {
  it('is not this process, and holds exactly the environment the command was given', async () => {
    const dump = path.join(dir, 'parent');
    await runGenerateCommand({
      command:
        `echo $PPID > ${shellQuote(`${dump}.pid`)}; ` +
        `cat /proc/$PPID/environ > ${shellQuote(`${dump}.env`)}`,
      manifestPath: manifest,
      outputDir: dir,
      cwd: dir,
      env: { PATH: process.env.PATH, GIVEN: 'yes' },
      onOutput: () => undefined,
    });
    const ppid = Number(readFileSync(`${dump}.pid`, 'utf8'));
    // This process's environ is the one it was started with: the action's secrets live there.
    expect(ppid).not.toBe(process.pid);
    const env = environOf(`${dump}.env`);
    expect(env.get('GIVEN')).toBe('yes');
    expect(env.get('DREAMBENCH_MANIFEST')).toBe(manifest);
    expect([...env.keys()].filter((k) => !['PATH', 'GIVEN'].includes(k))).toEqual(
      expect.arrayContaining(['DREAMBENCH_MANIFEST', 'DREAMBENCH_OUTPUT_DIR']),
    );
    for (const name of Object.keys(process.env)) {
      if (!['PATH', 'PWD', 'SHLVL', '_', 'OLDPWD'].includes(name))
        expect(env.has(name)).toBe(false);
    }
  });

  it('passes the exit code of the command through', async () => {
    const error = await runGenerateCommand({
      command: 'echo last words; exit 7',
      manifestPath: manifest,
      outputDir: dir,
      cwd: dir,
      onOutput: () => undefined,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 7, lastLines: ['last words'] });
  });
});

describe('the generate time limit', () => {
  it('stops the whole process group when the time is up and fails with the last lines', async () => {
    const pidFile = path.join(dir, 'bg.pid');
    let expire: (() => void) | undefined;
    let requestedMs: number | undefined;
    const output: string[] = [];
    const running = runGenerateCommand({
      command: `sleep 100000 & echo $! > ${shellQuote(pidFile)}; echo step 1; echo step 2; wait`,
      manifestPath: manifest,
      outputDir: dir,
      cwd: dir,
      onOutput: (t) => output.push(t),
      timeoutMs: 90 * 60_000,
      startTimer: (onExpire, ms) => {
        expire = onExpire;
        requestedMs = ms;
        return () => (expire = undefined);
      },
    });
    await waitFor(() => output.join('').includes('step 2') && existsSync(pidFile));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    expect(requestedMs).toBe(90 * 60_000);
    expire!();
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenerateTimeoutError);
    expect((error as GenerateTimeoutError).lastLines).toEqual(['step 1', 'step 2']);
    expect((error as Error).message).toMatch(
      /^generate-command ran longer than 90 minutes \(generate-timeout-minutes\) and was stopped; its last 2 lines:\nstep 1\nstep 2$/,
    );
    await waitFor(() => !alive(pid));
    expect(alive(pid)).toBe(false);
  });

  it('clears the timer when the command ends in time', async () => {
    let cleared = false;
    await runGenerateCommand({
      command: 'true',
      manifestPath: manifest,
      outputDir: dir,
      cwd: dir,
      onOutput: () => undefined,
      timeoutMs: 1000,
      startTimer: () => () => (cleared = true),
    });
    expect(cleared).toBe(true);
  });
});
