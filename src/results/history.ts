// The short history of baselines that results.json carries forward for the trend chart.
import type { HistoryPoint } from '../report/model.ts';

export const HISTORY_LIMIT = 30;

/** The previous history plus this run, newest last, without duplicates, at most `limit` long. */
export function extendHistory(
  previous: readonly HistoryPoint[],
  current: HistoryPoint,
  limit = HISTORY_LIMIT,
): HistoryPoint[] {
  const kept = previous.filter((p) => p.runId !== current.runId);
  return [...kept, current].slice(-limit);
}
