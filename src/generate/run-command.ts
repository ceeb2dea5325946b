// Runs `generate-command` once through a shell, in the workspace, streaming its output to the log.
//
// - The command's parent is a clean intermediate shell, not this process: `/proc/$PPID/environ`
//   then shows the environment the command was given, never the action's own (its inputs, the
//   judge key, the runner's tokens). A process of the same user can still walk further up; the
//   README says so and shows the separate-step pattern for generator code one does not trust.
// - Everything runs in its own process group, so a cancel or the time limit stops everything the
//   command started.
// - The step ends when the shell exits, not when its output pipes close: a background process (a
//   daemon, `sleep 300 &`) may hold them open forever. After the exit, the pipes get a short grace
//   to drain, then the group is terminated, as GitHub does with a step's leftovers anyway.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { GenerateCancelledError, GenerateCommandError, GenerateTimeoutError } from './errors.ts';
import { LastLines } from './last-lines.ts';
import { substituteCommand } from './shell-quote.ts';

export const TAIL_LINES = 30;
/** After SIGTERM, the group gets this long to exit before SIGKILL. */
const KILL_GRACE_MS = 5_000;
/** After the shell exits, its output pipes get this long to drain before they are cut. */
export const DRAIN_GRACE_MS = 2_000;

/**
 * The intermediate: runs the command (`$1`) with the shell (`$0`) as its child and waits. The
 * trailing `exit` keeps it from replacing itself with the command (the shells' exec optimisation
 * of a lone last command), which would make this process the command's parent again.
 */
const INTERMEDIATE = '"$0" -c "$1"; exit $?';

/** Starts a timer; returns the function that cancels it. */
export type StartTimer = (onExpire: () => void, ms: number) => () => void;

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
  /** The time limit (`generate-timeout-minutes`); none when undefined. */
  readonly timeoutMs?: number;
  /** Default: setTimeout. Tests expire the limit by hand. */
  readonly startTimer?: StartTimer;
}

function shell(): string {
  return ['/bin/bash', '/usr/bin/bash'].find((p) => existsSync(p)) ?? '/bin/sh';
}

const realTimer: StartTimer = (onExpire, ms) => {
  const timer = setTimeout(onExpire, ms);
  return () => clearTimeout(timer);
};

export async function runGenerateCommand(options: GenerateCommandOptions): Promise<void> {
  const manifest = path.resolve(options.manifestPath);
  const outputDir = path.resolve(options.outputDir);
  const script = substituteCommand(options.command, { manifest, outputDir });
  const onOutput = options.onOutput ?? ((text: string) => process.stdout.write(text));
  if (options.signal?.aborted) throw new GenerateCancelledError();
  const sh = shell();
  const child = spawn(sh, ['-c', INTERMEDIATE, sh, script], {
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
  const stopper = new GroupStopper(child.pid);
  const onAbort = () => stopper.stop('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const cancelTimer =
    options.timeoutMs === undefined
      ? undefined
      : (options.startTimer ?? realTimer)(() => stopper.stop('timed-out'), options.timeoutMs);
  try {
    const [code, signal] = await exited(child);
    const streams = [child.stdout, child.stderr];
    await drained(streams, options.drainGraceMs ?? DRAIN_GRACE_MS);
    for (const stream of streams) stream.destroy();
    killGroup(child.pid, 'SIGTERM'); // leftovers of the command die with the step
    if (stopper.reason === 'cancelled') throw new GenerateCancelledError();
    if (stopper.reason === 'timed-out')
      throw new GenerateTimeoutError(options.timeoutMs!, tail.lines());
    if (code !== 0) throw new GenerateCommandError(code, signal, tail.lines());
  } finally {
    cancelTimer?.();
    options.signal?.removeEventListener('abort', onAbort);
    stopper.dispose();
  }
}

/** Stops the command's process group once: SIGTERM, then SIGKILL after a grace. */
class GroupStopper {
  readonly #pid: number | undefined;
  #reason: 'cancelled' | 'timed-out' | undefined;
  #killTimer: NodeJS.Timeout | undefined;
  constructor(pid: number | undefined) {
    this.#pid = pid;
  }
  get reason() {
    return this.#reason;
  }
  stop(reason: 'cancelled' | 'timed-out'): void {
    if (this.#reason) return;
    this.#reason = reason;
    killGroup(this.#pid, 'SIGTERM');
    this.#killTimer = setTimeout(() => killGroup(this.#pid, 'SIGKILL'), KILL_GRACE_MS);
    this.#killTimer.unref();
  }
  /** Nothing of a stopped group may outlive the step. */
  dispose(): void {
    if (this.#reason) killGroup(this.#pid, 'SIGKILL');
    if (this.#killTimer) clearTimeout(this.#killTimer);
  }
}

function exited(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c, s) => resolve([c, s]));
  });
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
