// Number formatting shared by every report: metrics on the 0-1 scale with 3 decimals, signed
// deltas with a real minus sign, intervals, p-values, judge scores, money and counts.
import type { Interval } from '../compare/index.ts';

const MINUS = '\u2212';
const NONE = '—';

/** A 0-1 metric, e.g. `0.612`; `—` when there is no value. */
export function metric(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? NONE : v.toFixed(3);
}

function signed(v: number, digits: number): string {
  const text = Math.abs(v).toFixed(digits);
  if (Number(text) === 0) return `±${text}`;
  return `${v < 0 ? MINUS : '+'}${text}`;
}

/** A delta on the 0-1 scale: `+0.012`, `−0.034`, `±0.000`. */
export function delta(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? NONE : signed(v, 3);
}

/** One end of an interval: `−0.051`, `0.012`. */
export function plain(v: number): string {
  return v < 0 ? `${MINUS}${Math.abs(v).toFixed(3)}` : v.toFixed(3);
}

/** A confidence interval: `[−0.051, −0.012]`; `—` when the group was too sparse. */
export function interval(ci: Interval | null | undefined): string {
  return ci === null || ci === undefined ? NONE : `[${plain(ci[0])}, ${plain(ci[1])}]`;
}

/** A p-value: three decimals, `<0.001` below that. */
export function pValue(p: number): string {
  if (!Number.isFinite(p)) return NONE;
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** A judge score on the 0-4 scale: integers as-is, expected scores with 2 decimals. */
export function judgeScore(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** A judge-scale change: `+2`, `−1.25`, `±0`. */
export function judgeDelta(v: number): string {
  return signed(v, Number.isInteger(v) ? 0 : 2);
}

export function usd(v: number): string {
  return `$${v < 0.01 && v > 0 ? v.toFixed(4) : v.toFixed(2)}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Percent of the confidence level: 0.95 → `95%`, 0.975 → `97.5%`. */
export function percent(confidence: number): string {
  return `${Number((confidence * 100).toFixed(1))}%`;
}

export function shortSha(sha: string): string {
  return sha.replace(/[^0-9a-f]/gi, '').slice(0, 7);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** A category or prompt class as a reader sees it: `style_transfer` → `style transfer`. */
export function groupName(name: string): string {
  return name.replace(/_/g, ' ');
}
