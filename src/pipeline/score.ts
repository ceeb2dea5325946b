// Score: judge every usable image on CP and PF, reusing cached judgments, and keep the judge-size
// images for the artifact.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { judgeApiKey, type Config } from '../config.ts';
import type { CollectedImages } from '../generate/index.ts';
import { plannedSample } from '../results/build.ts';
import type { BatchJudging } from '../score/options.ts';
import { createOpenAIBatchApi } from '../score/transport/batch/batch-api.ts';
import { batchMetadata } from '../score/transport/batch/metadata.ts';
import type { PendingBatch } from '../score/transport/batch/pending.ts';
import { restoreJudgeCache, saveJudgeCache } from '../score/judgment/cache-persist.ts';
import { FolderJudgeCache } from '../score/judgment/judge-cache.ts';
import { endpointOptions } from '../score/transport/endpoint.ts';
import { createOpenAIJudge } from '../score/transport/openai-client.ts';
import { keepYoungGenerationSmall } from '../score/memory.ts';
import { DEFAULT_PRICES, parsePriceOverrides } from '../score/pricing.ts';
import {
  scoreSamples,
  type PreparedEvent,
  type ScoreDeps,
  type ScoreItem,
  type ScoreResult,
} from '../score/score-samples.ts';
import { loadTemplates, type Templates } from '../score/judgment/templates.ts';
import type { RunContext } from './context.ts';
import { judgeBaseUrl } from './fingerprint.ts';
import type { RunIO } from './io.ts';
import { pendingStore } from './pending-batches.ts';
import type { Planned } from './plan.ts';
import { judgeImageFile } from './results-folder.ts';

/** Per-request timeout: a PF reply with its analysis rarely takes more than 30 s. */
const REQUEST_TIMEOUT_MS = 120_000;

/**
 * The bundled templates go with our labelled final turn; a `prompts-dir` (the upstream release's
 * folder, or any other in its layout) with upstream's final turn exactly (prompts/README.md).
 */
export async function loadJudgeTemplates(config: Config, actionRoot: string): Promise<Templates> {
  if (config.promptsDir) return loadTemplates(config.promptsDir, 'upstream');
  return loadTemplates(path.join(actionRoot, 'prompts'), 'labelled');
}

function cacheDir(ctx: RunContext, env: NodeJS.ProcessEnv): string {
  // On a runner the folder is persisted with @actions/cache; elsewhere it simply stays on disk.
  if (ctx.isGitHubActions) return path.join(ctx.workDir, 'judge-cache');
  return (
    env.DREAMBENCH_CACHE_DIR || path.join(os.homedir(), '.cache', 'dreambench-action', 'judge')
  );
}

/** Writes each prepared image once into the results folder (the artifact's judge-size images). */
function imageKeeper(resultsDir: string) {
  return async (e: PreparedEvent): Promise<void> => {
    const file = judgeImageFile(resultsDir, e.role, e.id);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, e.image.bytes);
  };
}

export async function score(
  config: Config,
  ctx: RunContext,
  planned: Planned,
  collected: CollectedImages,
  templates: Templates,
  resultsDir: string,
  io: RunIO,
): Promise<ScoreResult & { readonly pendingRecorded: boolean }> {
  const items: ScoreItem[] = [];
  for (const sample of planned.samples) {
    const imagePath = collected.images.get(sample.id);
    if (imagePath === undefined) continue; // already listed as a generation failure
    items.push({ sample, imagePath, referencePath: sample.referenceImages[0]! });
  }
  // Batches an earlier run of this configuration left running: collected, not asked again.
  const pending = pendingStore(config, ctx, io, templates.sha256, cacheDir(ctx, io.env));
  const adopted = (await pending.restore())?.batches ?? [];
  const result = await judgeItems(config, ctx, items, templates, io, {
    onPrepared: imageKeeper(resultsDir),
    batches: { adopted, configurationKey: pending.key },
  });
  // What is still running is recorded; a record that was collected is superseded.
  const pendingRecorded =
    result.pending.length > 0 || adopted.length > 0
      ? await pending.save(result.pending, planned.samples.map(plannedSample), resultsDir)
      : true;
  return { ...result, pendingRecorded };
}

/** What a second judging of one job (the baseline's images) is given on top of the inputs. */
export interface JudgeExtras {
  readonly onPrepared?: ScoreDeps['onPrepared'];
  /** Spend and time this job's judging used before: max-cost-usd and the time budget are shared. */
  readonly spent?: { readonly costUsd: number; readonly ms: number };
  /**
   * A later judging in this run: the judge cache is saved under the run's key plus this suffix
   * (the first save holds the run's key), and not restored again when `restored` (the job's first
   * judging did that, into the same folder).
   */
  readonly laterPass?: { readonly keySuffix: string; readonly restored: boolean };
  /** How the closing log line begins. */
  readonly what?: string;
  /**
   * The job's own judging (not a later pass): `judge-batch` applies, and the batches an earlier
   * run left pending (`adopted`) are collected. `configurationKey` names the batches' configuration.
   */
  readonly batches?: {
    readonly adopted: readonly PendingBatch[];
    readonly configurationKey: string;
  };
}

/** The score stage on `items`, with this run's judge, cache, budget and rate limits. */
export async function judgeItems(
  config: Config,
  ctx: RunContext,
  items: readonly ScoreItem[],
  templates: Templates,
  io: RunIO,
  extras: JudgeExtras = {},
): Promise<ScoreResult> {
  const apiKey = judgeApiKey(config, io.env);
  const cache = config.judge.cache ? new FolderJudgeCache(cacheDir(ctx, io.env)) : undefined;
  const persist = cache && ctx.isGitHubActions;
  const runKey = `${ctx.runId}-${ctx.runAttempt}${extras.laterPass?.keySuffix ?? ''}`;
  if (persist && !extras.laterPass?.restored)
    await restoreJudgeCache(cache.dir, config.judge.model, runKey, io.log);
  const spent = extras.spent ?? { costUsd: 0, ms: 0 };
  const maxCostUsd =
    config.judge.maxCostUsd === undefined ? undefined : config.judge.maxCostUsd - spent.costUsd;

  const endpoint = {
    apiKey,
    ...endpointOptions(config.judge.baseUrl),
    timeoutMs: REQUEST_TIMEOUT_MS,
  };
  const own = extras.batches;
  const batchMode = own !== undefined && config.judge.batch;
  const adopted = own?.adopted ?? [];

  const log = { info: (m: string) => io.log.info(m), warn: (m: string) => io.log.warning(m) };
  keepYoungGenerationSmall();
  const result = await scoreSamples(
    items,
    {
      transport: createOpenAIJudge(endpoint),
      cache,
      log,
      ...(extras.onPrepared ? { onPrepared: extras.onPrepared } : {}),
      ...(batchMode || adopted.length > 0
        ? { batchApi: createOpenAIBatchApi(endpoint), pendingBatches: adopted }
        : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    },
    {
      model: config.judge.model,
      scoring: config.judge.scoring,
      repeats: config.judge.repeats,
      concurrency: config.judge.concurrency,
      imageSize: config.generation.imageSize,
      templates,
      maxCostUsd,
      timeBudgetMs: Math.max(0, config.judge.timeBudgetMinutes * 60_000 - spent.ms),
      prices: { ...DEFAULT_PRICES, ...parsePriceOverrides(io.env.DREAMBENCH_PRICES) },
      secrets: [apiKey],
      // Another endpoint (an Azure deployment, a proxy) may serve another model: not the same judgment.
      endpoint: judgeBaseUrl(config, io.env) ?? 'default',
      ...(batchMode ? { batch: batchJudging(config, ctx, own.configurationKey) } : {}),
    },
  );
  if (persist) await saveJudgeCache(cache.dir, config.judge.model, runKey, io.log);
  io.log.info(closingLine(result, extras.what ?? 'Judged'));
  return result;
}

function closingLine({ stats: s }: ScoreResult, what: string): string {
  const waited = s.rateLimited > 0 ? `; ${s.rateLimited} answers 429 waited out` : '';
  const cut = s.lengthRetries > 0 ? `; ${s.lengthRetries} replies cut short asked again` : '';
  const b = s.batch;
  const batches = b
    ? `; Batch API: ${b.batches} batch(es) of ${b.requests} requests, ${(b.bytesUploaded / 1e6).toFixed(1)} MB uploaded, ` +
      `${b.followUpBatches} follow-up batch(es), ${b.realtimeFollowUps} asked again in realtime, ${b.collected} collected from an earlier run's batches`
    : '';
  const prices = s.judgingMode === 'batch' ? ' at Batch API prices (half the realtime price)' : '';
  return (
    `${what} ${s.scored}/${s.samples} samples: ${s.calls} calls, ${s.cacheHits} cache hits, ` +
    `$${s.costUsd.toFixed(4)} estimated${prices}${batches}${waited}${cut}`
  );
}

/** `judge-batch: true`: how long to wait, where input files go, and what names the batches. */
function batchJudging(config: Config, ctx: RunContext, configurationKey: string): BatchJudging {
  return {
    waitMs: config.judge.batchWaitMinutes * 60_000,
    spoolDir: path.join(ctx.workDir, 'batch-input'),
    metadata: batchMetadata({
      source: 'dreambench-action',
      repository: `${ctx.repository.owner}/${ctx.repository.repo}`,
      run: ctx.runUrl,
      workflow: ctx.workflowFile ?? ctx.workflow,
      ref: ctx.ref,
      sha: ctx.sha,
      event: ctx.eventName,
      judge_model: config.judge.model,
      configuration: configurationKey,
      artifact: config.artifactName,
    }),
  };
}
