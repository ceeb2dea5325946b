// The environment the repository's generate-command gets: the job's, minus what only this action
// needs. The command is the repository's own code (on a PR, the PR's code), so it must not see
// the judge key or the runner's tokens, exactly as if the user had run it in a step of their own.
// (It still runs in the job that holds them: see run-command.ts and README.)
import { RUNNER_TOKEN_VARIABLES } from './secrets.ts';

/** Runner variables that carry credentials of this step, not of the job, and where they go. */
const WITHHELD: readonly string[] = [
  ...RUNNER_TOKEN_VARIABLES,
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
];

/**
 * Pure. `INPUT_*` are this action's inputs (the API key, the GitHub token) and are withheld too,
 * as is any variable holding one of `secrets` (the judge key may come from `OPENAI_API_KEY`).
 */
export function generatorEnv(
  env: NodeJS.ProcessEnv,
  secrets: readonly string[] = [],
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('INPUT_') || WITHHELD.includes(name)) continue;
    if (value !== undefined && value !== '' && secrets.includes(value)) continue;
    out[name] = value;
  }
  return out;
}
