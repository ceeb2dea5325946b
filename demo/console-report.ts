// The short report the demo prints at the end (pure: text from the runs' outputs).
import { pathToFileURL } from 'node:url';

export interface ReportInput {
  readonly judgeLabel: string;
  readonly standIn: boolean;
  readonly benchmark: string;
  /** TOY_QUALITY of the three runs. */
  readonly qualities: { readonly nightly: string; readonly baseline: string; readonly pr: string };
  readonly nightly: Readonly<Record<string, string>>;
  readonly baseline: Readonly<Record<string, string>>;
  readonly pr: Readonly<Record<string, string>>;
  readonly prExitCode: number | null;
  /** Label -> absolute path, in display order. */
  readonly files: ReadonlyArray<readonly [string, string]>;
  /** The HTML report to open in a browser, when the PR run uploaded one. */
  readonly open?: string;
  readonly seconds: number;
  readonly problems: readonly string[];
}

const METRICS = [
  ['CP   ', 'concept-preservation'],
  ['PF   ', 'prompt-following'],
  ['CP·PF', 'cp-pf'],
] as const;

function metricLines(input: ReportInput): string[] {
  return METRICS.map(([label, key]) => {
    const delta = input.pr[`${key}-delta`];
    return `  ${label}  baseline ${input.baseline[key] ?? '-'}   PR ${input.pr[key] ?? '-'}   delta ${delta || '-'}`;
  });
}

function checkLine(input: ReportInput): string {
  const verdict = input.pr.verdict ?? '(none)';
  if (input.prExitCode === 0) return `  check: ✓ passed (verdict ${verdict})`;
  return `  check: ✗ FAILED (verdict ${verdict}, exit code ${input.prExitCode}) — as it would on GitHub`;
}

export function formatReport(input: ReportInput): string {
  const width = Math.max(...input.files.map(([label]) => label.length));
  const lines = [
    '',
    '── dreambench-action demo ──',
    `  judge: ${input.judgeLabel}`,
    `  benchmark: ${input.benchmark}`,
    '',
    `  nightly on main (toy model, quality ${input.qualities.nightly}): baseline published, ` +
      `${input.nightly['samples-scored'] ?? '?'} samples scored`,
    `  push to main (toy model, quality ${input.qualities.baseline}): baseline published, ` +
      `${input.baseline['samples-scored'] ?? '?'} samples scored, ` +
      `CP ${input.baseline['concept-preservation-delta'] || '-'} against the nightly (shown, not gated)`,
    `  pull request (toy model, quality ${input.qualities.pr}):`,
    ...metricLines(input),
    checkLine(input),
    ...(input.standIn ? ['  (stand-in judge: the numbers only show the pipeline working)'] : []),
    '',
    '  files:',
    ...input.files.map(([label, file]) => `    ${label.padEnd(width)}  ${file}`),
    ...(input.open
      ? ['', `  open the visual report in a browser: ${pathToFileURL(input.open).href}`]
      : []),
    '',
    `  took ${input.seconds.toFixed(1)} s`,
  ];
  if (input.problems.length > 0) {
    lines.push('', '  UNEXPECTED — the demo did not behave as designed:');
    lines.push(...input.problems.map((p) => `    - ${p}`));
  } else {
    lines.push('  demo: everything behaved as expected (exit 0)');
  }
  return lines.join('\n');
}
