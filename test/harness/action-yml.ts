// Reads action.yml the way the runner does: the declared inputs with their defaults.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

export function readActionYml(): ActionYml {
  return parse(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as ActionYml;
}

/** Input defaults as the runner would pass them, with `${{ github.token }}` already expanded. */
export function inputDefaults(githubToken = 'ghs_test_token'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(readActionYml().inputs)) {
    out[name] = String(spec.default ?? '').replace('${{ github.token }}', githubToken);
  }
  return out;
}
