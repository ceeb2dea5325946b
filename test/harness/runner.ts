// Runner emulation: runs the committed action (action.yml's `runs.main`, dist/index.js, from a copy
// of the files git would ship) in a child Node 24 process with the environment a GitHub runner
// sets, and reads back what the runner would: exit code, log, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
// annotations. As on GitHub, `::debug::` lines are kept apart from the log a user reads (GitHub
// shows them only with step debug logging on): `stdout` is without them, `debug` and `logFile`
// have them.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inputDefaults, readActionYml, repoRoot } from './action-yml.ts';
import { assertValidResults } from './results-schema.ts';
import { tempDir } from './temp.ts';
import { FULL_NAME, REPO, pullRequestEvent, type GithubEvent } from './events.ts';

export interface RunOptions {
  /** Overrides of the action.yml defaults, by input name (`samples`, `openai-api-key`, …). */
  readonly inputs?: Record<string, string>;
  readonly event?: GithubEvent;
  /** Extra or overriding environment (server URLs, tokens, HF_ENDPOINT, …). */
  readonly env?: Record<string, string>;
  /** The job's workspace; a fresh temporary folder when omitted. */
  readonly workspace?: string;
  /** Kill the action after this long (a hung action fails the test instead of the suite). */
  readonly timeoutMs?: number;
  readonly runId?: number;
  /** Sees the action's output as it arrives, with the process (e.g. to cancel it mid-run). */
  readonly onOutput?: (text: string, child: ChildProcess) => void;
}

export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly message: string;
}

export interface RunResult {
  readonly exitCode: number | null;
  /** The step's log as a user sees it: stdout without the `::debug::` lines. */
  readonly stdout: string;
  /** The `::debug::` lines, as the action wrote them. */
  readonly debug: string;
  /** The whole stdout, debug lines included, as written (a file in the runner home). */
  readonly logFile: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly annotations: readonly Annotation[];
  readonly workspace: string;
  readonly runnerTemp: string;
}

let actionCopy: string | undefined;

/**
 * A copy of the files a runner would download: what git tracks plus what it would track
 * (untracked, not ignored). A dist/node_modules swallowed by .gitignore is missing here, as it
 * would be on a runner.
 */
export function shippedAction(): string {
  if (actionCopy) return actionCopy;
  const files = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
    },
  )
    .toString('utf8')
    .split('\0')
    .filter((f) => f !== '' && !f.startsWith('test/') && !f.startsWith('bench/'));
  const dir = tempDir('dreambench-action-');
  for (const f of files) {
    try {
      cpSync(path.join(repoRoot, f), path.join(dir, f), { dereference: false });
    } catch (e) {
      // A file deleted in the work tree but still in the index: a runner would have it; we don't.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  actionCopy = dir;
  return dir;
}

/** Parses GITHUB_OUTPUT in both the `name=value` and the heredoc `name<<DELIM` forms. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]!);
      out[name!] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      out[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return out;
}

function parseAnnotations(log: string): Annotation[] {
  const out: Annotation[] = [];
  for (const line of log.split('\n')) {
    const m = /^::(error|warning|notice)(?: [^:]*)?::(.*)$/.exec(line);
    if (m) out.push({ level: m[1] as Annotation['level'], message: unescapeCommand(m[2]!) });
  }
  return out;
}

/** Splits a step's stdout into the log a user sees and the `::debug::` lines. */
export function splitDebugLines(stdout: string): { log: string; debug: string } {
  const log: string[] = [];
  const debug: string[] = [];
  for (const line of stdout.split('\n')) (line.startsWith('::debug::') ? debug : log).push(line);
  return { log: log.join('\n'), debug: debug.map((l) => `${l}\n`).join('') };
}

function unescapeCommand(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

export async function runAction(opts: RunOptions = {}): Promise<RunResult> {
  const action = shippedAction();
  const event = opts.event ?? pullRequestEvent();
  const home = tempDir('dreambench-runner-');
  const runnerTemp = path.join(home, '_temp');
  const workspace = opts.workspace ?? path.join(home, 'work', REPO.name, REPO.name);
  for (const d of [runnerTemp, workspace, path.join(home, '_tool')])
    mkdirSync(d, { recursive: true });
  const files = {
    event: path.join(home, '_github_workflow', 'event.json'),
    output: path.join(runnerTemp, '_runner_file_commands', 'set_output'),
    summary: path.join(runnerTemp, '_runner_file_commands', 'step_summary'),
    env: path.join(runnerTemp, '_runner_file_commands', 'set_env'),
    state: path.join(runnerTemp, '_runner_file_commands', 'save_state'),
    path: path.join(runnerTemp, '_runner_file_commands', 'add_path'),
  };
  mkdirSync(path.dirname(files.event), { recursive: true });
  mkdirSync(path.dirname(files.output), { recursive: true });
  writeFileSync(files.event, JSON.stringify(event.payload, null, 2));
  for (const f of [files.output, files.summary, files.env, files.state, files.path])
    writeFileSync(f, '');

  const runId = opts.runId ?? 4242;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_STATE: files.state,
    GITHUB_PATH: files.path,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: FULL_NAME,
    GITHUB_REPOSITORY_OWNER: REPO.owner,
    GITHUB_REF: event.ref,
    GITHUB_REF_NAME: event.ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_SHA: event.sha,
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_NUMBER: '17',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'dreambench',
    GITHUB_ACTION: '__octo-org_dreambench-action',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'DreamBench',
    GITHUB_WORKFLOW_REF: `${FULL_NAME}/.github/workflows/dreambench.yml@${event.ref}`,
    // @actions/artifact refuses servers that look like GHES; the URL is never contacted.
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9/unset-github-api',
    GITHUB_GRAPHQL_URL: 'http://127.0.0.1:9/unset-graphql',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'GitHub Actions 2',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: path.join(home, '_tool'),
    ...event.env,
    ...inputEnv({ ...inputDefaults(), ...opts.inputs }),
    ...opts.env,
  };

  // As the runner does: the entry point action.yml names, on the Node it names (this one is 24).
  const { runs } = readActionYml();
  if (runs.using !== `node${process.versions.node.split('.')[0]}`)
    throw new Error(
      `action.yml runs.using is ${runs.using}; this emulation runs Node ${process.version}`,
    );
  const child = spawn(process.execPath, [path.join(action, runs.main)], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
    opts.onOutput?.(d.toString('utf8'), child);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const exitCode = await new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  clearTimeout(timer);
  const logFile = path.join(home, '_diag', 'step.log');
  mkdirSync(path.dirname(logFile), { recursive: true });
  writeFileSync(logFile, stdout);
  const { log, debug } = splitDebugLines(stdout);
  const outputs = parseOutputFile(readFileSync(files.output, 'utf8'));
  // Every results.json the action writes, in every end-to-end run, must match its schema.
  const resultsFile = outputs['results-file'];
  if (resultsFile && existsSync(resultsFile)) assertValidResults(resultsFile);

  return {
    exitCode,
    stdout: log,
    debug,
    logFile,
    stderr,
    outputs,
    summary: readFileSync(files.summary, 'utf8'),
    annotations: parseAnnotations(stdout),
    workspace,
    runnerTemp,
  };
}

/** Removes the shipped copy (call from a global teardown if needed). */
export function cleanupShippedAction(): void {
  if (actionCopy) rmSync(actionCopy, { recursive: true, force: true });
  actionCopy = undefined;
}
