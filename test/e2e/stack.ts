// Everything an end-to-end run needs around dist/index.js: the GitHub REST and artifact servers,
// the judge, the hub with a DreamBench++ data.zip, and a workspace with a generator.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from '../harness/action-yml.ts';
import { tempDir } from '../harness/temp.ts';
import { pullRequestEvent, pushEvent, type GithubEvent } from '../harness/events.ts';
import { runAction, type RunOptions, type RunResult } from '../harness/runner.ts';
import { startActionsStack } from '../harness/servers/actions-env.ts';
import { startCacheService, type CacheService } from '../harness/servers/cache-service.ts';
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
  /** The Actions cache service, when the stack was started with `{ cache: true }`. */
  readonly cache: CacheService | undefined;
  run(opts: {
    runId: number;
    /** The job within the run (the runtime token's job id); shards of one run differ here. */
    jobId?: string;
    /** The job's workspace (default: a fresh folder per run). */
    workspace?: string;
    event?: GithubEvent;
    inputs?: Record<string, string>;
    env?: Record<string, string>;
    onOutput?: RunOptions['onOutput'];
  }): Promise<RunResult>;
  /** Registers a finished run with the REST server, as GitHub does when a workflow run ends. */
  finishRun(runId: number, event: GithubEvent, conclusion?: 'success' | 'failure'): void;
  close(): Promise<void>;
}

export interface StackOptions {
  /**
   * Also serve the Actions cache (v2) so the judge cache persists across runs. The runner gives
   * artifacts and cache one ACTIONS_RESULTS_URL, so a small router splits the twirp services.
   */
  readonly cache?: boolean;
  /** The hub then answers 401 unless `Authorization: Bearer <hfToken>` comes with the download. */
  readonly hfToken?: string;
}

/** One origin in front of the results (artifact) service and the cache service, as on GitHub. */
async function startResultsRouter(targets: { results: string; cache: string }) {
  const server = http.createServer((req, res) => {
    const cache = (req.url ?? '').startsWith('/twirp/github.actions.results.api.v1.CacheService/');
    const target = new URL(req.url ?? '/', cache ? targets.cache : targets.results);
    const upstream = http.request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (e) => res.destroy(e));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const actions = await startActionsStack();
  const cache = options.cache ? await startCacheService() : undefined;
  const router = cache
    ? await startResultsRouter({ results: actions.results.url, cache: cache.url })
    : undefined;
  const cacheEnv: Record<string, string> = router
    ? { ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_RESULTS_URL: `${router.url}/` }
    : {};
  const judge = await startOpenAIServer();
  const zip = await buildDataZip({ perCategory: PER_CATEGORY });
  const hub = await startHubServer({
    files: { 'yuangpeng/dreambench_plus@main/data.zip': zip },
    ...(options.hfToken ? { token: options.hfToken } : {}),
  });
  // One tool cache across runs, like a self-hosted runner: the dataset is downloaded once.
  const toolCache = tempDir('dreambench-toolcache-');
  return {
    actions,
    judge,
    hub,
    toolCache,
    cache,
    run: ({
      runId,
      jobId,
      workspace,
      event = pullRequestEvent(),
      inputs = {},
      env = {},
      onOutput,
    }) =>
      runAction({
        ...(onOutput ? { onOutput } : {}),
        ...(workspace ? { workspace } : {}),
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
          ...actions.env(runId, {
            ref: event.ref,
            ...(event.env.GITHUB_BASE_REF ? { baseRef: event.env.GITHUB_BASE_REF } : {}),
            ...(jobId ? { jobId } : {}),
          }),
          ...cacheEnv,
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
      await Promise.all([
        actions.close(),
        judge.close(),
        hub.close(),
        cache?.close(),
        router?.close(),
      ]);
    },
  };
}

export { pushEvent, pullRequestEvent };

type JobOptions = Omit<Parameters<Stack['run']>[0], 'jobId'>;

/** The two shard jobs of a run, at once as a matrix starts them; `own[i - 1]`: shard i's own inputs. */
export const runShards = (stack: Stack, job: JobOptions, own: Record<string, string>[] = []) =>
  Promise.all(
    [1, 2].map((i) =>
      stack.run({
        ...job,
        jobId: `shard-${i}`,
        inputs: { ...job.inputs, shard: `${i}/2`, ...own[i - 1] },
      }),
    ),
  );

/** The job after the shards: it merges their results and generates nothing. */
export const runMerge = (stack: Stack, job: JobOptions) =>
  stack.run({
    ...job,
    jobId: 'merge',
    inputs: { ...job.inputs, mode: 'merge', 'generate-command': '' },
  });

/** Dump the log when a run did not end as the test expects (E2E_LOG=1 always dumps). */
export function expectExit(r: RunResult, code: number): void {
  if (r.exitCode !== code || process.env.E2E_LOG) console.log(r.stdout, r.stderr);
  expect(r.exitCode).toBe(code);
}

/** The run's results.json. */
export const resultsOf = (r: RunResult) =>
  JSON.parse(readFileSync(r.outputs['results-file']!, 'utf8'));
