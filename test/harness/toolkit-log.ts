// The Actions toolkit (@actions/core, and @actions/cache, artifact and tool-cache on top of it)
// writes its log straight to process.stdout: info lines, `::debug::` lines with request headers and
// bodies, other workflow commands. A runner keeps that log; a test that calls those clients
// in-process would print it to the console instead (737 `::debug::` lines a suite run). So
// test/setup.ts sends each test file's stdout to .tmp/test-logs/<test file>.log, and a test that
// asserts on the toolkit's words reads them here. console.* is vitest's and still reaches the
// console.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './action-yml.ts';

let captured = '';
let logFile: string | undefined;

/** The log file of a test file: the path below test/, with its folders joined by `__`. */
export function toolkitLogFileOf(testFile: string): string {
  const name = path.relative(path.join(repoRoot, 'test'), testFile).split(path.sep).join('__');
  return path.join(repoRoot, '.tmp', 'test-logs', `${name}.log`);
}

/** Sends everything written to process.stdout from now on to `file` (emptied first). */
export function captureToolkitLog(file: string): void {
  if (logFile !== undefined) return;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '');
  logFile = file;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    captured += text;
    appendFileSync(file, text);
    const done = rest.find((r): r is () => void => typeof r === 'function');
    done?.();
    return true;
  }) as typeof process.stdout.write;
}

/** Where this test file's toolkit log goes; undefined when nothing captures it. */
export function toolkitLogFile(): string | undefined {
  return logFile;
}

/** Reads the toolkit's log from this point on: `text()` is everything written since. */
export function watchToolkitLog(): { text(): string } {
  const start = captured.length;
  return { text: () => captured.slice(start) };
}
