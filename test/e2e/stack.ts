// Everything an end-to-end run needs around dist/index.js: the GitHub REST and artifact servers,
// the judge, the hub with a DreamBench++ data.zip, and a workspace with a generator.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../harness/action-yml.ts';
import { pullRequestEvent, pushEvent, type GithubEvent } from '../harness/events.ts';
import { runAction, type RunResult } from '../harness/runner.ts';
import { startActionsStack } from '../harness/servers/actions-env.ts';
import { buildDataZip, startHubServer, type HubServer } from '../harness/servers/hub.ts';
import { startOpenAIServer, type OpenAIServer } from '../harness/servers/openai.ts';

export const GENERATOR = path.join(repoRoot, 'test/fixtures/fake-generator.ts');
export const OPENAI_KEY = 'sk-e2e-secret-0123456789abcdef';
/** 3 concepts per category = 12 reference images x 9 prompts. */
export const PER_CATEGORY = 3;

export interface Stack {
  readonly actions: Awaited<ReturnType<typeof startActionsStack>>;
  readonly judge: OpenAIServer;
  readonly hub: HubServer;
  readonly toolCache: string;
  run(opts: {
    runId: number;
    event?: GithubEvent;
    inputs?: Record<string, string>;
    env?: Record<string, string>;
  }): Promise<RunResult>;
  /** Registers a finished run with the REST server, as GitHub does when a workflow run ends. */
  finishRun(runId: number, event: GithubEvent, conclusion?: 'success' | 'failure'): void;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const actions = await startActionsStack();
  const judge = await startOpenAIServer();
  const zip = await buildDataZip({ perCategory: PER_CATEGORY });
  const hub = await startHubServer({ files: { 'yuangpeng/dreambench_plus@main/data.zip': zip } });
  // One tool cache across runs, like a self-hosted runner: the dataset is downloaded once.
  const toolCache = mkdtempSync(path.join(os.tmpdir(), 'dreambench-toolcache-'));
  return {
    actions,
    judge,
    hub,
    toolCache,
    run: ({ runId, event = pullRequestEvent(), inputs = {}, env = {} }) =>
      runAction({
        runId,
        event,
        inputs: {
          'openai-api-key': OPENAI_KEY,
          'openai-base-url': judge.baseURL,
          'generate-command': `node ${GENERATOR} {manifest}`,
          samples: '24',
          ...inputs,
        },
        env: {
          ...actions.env(runId, { ref: event.ref }),
          HF_ENDPOINT: hub.url,
          RUNNER_TOOL_CACHE: toolCache,
          ...env,
        },
      }),
    finishRun: (runId, event, conclusion = 'success') => {
      actions.github.state.addRun({
        id: runId,
        headBranch: event.ref.replace(/^refs\/heads\//, ''),
        event: event.name,
        conclusion,
      });
    },
    close: async () => {
      await Promise.all([actions.close(), judge.close(), hub.close()]);
    },
  };
}

export { pushEvent, pullRequestEvent };
