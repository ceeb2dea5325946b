// schema/results.schema.json documents results.json; these tests keep the two honest: what the
// builders write passes, and a damaged file is refused at the place that is wrong. (Every
// end-to-end run also checks its own results file: test/harness/runner.ts.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aggregate, compare, fingerprintDiff } from '../../src/compare/index.ts';
import { RESULTS_SCHEMA_VERSION } from '../../src/constants.ts';
import type { ComparisonView } from '../../src/report/model.ts';
import { buildResultsFile } from '../../src/results/build.ts';
import { scoredSamplesOf } from '../../src/results/parse.ts';
import { RESULTS_SCHEMA_FILE, resultsSchemaErrors } from '../harness/results-schema.ts';
import { FINGERPRINT, results, stats, type SampleSpec } from './fixtures.ts';

const SPECS: SampleSpec[] = Array.from({ length: 30 }, (_, i) => ({
  concept: `object_${String(Math.floor(i / 3)).padStart(2, '0')}_teapot`,
  promptIndex: i % 3,
  cp: 1 + ((i * 7) % 4),
  pf: 2 + (i % 3),
}));

const base = results(SPECS);
const worse = results(SPECS.map((s) => ({ ...s, cp: Math.max(0, s.cp! - 1) })));
const baseline = { runId: 41, runUrl: 'https://x/41', sha: 'e'.repeat(40) };

/** results.json as buildResultsFile writes it for a run of `worse` with this comparison. */
function built(comparison: ComparisonView) {
  return buildResultsFile({
    version: '1.2.3',
    createdAt: '2026-11-26T00:00:00.000Z',
    run: worse.run,
    fingerprint: FINGERPRINT,
    // Planned as this version plans them: with upstream's key of each sample.
    samples: worse.samples.map((x) => ({ ...x, upstreamKey: `${x.concept}-${x.promptIndex}` })),
    records: worse.records,
    stats: stats(),
    failures: [],
    aggregate: aggregate(scoredSamplesOf(worse), 0),
    history: [
      { runId: 40, sha: 'd'.repeat(40), createdAt: '2026-11-25T03:00:00Z', cp: 0.5, pf: 0.7 },
    ],
    comparison,
  });
}

/** A results file with a real comparison in it, as a PR run writes. */
function compared() {
  const c = compare(scoredSamplesOf(base), scoredSamplesOf(worse), {
    confidence: 0.95,
    tolerance: 0.02,
    seed: 1,
    iterations: 50,
  });
  return built({ kind: 'compared', baseline, comparison: c });
}

describe('schema/results.schema.json', () => {
  it('is the schema of the version this action writes', () => {
    const schema = JSON.parse(readFileSync(RESULTS_SCHEMA_FILE, 'utf8'));
    expect(schema.properties.schemaVersion).toEqual({ const: RESULTS_SCHEMA_VERSION });
  });

  it('accepts results as buildResultsFile writes them, compared, incompatible or with no baseline', () => {
    const withComparison = compared();
    expect(withComparison.comparison?.status).toBe('compared');
    expect(resultsSchemaErrors(withComparison)).toEqual([]);
    const other = { ...FINGERPRINT, sampleSeed: FINGERPRINT.sampleSeed + 1 };
    const differences = fingerprintDiff(other, FINGERPRINT);
    expect(resultsSchemaErrors(built({ kind: 'incompatible', baseline, differences }))).toEqual([]);
    expect(resultsSchemaErrors(built({ kind: 'none', reason: 'no baseline yet' }))).toEqual([]);
  });

  it('refuses a damaged file, naming where', () => {
    const file = compared();
    const offScale = structuredClone(file) as unknown as { records: { cp: { score: number } }[] };
    offScale.records[0]!.cp.score = 5;
    expect(resultsSchemaErrors(offScale).join('\n')).toContain('/records/0/cp/score');

    const { judgeServed: _, ...narrow } = file.fingerprint;
    expect(resultsSchemaErrors({ ...file, fingerprint: narrow }).join('\n')).toMatch(
      /\/fingerprint must have required property 'judgeServed'/,
    );
    expect(resultsSchemaErrors({ ...file, extra: 1 }).join('\n')).toMatch(
      /must NOT have additional properties .*extra/,
    );
    const noCp = structuredClone(file) as unknown as { comparison: Record<string, unknown> };
    delete noCp.comparison.cp;
    expect(resultsSchemaErrors(noCp).join('\n')).toContain('/comparison');
    // This version always writes the comparison (or why there was none), the counted failures
    // and every sample's and record's upstream key.
    const noKey = structuredClone(file) as unknown as { records: { upstreamKey?: string }[] };
    delete noKey.records[0]!.upstreamKey;
    expect(resultsSchemaErrors(noKey).join('\n')).toContain(
      "/records/0 must have required property 'upstreamKey'",
    );
    const { comparison: _c, ...withoutComparison } = file;
    expect(resultsSchemaErrors(withoutComparison).join('\n')).toContain(
      "must have required property 'comparison'",
    );
    const { counted: _n, ...summary } = file.summary;
    expect(resultsSchemaErrors({ ...file, summary }).join('\n')).toContain(
      "/summary must have required property 'counted'",
    );
    expect(resultsSchemaErrors({ ...file, schemaVersion: 2 }).join('\n')).toContain(
      '/schemaVersion must be equal to constant',
    );
  });
});
