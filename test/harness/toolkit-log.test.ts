// In-process calls of the Actions toolkit log into this test file's log file, not the console
// (test/setup.ts installs the capture in every test file).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './action-yml.ts';
import { toolkitLogFile, toolkitLogFileOf, watchToolkitLog } from './toolkit-log.ts';

describe('the toolkit log capture', () => {
  it('takes @actions/core output, ::debug:: lines included, into the file of this test file', () => {
    const file = toolkitLogFile();
    expect(file).toBe(toolkitLogFileOf(import.meta.filename));
    const log = watchToolkitLog();
    core.info('an info line for the log file');
    core.debug('Headers: {"authorization": "Bearer …"}');
    expect(log.text()).toBe(
      'an info line for the log file\n::debug::Headers: {"authorization": "Bearer …"}\n',
    );
    expect(readFileSync(file!, 'utf8')).toContain(log.text());
  });

  it('names the file after the test file below test/, in .tmp/test-logs', () => {
    expect(toolkitLogFileOf(path.join(repoRoot, 'test/score/cache.test.ts'))).toBe(
      path.join(repoRoot, '.tmp/test-logs/score__cache.test.ts.log'),
    );
  });
});
