// Batches a run left pending (`judge-batch`: still running when the step stopped waiting), kept
// where the next run of the same workflow and configuration finds them. On a runner that is the
// Actions cache, as for the judge cache: one entry per run under a key naming the configuration,
// the newest restored by prefix. Why not an artifact: a cache entry needs no `actions: read` call
// or successful-run filter to find, is scoped to the branch (a pull request's run never takes a
// nightly's batches for its own), and a later run supersedes it with its own entry (an empty one
// once collected), so a batch is collected once. Off a runner the record is a folder on disk.
// The record holds the batch ids and, per line, the custom_id and the sha256 of the request body
// (the next run recognises its own identical requests by their bytes), the plan (samples), the
// judge-size images those requests were built from, and the configuration. The collecting run
// needs only the ids and hashes, so on a runner the images go in an entry of their own, which the
// record names and no run restores (a collecting run does not download them).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { ArtifactFiles } from '../constants.ts';
import type { PlannedSample } from '../results/schema.ts';
import { restoreFolder, saveFolder } from '../score/judgment/cache-persist.ts';
import { parsePendingBatches, type PendingBatch } from '../score/transport/batch/pending.ts';
import type { RunContext } from './context.ts';
import { judgeBaseUrl } from './fingerprint.ts';
import type { RunIO } from './io.ts';

export const PENDING_FILE = 'pending-batches.json';
const RECORD_VERSION = 1;

/** What makes two runs "the same configuration": the same batch requests would come of them. */
export function configurationOf(
  config: Config,
  ctx: RunContext,
  env: NodeJS.ProcessEnv,
  templatesSha256: string,
) {
  const source = config.dataset.source;
  return {
    workflow: ctx.workflowFile ?? ctx.workflow,
    ref: ctx.ref,
    judgeModel: config.judge.model,
    endpoint: judgeBaseUrl(config, env) ?? 'default',
    scoring: config.judge.scoring,
    repeats: config.judge.repeats,
    imageSize: config.generation.imageSize,
    templates: templatesSha256,
    dataset: source.kind === 'preset' ? source.name : source.path,
    revision: config.dataset.revision,
    samples: config.sampling.size,
    seed: config.sampling.seed,
    categories: config.sampling.categories.join(','),
    shard: config.shard ? `${config.shard.index}/${config.shard.count}` : '',
    artifactName: config.artifactName,
  };
}
export type Configuration = ReturnType<typeof configurationOf>;

/** 16 hex digits of the configuration's sha256: the cache key's and the batches' metadata. */
export function configurationKey(configuration: Configuration): string {
  return createHash('sha256').update(JSON.stringify(configuration)).digest('hex').slice(0, 16);
}

export interface PendingRecord {
  readonly version: number;
  readonly configurationKey: string;
  readonly configuration: Configuration;
  readonly run: {
    readonly id: number;
    readonly attempt: number;
    readonly url: string;
    readonly sha: string;
    readonly event: string;
    readonly recordedAt: string;
  };
  /** Empty once a later run collected them: that run's record supersedes the older one. */
  readonly batches: readonly PendingBatch[];
  /** The plan of the run that submitted them. */
  readonly samples: readonly PlannedSample[];
  /**
   * On a runner, the Actions cache entry that holds the judge-size images (the results folder's
   * `images/` and `references/`); off a runner they are beside this file.
   */
  readonly imagesCacheKey?: string;
}

export interface PendingStore {
  readonly key: string;
  /** The record the last run of this configuration left, if any (a damaged one is ignored, said). */
  restore(): Promise<PendingRecord | undefined>;
  /**
   * Records `batches` (the judge-size images of `resultsDir` with them); empty: nothing pending any
   * more. False when the record was not kept (a warning said so): the next run will not collect them.
   */
  save(
    batches: readonly PendingBatch[],
    samples: readonly PlannedSample[],
    resultsDir: string,
  ): Promise<boolean>;
}

/** `localDir`: where records live off a runner (beside the judge cache). */
export function pendingStore(
  config: Config,
  ctx: RunContext,
  io: RunIO,
  templatesSha256: string,
  localDir: string,
): PendingStore {
  const configuration = configurationOf(config, ctx, io.env, templatesSha256);
  const key = configurationKey(configuration);
  const onRunner = ctx.isGitHubActions;
  const dir = onRunner
    ? path.join(ctx.workDir, 'pending-batches')
    : path.join(localDir, 'pending-batches', key);
  const prefix = `dreambench-batch-v${RECORD_VERSION}-${key}--`;
  const runKey = `${ctx.runId}-${ctx.runAttempt}`;
  // Not under `prefix`, so that restoring the newest record never finds it.
  const imagesKey = `dreambench-batch-images-v${RECORD_VERSION}-${key}--${runKey}`;
  const what = 'pending batches';
  return {
    key,
    async restore() {
      if (onRunner) {
        await rm(dir, { recursive: true, force: true });
        const hit = await restoreFolder(what, dir, `${prefix}${runKey}`, prefix, io.log);
        if (!hit) return undefined;
      }
      return readRecord(path.join(dir, PENDING_FILE), key, io);
    },
    async save(batches, samples, resultsDir) {
      // The judge was paid before this: a record that cannot be written must not fail the run.
      try {
        await write(batches, samples, resultsDir);
        return true;
      } catch (error) {
        const ids = batches.map((b) => b.id).join(', ');
        io.log.warning(
          `The pending-batches record was not written (${(error as Error).message})` +
            (ids
              ? `: the next run of this configuration will not collect ${ids} (they stay in the OpenAI dashboard, Batches)`
              : ''),
        );
        return false;
      }
    },
  };

  /**
   * Keeps the images the batches were built from: beside the record off a runner, in an entry of
   * their own on one (its key returned when saved).
   */
  async function keepImages(resultsDir: string): Promise<string | undefined> {
    const folders = imageFolders(resultsDir);
    if (!onRunner) {
      try {
        for (const f of folders) await cp(f, path.join(dir, path.basename(f)), { recursive: true });
      } catch (error) {
        // The next run collects by ids and hashes alone: the record goes on without them.
        io.log.warning(
          `The judge-size images were not kept with the pending-batches record (${(error as Error).message})`,
        );
      }
      return undefined;
    }
    const saved =
      folders.length > 0 &&
      (await saveFolder(`${what} (judge-size images)`, folders, imagesKey, io.log));
    return saved ? imagesKey : undefined;
  }

  async function write(
    batches: readonly PendingBatch[],
    samples: readonly PlannedSample[],
    resultsDir: string,
  ): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const imagesCacheKey = batches.length > 0 ? await keepImages(resultsDir) : undefined;
    const record: PendingRecord = {
      version: RECORD_VERSION,
      configurationKey: key,
      configuration,
      run: {
        id: ctx.runId,
        attempt: ctx.runAttempt,
        url: ctx.runUrl,
        sha: ctx.sha,
        event: ctx.eventName,
        recordedAt: io.now().toISOString(),
      },
      batches,
      samples: batches.length > 0 ? samples : [],
      ...(imagesCacheKey ? { imagesCacheKey } : {}),
    };
    await writeFile(path.join(dir, PENDING_FILE), `${JSON.stringify(record, null, 2)}\n`);
    // Not taken (no cache service, a refusal, an error): said as a record not written is.
    if (onRunner && !(await saveFolder(what, dir, `${prefix}${runKey}`, io.log)))
      throw new Error(`the Actions cache did not take ${prefix}${runKey}`);
    const ids = batches.map((b) => b.id).join(', ');
    io.log.info(
      batches.length > 0
        ? `Recorded ${batches.length} pending batch(es) (${ids}) for the next run of this configuration (${key})`
        : `Recorded that no batch is pending any more for this configuration (${key})`,
    );
  }
}

/** The judge-size images of `resultsDir` (a run that prepared no image of a kind has no folder). */
function imageFolders(resultsDir: string): string[] {
  return [ArtifactFiles.Images, ArtifactFiles.References]
    .map((f) => path.join(resultsDir, f))
    .filter((f) => existsSync(f));
}

async function readRecord(
  file: string,
  key: string,
  io: RunIO,
): Promise<PendingRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const ignore = (why: string) => {
    io.log.warning(`The pending-batches record ${file} is ignored: ${why}`);
    return undefined;
  };
  let value: Partial<PendingRecord>;
  try {
    value = JSON.parse(text) as Partial<PendingRecord>;
  } catch (error) {
    return ignore(`not JSON (${(error as Error).message})`);
  }
  if (value.version !== RECORD_VERSION)
    return ignore(`version ${String(value.version)}, not ${RECORD_VERSION}`);
  if (value.configurationKey !== key) return ignore('it was made by another configuration');
  const batches = parsePendingBatches(value.batches);
  if (!Array.isArray(batches)) return ignore(batches.problem);
  return { ...(value as PendingRecord), batches };
}
