// Reading a results.json back (a baseline, or a shard's partial results). Pure: text in.
import { READABLE_SCHEMA_VERSIONS } from '../constants.ts';
import { toScoredSamples } from '../score/to-scored.ts';
import type { ScoredSample } from '../types.ts';
import { ResultsFormatError } from './errors.ts';
import { withWiderFingerprint } from './fingerprint-upgrade.ts';
import type { ResultsFile } from './schema.ts';

const REQUIRED = [
  'run',
  'fingerprint',
  'summary',
  'judge',
  'samples',
  'records',
  'failures',
] as const;

export function parseResults(text: string, source: string): ResultsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ResultsFormatError(source, `invalid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ResultsFormatError(source, 'expected a JSON object');
  }
  const obj = data as Record<string, unknown>;
  if (!READABLE_SCHEMA_VERSIONS.includes(obj.schemaVersion as number)) {
    throw new ResultsFormatError(
      source,
      `schemaVersion ${JSON.stringify(obj.schemaVersion)} is not one this action reads (${READABLE_SCHEMA_VERSIONS.join(', ')})`,
    );
  }
  for (const key of REQUIRED) {
    if (!(key in obj)) throw new ResultsFormatError(source, `the field "${key}" is missing`);
  }
  for (const key of ['samples', 'records', 'failures'] as const) {
    if (!Array.isArray(obj[key])) throw new ResultsFormatError(source, `"${key}" is not an array`);
  }
  return { history: [], ...withWiderFingerprint(obj) } as unknown as ResultsFile;
}

/** The statistics' input: every sample with an outcome, read by the same rules as this run's
 * (a baseline's model-owned failures count as 0 there too, whichever version wrote it). */
export function scoredSamplesOf(results: ResultsFile): ScoredSample[] {
  return toScoredSamples(results.records, {
    samples: results.samples,
    failures: results.failures,
  });
}
