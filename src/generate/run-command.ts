// Runs `generate-command` once through a shell, in the workspace, streaming its output to the log.
// The command runs in its own process group so cancelling kills everything it started.
// The step ends when the shell exits, not when its output pipes close: a background process (a
// daemon, `sleep 300 &`) may hold them open forever. After the exit, the pipes get a short grace to
// drain, then the group is terminated, as GitHub does with a step's leftovers anyway.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { GenerateCancelledError, GenerateCommandError } from './errors.ts';
import { LastLines } from './last-lines.ts';
import { substituteCommand } from './shell-quote.ts';

export const TAIL_LINES = 30;
/** After SIGTERM, the group gets this long to exit before SIGKILL. */
const KILL_GRACE_MS = 5_000;
/** After the shell exits, its output pipes get this long to drain before they are cut. */
export const DRAIN_GRACE_MS = 2_000;

export interface GenerateCommandOptions {
  readonly command: string;
  readonly manifestPath: string;
  readonly outputDir: string;
  readonly cwd: string;
  /** Base environment (default process.env); DREAMBENCH_MANIFEST and DREAMBENCH_OUTPUT_DIR are added. */
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Receives the command's output as it arrives; default: written to this process's stdout. */
  readonly onOutput?: (text: string) => void;
  /** How long the output may keep flowing after the shell exits (default DRAIN_GRACE_MS). */
  readonly drainGraceMs?: number;
}

function shell(): string {
  return ['/bin/bash', '/usr/bin/bash'].find((p) => existsSync(p)) ?? '/bin/sh';
}

export async function runGenerateCommand(options: GenerateCommandOptions): Promise<void> {
  const manifest = path.resolve(options.manifestPath);
  const outputDir = path.resolve(options.outputDir);
  const script = substituteCommand(options.command, { manifest, outputDir });
  const onOutput = options.onOutput ?? ((text: string) => process.stdout.write(text));
  if (options.signal?.aborted) throw new GenerateCancelledError();
  const child = spawn(shell(), ['-c', script], {
    cwd: options.cwd,
    env: {
      ...(options.env ?? process.env),
      DREAMBENCH_MANIFEST: manifest,
      DREAMBENCH_OUTPUT_DIR: outputDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: -pid reaches every descendant
  });
  const tail = new LastLines(TAIL_LINES);
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      tail.push(text);
      onOutput(text);
    });
  }
  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    cancelled = true;
    killGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    killTimer.unref();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
      (resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (c, s) => resolve([c, s]));
      },
    );
    const streams = [child.stdout, child.stderr];
    await drained(streams, options.drainGraceMs ?? DRAIN_GRACE_MS);
    for (const stream of streams) stream.destroy();
    killGroup(child.pid, 'SIGTERM'); // leftovers of the command die with the step
    if (cancelled) throw new GenerateCancelledError();
    if (code !== 0) throw new GenerateCommandError(code, signal, tail.lines());
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (cancelled) killGroup(child.pid, 'SIGKILL'); // nothing of the group may outlive a cancel
    if (killTimer) clearTimeout(killTimer);
  }
}

/** Resolves when every stream has ended, or after `graceMs`, whichever comes first. */
async function drained(streams: readonly Readable[], graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  const ended = Promise.all(
    streams.map((s) =>
      s.closed ? undefined : new Promise<void>((resolve) => s.once('close', () => resolve())),
    ),
  );
  try {
    await Promise.race([ended, grace]);
  } finally {
    clearTimeout(timer);
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}
