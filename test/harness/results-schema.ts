// schema/results.schema.json, compiled once: what every results.json the action writes must match.
// The runner emulation checks each run's results file with it, so every end-to-end test does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { repoRoot } from './action-yml.ts';

export const RESULTS_SCHEMA_FILE = path.join(repoRoot, 'schema', 'results.schema.json');

const ajv = new Ajv2020({ allErrors: true, strict: true });
// JSON's own date-time, as `new Date().toISOString()` writes it.
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const validate = ajv.compile(JSON.parse(readFileSync(RESULTS_SCHEMA_FILE, 'utf8')));

function describe(e: ErrorObject): string {
  return `${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`;
}

/** Where `value` breaks the schema, one line each; empty when it is a valid results file. */
export function resultsSchemaErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map(describe);
}

/** Throws, naming the file and every violation, unless `file` is a valid results.json. */
export function assertValidResults(file: string): void {
  const errors = resultsSchemaErrors(JSON.parse(readFileSync(file, 'utf8')));
  if (errors.length > 0) {
    throw new Error(`${file} does not match ${RESULTS_SCHEMA_FILE}:\n${errors.join('\n')}`);
  }
}
