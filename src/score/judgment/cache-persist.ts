// Carries the judge cache folder across workflow runs with the Actions cache service.
// Thin edge over @actions/cache (exercised against the loopback cache service in
// test/score/cache-persist.test.ts).
import * as cache from '@actions/cache';

/**
 * Keys are `dreambench-judge-v1-<model>--<runId>`; any earlier run of the same model restores.
 * The model's own dashes are collapsed so that `--` only ever ends it: otherwise the prefix of
 * `gpt-4o` would also match (and restore) a newer `gpt-4o-mini` entry.
 */
export function judgeCacheKeys(
  model: string,
  runId: string,
): { key: string; restorePrefix: string } {
  const safeModel = model.replace(/[^A-Za-z0-9._-]/g, '_').replace(/-+/g, '-');
  const restorePrefix = `dreambench-judge-v1-${safeModel}--`;
  return { key: `${restorePrefix}${runId}`, restorePrefix };
}

export interface PersistLogger {
  info(message: string): void;
  warning(message: string): void;
}

/** Returns the key restored from, or `undefined` on a miss. Service problems only warn. */
export async function restoreJudgeCache(
  dir: string,
  model: string,
  runId: string,
  log: PersistLogger,
): Promise<string | undefined> {
  const { key, restorePrefix } = judgeCacheKeys(model, runId);
  if (!cache.isFeatureAvailable()) {
    log.info('judge cache: the Actions cache service is not available here; starting empty');
    return undefined;
  }
  try {
    const hit = await cache.restoreCache([dir], key, [restorePrefix]);
    log.info(hit ? `judge cache: restored ${hit}` : 'judge cache: no earlier entry');
    return hit;
  } catch (error) {
    log.warning(`judge cache: restore failed, continuing without: ${(error as Error).message}`);
    return undefined;
  }
}

/** Saves the folder under this run's key. A key that already exists (re-run) is not an error. */
export async function saveJudgeCache(
  dir: string,
  model: string,
  runId: string,
  log: PersistLogger,
): Promise<void> {
  if (!cache.isFeatureAvailable()) return;
  const { key } = judgeCacheKeys(model, runId);
  try {
    // saveCache reports a refused reservation (the key exists: a re-run) by returning -1.
    const id = await cache.saveCache([dir], key);
    if (id === -1)
      log.info(`judge cache: not saved, ${key} already exists or the service refused it`);
    else log.info(`judge cache: saved ${key}`);
  } catch (error) {
    log.warning(`judge cache: save failed: ${(error as Error).message}`);
  }
}
