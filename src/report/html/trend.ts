// The trend of recent baselines as inline SVG: the same points, range and colours as the comment's
// Mermaid chart, with the legend drawn in. It scales to its container (viewBox, width 100%).
import { chartBounds, chartPoints, pointLabel, SERIES } from '../history-chart.ts';
import type { HistoryPoint } from '../model.ts';

const W = 720;
const H = 300;
const PAD = { left: 48, right: 16, top: 40, bottom: 56 };

export function trendSvg(history: readonly HistoryPoint[]): string | undefined {
  const points = chartPoints(history);
  if (points.length === 0) return undefined;
  const [lo, hi] = chartBounds(points);
  const x = (i: number) => PAD.left + ((W - PAD.left - PAD.right) * (i + 0.5)) / points.length;
  const y = (v: number) => PAD.top + ((H - PAD.top - PAD.bottom) * (hi - v)) / (hi - lo || 1);
  const ticks = Array.from({ length: 5 }, (_, k) => lo + ((hi - lo) * k) / 4);
  const grid = ticks
    .map(
      (t) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/>` +
        `<text x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t.toFixed(2)}</text>`,
    )
    .join('');
  const labels = points
    .map(
      (p, i) =>
        `<text x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="end" transform="rotate(-40 ${x(i).toFixed(1)} ${H - PAD.bottom + 16})">${pointLabel(p, i)}</text>`,
    )
    .join('');
  const lines = SERIES.map((s) => {
    const xy = points.map((p, i) => `${x(i).toFixed(1)},${y(p[s.metric]).toFixed(1)}`);
    const dots = xy
      .map((c) => {
        const [cx, cy] = c.split(',');
        return `<circle cx="${cx}" cy="${cy}" r="3.5" fill="${s.colour}"/>`;
      })
      .join('');
    return `<polyline points="${xy.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2.5"/>${dots}`;
  }).join('');
  const legend = SERIES.map(
    (s, i) =>
      `<g transform="translate(${PAD.left + i * 230} 14)"><rect width="18" height="6" y="-3" fill="${s.colour}"/>` +
      `<text x="24" y="4">${s.label}</text></g>`,
  ).join('');
  return (
    `<svg class="trend" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="trend-title" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="trend-title">CP and PF of the last ${points.length} baselines, oldest first (0-1 scale)</title>` +
    `${legend}${grid}${labels}${lines}</svg>`
  );
}
