// The publish stage on its own (off a runner: nothing is uploaded): results.json first, then each
// later step independent of the others, and publish always returns what went out.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { readRunContext } from '../../src/pipeline/context.ts';
import type { RunIO } from '../../src/pipeline/io.ts';
import { publish } from '../../src/pipeline/publish.ts';
import { inputDefaults } from '../harness/action-yml.ts';
import { pullRequestEvent } from '../harness/events.ts';
import { tempDir } from '../harness/temp.ts';
import { results } from '../results/fixtures.ts';

function memoryIO(): RunIO & { warnings: string[]; summaries: string[] } {
  const warnings: string[] = [];
  const summaries: string[] = [];
  return {
    warnings,
    summaries,
    log: {
      info: () => undefined,
      warning: (m) => warnings.push(m),
      notice: () => undefined,
      group: (_title, fn) => fn(),
    },
    now: () => new Date('2026-01-01T00:00:00Z'),
    env: {},
    async writeSummary(markdown) {
      summaries.push(markdown);
    },
  };
}

describe('publish', () => {
  it('keeps results.json and returns when rendering the report fails, each later step a warning', async () => {
    const dir = tempDir('dreambench-publish-');
    const eventFile = path.join(dir, 'event.json');
    writeFileSync(eventFile, JSON.stringify(pullRequestEvent({ number: 7 }).payload));
    const ctx = readRunContext({ GITHUB_EVENT_PATH: eventFile, RUNNER_TEMP: dir });
    expect(ctx.pullRequest?.number).toBe(7);
    const config = parseConfig((name) => inputDefaults()[name] ?? '', dir);
    const io = memoryIO();
    const resultsDir = path.join(dir, 'results');
    const file = results([{ concept: 'object_00_x', promptIndex: 0, cp: 3, pf: 2 }]);

    const published = await publish(config, ctx, io, {
      results: file,
      comparison: { kind: 'none', reason: 'no baseline yet' },
      baselineDir: undefined,
      resultsDir,
      render: () => {
        throw new Error('the renderer broke');
      },
      samples: [],
      generator: 'dreambench-action test',
      comment: true,
      visual: true,
      artifactName: 'dreambench-results',
      uploadRequired: false,
    });

    expect(published.resultsFile).toBe(path.join(resultsDir, 'results.json'));
    expect(JSON.parse(readFileSync(published.resultsFile, 'utf8')).records).toHaveLength(1);
    expect(existsSync(path.join(resultsDir, 'scores.csv'))).toBe(true);
    expect(published.failure).toBeUndefined();
    expect(io.warnings).toEqual([
      'report.md was not written: the renderer broke',
      'The HTML report was not published: the renderer broke',
      'The PR comment was not written: the renderer broke',
      'The job summary was not written: the renderer broke',
    ]);
  });
});
