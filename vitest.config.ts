import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // The default reporter only counts skipped tests; this one also says why each was skipped.
    reporters: ['default', './test/harness/skip-reasons.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests spawn dist/index.js; keep the 2-core machine from oversubscribing.
    maxWorkers: 2,
  },
});
