// A Mermaid line chart of recent baselines' CP and PF (GitHub renders ```mermaid blocks).
// Labels are built from the commit sha's hex digits only, so nothing outside can reach the chart.
import type { Metric } from '../types.ts';
import { shortSha } from './format.ts';
import type { HistoryPoint } from './model.ts';

const MAX_POINTS = 20;

type Complete = HistoryPoint & { readonly cp: number; readonly pf: number };

function bounds(values: readonly number[]): [number, number] {
  const lo = Math.max(0, Math.floor((Math.min(...values) - 0.05) * 20) / 20);
  const hi = Math.min(1, Math.ceil((Math.max(...values) + 0.05) * 20) / 20);
  return [lo, hi];
}

/** undefined unless at least 2 baselines have both metrics. */
export function historyChart(history: readonly HistoryPoint[]): string | undefined {
  const points = history
    .filter(
      (h): h is Complete =>
        h.cp !== null && h.pf !== null && Number.isFinite(h.cp) && Number.isFinite(h.pf),
    )
    .slice(-MAX_POINTS);
  if (points.length < 2) return undefined;
  const labels = points.map((p, i) => `"${shortSha(p.sha) || `#${i + 1}`}"`);
  const [lo, hi] = bounds(points.flatMap((p) => [p.cp, p.pf]));
  const line = (m: Metric) => `  line [${points.map((p) => p[m].toFixed(3)).join(', ')}]`;
  return [
    `### Baseline history (last ${points.length})`,
    '',
    'CP is the first line, PF the second (0-1 scale, oldest first; the chart has no legend).',
    '',
    '```mermaid',
    'xychart-beta',
    '  title "CP and PF of recent baselines"',
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "score" ${lo.toFixed(2)} --> ${hi.toFixed(2)}`,
    line('cp'),
    line('pf'),
    '```',
  ].join('\n');
}
