// Runs in every test file (vitest setupFiles).
import { afterAll, beforeEach, expect } from 'vitest';
import { removeTempDirs } from './harness/temp.ts';
import { captureToolkitLog, toolkitLogFile, toolkitLogFileOf } from './harness/toolkit-log.ts';

// The toolkit's log of in-process calls goes to a file, not the console; a failing test says where.
const testPath = expect.getState().testPath;
if (testPath) captureToolkitLog(toolkitLogFileOf(testPath));
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    const file = toolkitLogFile();
    if (file) console.error(`the Actions toolkit's log of this test file: ${file}`);
  });
});

afterAll(removeTempDirs);
