// schema/results.schema.json documents results.json; these tests keep the two honest: what the
// builders write passes, and a damaged file is refused at the place that is wrong. (Every
// end-to-end run also checks its own results file: test/harness/runner.ts.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/compare/index.ts';
import { RESULTS_SCHEMA_VERSION } from '../../src/constants.ts';
import { resultsComparison } from '../../src/results/build.ts';
import { scoredSamplesOf } from '../../src/results/parse.ts';
import { RESULTS_SCHEMA_FILE, resultsSchemaErrors } from '../harness/results-schema.ts';
import { results, type SampleSpec } from './fixtures.ts';

const SPECS: SampleSpec[] = Array.from({ length: 30 }, (_, i) => ({
  concept: `object_${String(Math.floor(i / 3)).padStart(2, '0')}_teapot`,
  promptIndex: i % 3,
  cp: 1 + ((i * 7) % 4),
  pf: 2 + (i % 3),
}));

/** A results file with a real comparison in it, as a PR run writes. */
function compared() {
  const base = results(SPECS);
  const worse = results(SPECS.map((s) => ({ ...s, cp: Math.max(0, s.cp! - 1) })));
  const c = compare(scoredSamplesOf(base), scoredSamplesOf(worse), {
    confidence: 0.95,
    tolerance: 0.02,
    seed: 1,
    iterations: 50,
  });
  const baseline = { runId: 41, runUrl: 'https://x/41', sha: 'e'.repeat(40) };
  return { ...worse, comparison: resultsComparison({ kind: 'compared', baseline, comparison: c }) };
}

describe('schema/results.schema.json', () => {
  it('is the schema of the version this action writes', () => {
    const schema = JSON.parse(readFileSync(RESULTS_SCHEMA_FILE, 'utf8'));
    expect(schema.properties.schemaVersion).toEqual({ const: RESULTS_SCHEMA_VERSION });
  });

  it('accepts results as the builders write them, with and without a comparison', () => {
    expect(resultsSchemaErrors(results(SPECS))).toEqual([]);
    const withComparison = compared();
    expect(withComparison.comparison?.status).toBe('compared');
    expect(resultsSchemaErrors(withComparison)).toEqual([]);
    const none = { ...results(SPECS), comparison: { status: 'none', reason: 'no baseline yet' } };
    expect(resultsSchemaErrors(none)).toEqual([]);
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
    expect(resultsSchemaErrors({ ...file, schemaVersion: 2 }).join('\n')).toContain(
      '/schemaVersion must be equal to constant',
    );
  });
});
