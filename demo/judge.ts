// Which judge the demo uses. By default a loopback server speaking the OpenAI protocol whose scores
// come from the stand-in scoring function (pixel similarity and colourfulness: they mean nothing
// about image quality). The real OpenAI API (or OPENAI_BASE_URL) only when asked with
// `--real-judge`: a key in the shell is no consent to spend money.
import { standinScore } from '../test/harness/standin-judge.ts';
import { startOpenAIServer } from '../test/harness/servers/openai.ts';

export const REAL_JUDGE_FLAG = '--real-judge';

export interface DemoJudge {
  readonly kind: 'stand-in' | 'openai';
  /** One line for the console and the log. */
  readonly label: string;
  /** Action inputs that point the action at this judge. */
  readonly inputs: Record<string, string>;
  /** Environment for the action's process. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export type JudgeChoice =
  | { readonly kind: 'stand-in'; readonly keyIgnored: boolean }
  | { readonly kind: 'openai'; readonly apiKey: string; readonly baseUrl: string | undefined };

export class DemoUsageError extends Error {
  override readonly name = 'DemoUsageError';
}

/** The judge the command line asks for (pure). Throws DemoUsageError on an unusable request. */
export function chooseDemoJudge(args: readonly string[], env: NodeJS.ProcessEnv): JudgeChoice {
  const unknown = args.filter((a) => a !== REAL_JUDGE_FLAG);
  if (unknown.length > 0) {
    throw new DemoUsageError(
      `unknown argument ${JSON.stringify(unknown[0])}: the demo takes only ${REAL_JUDGE_FLAG} ` +
        `(npm run demo -- ${REAL_JUDGE_FLAG})`,
    );
  }
  const apiKey = env.OPENAI_API_KEY?.trim() ?? '';
  if (!args.includes(REAL_JUDGE_FLAG)) return { kind: 'stand-in', keyIgnored: apiKey !== '' };
  if (apiKey === '') {
    throw new DemoUsageError(
      `${REAL_JUDGE_FLAG} needs OPENAI_API_KEY (and optionally OPENAI_BASE_URL) in the environment`,
    );
  }
  return { kind: 'openai', apiKey, baseUrl: env.OPENAI_BASE_URL?.trim() || undefined };
}

const STANDIN_KEY = 'sk-demo-standin-not-a-real-key';

export async function startDemoJudge(choice: JudgeChoice): Promise<DemoJudge> {
  if (choice.kind === 'openai') {
    // No openai-base-url input, so the SDK default applies (it honours OPENAI_BASE_URL, which the
    // runner emulation does not inherit unless passed on).
    return {
      kind: 'openai',
      label: `REAL judge: OpenAI API at ${choice.baseUrl ?? 'https://api.openai.com/v1'} (this costs money)`,
      inputs: { 'openai-api-key': choice.apiKey, 'openai-base-url': '' },
      env: choice.baseUrl ? { OPENAI_BASE_URL: choice.baseUrl } : {},
      close: async () => {},
    };
  }
  const server = await startOpenAIServer({ score: standinScore });
  return {
    kind: 'stand-in',
    label:
      'STAND-IN judge: a loopback server scoring by pixel similarity (CP) and colourfulness (PF). ' +
      `Its scores mean NOTHING about image quality; npm run demo -- ${REAL_JUDGE_FLAG} uses GPT-4o.`,
    inputs: { 'openai-api-key': STANDIN_KEY, 'openai-base-url': server.baseURL },
    env: {},
    close: () => server.close(),
  };
}
