// A Mermaid line chart of recent baselines' CP and PF (GitHub renders ```mermaid blocks). Mermaid's
// xychart has no legend and pale default colours, so the lines get strong colours from a fixed
// palette and a legend line above the chart names each series by its colour.
// Labels are built from the commit sha's hex digits only, so nothing outside can reach the chart.
import type { Metric } from '../types.ts';
import { shortSha } from './format.ts';
import type { HistoryPoint } from './model.ts';

const MAX_POINTS = 20;

/** One colour per series, strong on GitHub's light and dark backgrounds; the legend names them. */
export const SERIES: readonly {
  readonly metric: Metric;
  readonly label: string;
  readonly colour: string;
  readonly swatch: string;
}[] = [
  { metric: 'cp', label: 'CP concept preservation', colour: '#0969da', swatch: '🟦' },
  { metric: 'pf', label: 'PF prompt following', colour: '#bc4c00', swatch: '🟧' },
];

export type ChartPoint = HistoryPoint & { readonly cp: number; readonly pf: number };

/** The baselines with both metrics, oldest first, at most the last 20; [] when fewer than 2. */
export function chartPoints(history: readonly HistoryPoint[]): ChartPoint[] {
  const points = history
    .filter(
      (h): h is ChartPoint =>
        h.cp !== null && h.pf !== null && Number.isFinite(h.cp) && Number.isFinite(h.pf),
    )
    .slice(-MAX_POINTS);
  return points.length < 2 ? [] : points;
}

/** The y range: the values with a margin, on a 0.05 grid, within 0-1. */
export function chartBounds(points: readonly ChartPoint[]): [number, number] {
  const values = points.flatMap((p) => [p.cp, p.pf]);
  const lo = Math.max(0, Math.floor((Math.min(...values) - 0.05) * 20) / 20);
  const hi = Math.min(1, Math.ceil((Math.max(...values) + 0.05) * 20) / 20);
  return [lo, hi];
}

/** An x label per point: the commit's short sha, or its position. */
export function pointLabel(p: ChartPoint, i: number): string {
  return shortSha(p.sha) || `#${i + 1}`;
}

/** undefined unless at least 2 baselines have both metrics. */
export function historyChart(history: readonly HistoryPoint[]): string | undefined {
  const points = chartPoints(history);
  if (points.length === 0) return undefined;
  const labels = points.map((p, i) => `"${pointLabel(p, i)}"`);
  const [lo, hi] = chartBounds(points);
  const line = (m: Metric) => `  line [${points.map((p) => p[m].toFixed(3)).join(', ')}]`;
  const legend = SERIES.map((s) => `${s.swatch} **${s.label}**`).join(' · ');
  return [
    `### Baseline history (last ${points.length})`,
    '',
    `${legend} (0-1 scale, oldest first)`,
    '',
    '```mermaid',
    '---',
    'config:',
    '  themeVariables:',
    '    xyChart:',
    `      plotColorPalette: "${SERIES.map((s) => s.colour).join(', ')}"`,
    '---',
    'xychart-beta',
    '  title "CP and PF of recent baselines"',
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "score (0-1)" ${lo.toFixed(2)} --> ${hi.toFixed(2)}`,
    ...SERIES.map((s) => line(s.metric)),
    '```',
  ].join('\n');
}
