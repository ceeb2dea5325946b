// A fresh tool cache and runner temp folder for every test of a file: @actions/tool-cache v4 reads
// RUNNER_TOOL_CACHE and RUNNER_TEMP on every call, so tests stay independent of each other.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** Registers the hooks; returns the current test's scratch folder (holding both). */
export function useScratchRunner(prefix: string): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    process.env.RUNNER_TOOL_CACHE = path.join(dir, 'tool-cache');
    process.env.RUNNER_TEMP = path.join(dir, 'temp');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    delete process.env.RUNNER_TOOL_CACHE;
    delete process.env.RUNNER_TEMP;
  });
  return () => dir;
}
