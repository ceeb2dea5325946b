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
  return restoreFolder('judge cache', dir, key, restorePrefix, log);
}

/** Saves the folder under this run's key. A key that already exists (re-run) is not an error. */
export async function saveJudgeCache(
  dir: string,
  model: string,
  runId: string,
  log: PersistLogger,
): Promise<void> {
  await saveFolder('judge cache', dir, judgeCacheKeys(model, runId).key, log);
}

/**
 * Restores `dir` from the newest Actions cache entry whose key starts with `restorePrefix`
 * (`key` itself first); the key restored from, or `undefined`. `what` names it in the log.
 */
export async function restoreFolder(
  what: string,
  dir: string,
  key: string,
  restorePrefix: string,
  log: PersistLogger,
): Promise<string | undefined> {
  if (!cache.isFeatureAvailable()) {
    log.info(`${what}: the Actions cache service is not available here; starting empty`);
    return undefined;
  }
  try {
    const hit = await cache.restoreCache([dir], key, [restorePrefix]);
    log.info(hit ? `${what}: restored ${hit}` : `${what}: no earlier entry`);
    return hit;
  } catch (error) {
    log.warning(`${what}: restore failed, continuing without: ${(error as Error).message}`);
    return undefined;
  }
}

/** Saves `dir` (or several) under `key`; `false` when not saved (the service's problems only warn). */
export async function saveFolder(
  what: string,
  dir: string | readonly string[],
  key: string,
  log: PersistLogger,
): Promise<boolean> {
  if (!cache.isFeatureAvailable()) return false;
  try {
    // saveCache reports a refused reservation (the key exists: a re-run) by returning -1.
    const id = await cache.saveCache(typeof dir === 'string' ? [dir] : [...dir], key);
    if (id === -1) {
      log.info(`${what}: not saved, ${key} already exists or the service refused it`);
      return false;
    }
    log.info(`${what}: saved ${key}`);
    return true;
  } catch (error) {
    log.warning(`${what}: save failed: ${(error as Error).message}`);
    return false;
  }
}
