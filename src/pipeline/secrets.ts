// Every value that grants access to something, named once: main.ts masks them all in the log (the
// runner masks only the secrets it handed out itself), and the generate command's environment
// withholds the ones only this action needs (generator-env.ts).
import { Inputs, type InputName } from '../constants.ts';

/** Runner variables that carry this step's credentials (artifacts and cache, OIDC). */
export const RUNNER_TOKEN_VARIABLES = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
] as const;

/** Variables a workflow commonly sets with a credential. */
const CREDENTIAL_VARIABLES = ['OPENAI_API_KEY', 'HF_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN'];

/** The inputs that are credentials. */
const SECRET_INPUTS: readonly InputName[] = [Inputs.OpenaiApiKey, Inputs.GithubToken];

/** Pure: the non-empty secret values among the inputs and the environment, without repeats. */
export function secretValues(read: (name: InputName) => string, env: NodeJS.ProcessEnv): string[] {
  const values = [
    ...SECRET_INPUTS.map((name) => read(name).trim()),
    ...[...RUNNER_TOKEN_VARIABLES, ...CREDENTIAL_VARIABLES].map((name) => env[name]?.trim()),
  ];
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
}
