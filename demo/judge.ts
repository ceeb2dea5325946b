// Which judge the demo uses. By default a loopback server speaking the OpenAI protocol whose scores
// come from the stand-in scoring function (pixel similarity and colourfulness: they mean nothing
// about image quality). With OPENAI_API_KEY set, the real OpenAI API (or OPENAI_BASE_URL).
import { standinScore } from '../test/harness/standin-judge.ts';
import { startOpenAIServer } from '../test/harness/servers/openai.ts';

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

const STANDIN_KEY = 'sk-demo-standin-not-a-real-key';

export async function startDemoJudge(env: NodeJS.ProcessEnv): Promise<DemoJudge> {
  const apiKey = env.OPENAI_API_KEY?.trim();
  if (apiKey) {
    // The real path: no openai-base-url input, so the SDK default applies (it honours
    // OPENAI_BASE_URL, which the runner emulation does not inherit unless passed on).
    const baseUrl = env.OPENAI_BASE_URL?.trim();
    return {
      kind: 'openai',
      label: `REAL judge: OpenAI API at ${baseUrl || 'https://api.openai.com/v1'} (this costs money)`,
      inputs: { 'openai-api-key': apiKey, 'openai-base-url': '' },
      env: baseUrl ? { OPENAI_BASE_URL: baseUrl } : {},
      close: async () => {},
    };
  }
  const server = await startOpenAIServer({ score: standinScore });
  return {
    kind: 'stand-in',
    label:
      'STAND-IN judge: a loopback server scoring by pixel similarity (CP) and colourfulness (PF). ' +
      'Its scores mean NOTHING about image quality; set OPENAI_API_KEY to use GPT-4o.',
    inputs: { 'openai-api-key': STANDIN_KEY, 'openai-base-url': server.baseURL },
    env: {},
    close: () => server.close(),
  };
}
