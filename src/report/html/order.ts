// Which samples the report shows first, and which keep their images when the page must stay under
// its size bound: failures (whatever images exist) and the largest changes come first.
import { METRICS } from '../../types.ts';
import type { ReportSample } from './model.ts';

/** The larger of the CP and PF changes on the 0-4 scale; undefined without both sides of one. */
export function changeOf(s: ReportSample): number | undefined {
  const moves = METRICS.flatMap((m) => {
    const pr = s.pr?.[m];
    const base = s.base?.[m];
    return pr === null || pr === undefined || base === null || base === undefined
      ? []
      : [Math.abs(pr - base)];
  });
  return moves.length === 0 ? undefined : Math.max(...moves);
}

export function isChanged(s: ReportSample): boolean {
  return (changeOf(s) ?? 0) > 0;
}

const byId = (a: ReportSample, b: ReportSample) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The samples that ended scored, largest change first (ties by id, so the order is stable), then
 * those without a pair in plan order; and, apart, the failed ones in plan order.
 */
export function orderSamples(samples: readonly ReportSample[]): {
  readonly listed: ReportSample[];
  readonly failed: ReportSample[];
} {
  const failed = samples.filter((s) => s.failure !== undefined);
  const rest = samples.filter((s) => s.failure === undefined);
  const paired = rest
    .filter((s) => changeOf(s) !== undefined)
    .sort((a, b) => changeOf(b)! - changeOf(a)! || byId(a, b));
  const unpaired = rest.filter((s) => changeOf(s) === undefined);
  return { listed: [...paired, ...unpaired], failed };
}

/**
 * The ids whose images fit in `room` bytes, taken in `priority` order and stopping at the first
 * that does not fit, so that "the N largest changes have images" stays true.
 */
export function idsWithImages(
  priority: readonly string[],
  cost: (id: string) => number,
  room: number,
): Set<string> {
  const kept = new Set<string>();
  let left = room;
  for (const id of priority) {
    const c = cost(id);
    if (c > left) break;
    left -= c;
    kept.add(id);
  }
  return kept;
}
