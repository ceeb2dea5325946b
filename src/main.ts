// Composition root: reads the inputs and the runner's context, decides the mode, wires the edges
// into the pipeline, sets the outputs, and is the one place that fails the step.
import path from 'node:path';
import * as core from '@actions/core';
import pkg from '../package.json' with { type: 'json' };
import { judgeApiKey, parseConfig, type Config } from './config.ts';
import { Inputs } from './constants.ts';
import { InputConflictError } from './errors.ts';
import { decideMode, type RunMode } from './mode.ts';
import { readRunContext, withoutSecrets, type RunContext } from './pipeline/context.ts';
import type { RunIO } from './pipeline/io.ts';
import { outputsOf, SKIPPED, type Outcome } from './pipeline/outputs.ts';
import type { ActionInfo } from './pipeline/run.ts';
import { secretValues } from './pipeline/secrets.ts';
import { parsePriceOverrides } from './score/pricing.ts';
import { endpointOptions } from './score/transport/endpoint.ts';

/**
 * The stages that reach GitHub. `@actions/github` (also inside `@actions/artifact`) parses
 * GITHUB_EVENT_PATH as it loads and throws a bare SyntaxError on a damaged file; loaded only once
 * readRunContext has read that file, such a file is a clear error instead.
 */
const stages = async () => {
  const [run, merge, pr] = await Promise.all([
    import('./pipeline/run.ts'),
    import('./pipeline/merge.ts'),
    import('./pipeline/pull-request.ts'),
  ]);
  return {
    runPipeline: run.runPipeline,
    runMerge: merge.runMerge,
    verifiedContext: pr.verifiedContext,
  };
};

export const FORK_NOTICE =
  'Skipped: GitHub gives this pull request no secrets (openai-api-key is empty): it comes from a ' +
  'fork, or from Dependabot. Use two workflows instead: one on pull_request that generates the images ' +
  '(mode: plan, then your generator) and uploads them as an artifact with no secrets, and one on ' +
  'workflow_run that downloads them and runs this action with images-dir and the key. See the README, ' +
  '"Pull requests from forks".';

/** Aborts when the runner cancels the job, so a long generate-command is stopped with it. */
function cancellation(): AbortSignal {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      core.warning(`Received ${signal}: stopping`);
      controller.abort(new Error(`the job was cancelled (${signal})`));
      // The generate stage stops its command on the abort; any other stage just ends here, after
      // giving that command time to exit (runGenerateCommand escalates to SIGKILL after 5 s).
      setTimeout(() => process.exit(1), 8_000).unref();
    });
  }
  return controller.signal;
}

function runnerIO(): RunIO {
  return {
    signal: cancellation(),
    log: {
      info: (m) => core.info(m),
      warning: (m) => core.warning(m),
      notice: (m) => core.notice(m),
      group: (title, fn) => core.group(title, fn),
    },
    now: () => new Date(),
    env: process.env,
    async writeSummary(markdown) {
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
    },
  };
}

/** Before anything is printed: a generator or an error that quotes one shows `***`. */
function maskSecrets(): void {
  for (const secret of secretValues((name) => core.getInput(name), process.env)) {
    core.setSecret(secret);
  }
}

/** `@actions/artifact` (v2 and later) works on github.com and GHE.com only. */
function artifactsSupported(serverUrl: string): boolean {
  const host = new URL(serverUrl).hostname.toLowerCase();
  return host === 'github.com' || host.endsWith('.ghe.com') || host.endsWith('.localhost');
}

/** What must hold before any money is spent; returns a skip reason or throws on bad inputs. */
function preflight(config: Config, mode: RunMode, ctx: RunContext): string | undefined {
  if (mode === 'plan') return undefined;
  if (ctx.isGitHubActions && !artifactsSupported(ctx.serverUrl)) {
    throw new Error(
      `GitHub Enterprise Server (${ctx.serverUrl}) is not supported: the results and baselines are ` +
        'artifacts, and @actions/artifact v2 runs on github.com and GHE.com only',
    );
  }
  // Read again where the judge is priced; here so that a typo fails before the generator runs.
  parsePriceOverrides(process.env.DREAMBENCH_PRICES);
  if (mode === 'merge') return undefined;
  if (!judgeApiKey(config, process.env)) {
    if (withoutSecrets(ctx)) return FORK_NOTICE;
    throw new InputConflictError(
      [Inputs.OpenaiApiKey],
      `Input "${Inputs.OpenaiApiKey}" is empty and OPENAI_API_KEY is not set: the judge needs a key ` +
        '(for example openai-api-key: ${{ secrets.OPENAI_API_KEY }})',
    );
  }
  if (config.judge.batch && endpointOptions(config.judge.baseUrl).azure) {
    throw new InputConflictError(
      [Inputs.JudgeBatch, Inputs.OpenaiBaseUrl],
      `Input "${Inputs.JudgeBatch}" is "true" but "${Inputs.OpenaiBaseUrl}" is an Azure OpenAI endpoint: ` +
        "Azure's Batch API takes Global-Batch deployments and another endpoint path, which this action " +
        `does not speak; use ${Inputs.JudgeBatch}: false with Azure`,
    );
  }
  if (config.generation.command === undefined && config.generation.imagesDir === undefined) {
    throw new InputConflictError(
      [Inputs.GenerateCommand, Inputs.ImagesDir],
      `Set "${Inputs.GenerateCommand}" (the command that generates the images) or "${Inputs.ImagesDir}" ` +
        `(the folder an earlier step generated them into) for mode "${mode}"`,
    );
  }
  return undefined;
}

function setOutputs(outcome: Outcome): void {
  for (const [name, value] of Object.entries(outputsOf(outcome))) core.setOutput(name, value);
}

export async function run(): Promise<void> {
  try {
    maskSecrets();
    const rawCtx = readRunContext();
    const config = parseConfig((name) => core.getInput(name), rawCtx.workspace);
    const decision = decideMode(config.mode, rawCtx, config.baselineBranch);
    if (decision.mode === 'skip') {
      core.notice(`Skipped: ${decision.why}`);
      return setOutputs(SKIPPED);
    }
    const skip = preflight(config, decision.mode, rawCtx);
    if (skip) {
      core.notice(skip);
      return setOutputs(SKIPPED);
    }
    const { runPipeline, runMerge, verifiedContext } = await stages();
    const ctx = await verifiedContext(config, rawCtx);
    core.info(`dreambench-action ${pkg.version}: mode ${decision.mode} (${decision.why})`);
    const action: ActionInfo = {
      root: path.resolve(import.meta.dirname, '..'),
      version: pkg.version,
    };
    const io = runnerIO();
    const outcome =
      decision.mode === 'merge'
        ? await runMerge(config, ctx, io, action)
        : await runPipeline(config, decision.mode, ctx, io, action);
    setOutputs(outcome);
    if (outcome.failure) core.setFailed(outcome.failure);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
