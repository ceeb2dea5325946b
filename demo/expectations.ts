// What the demo expects of its three runs (pure). A failed PR check is the point of the demo; a
// failed baseline, a missing comment, trend chart, report or contact sheet is not, and makes the
// demo exit 1.

export interface RunView {
  readonly exitCode: number | null;
  readonly outputs: Readonly<Record<string, string>>;
}

export interface DemoOutcome {
  readonly judge: 'stand-in' | 'openai';
  /** The first baseline (a nightly run); `baseline` is the second, the one the PR compares with. */
  readonly nightly: RunView;
  readonly baseline: RunView;
  readonly pr: RunView;
  /** The PR comment as the GitHub server holds it; undefined when none was posted. */
  readonly comment: string | undefined;
  readonly marker: string;
  readonly contactSheet: boolean;
  /** The PR run uploaded its HTML report. */
  readonly report: boolean;
}

/** Everything that went other than planned, one sentence each; empty when all is well. */
function baselineProblems(name: string, run: RunView, firstVerdict: boolean): string[] {
  const problems: string[] = [];
  if (run.exitCode !== 0) problems.push(`the ${name} run exited with ${run.exitCode}, expected 0`);
  // The first baseline has nothing to compare with; the second shows its drift, never gated.
  if (firstVerdict && run.outputs.verdict !== 'no-baseline')
    problems.push(`the ${name} run's verdict is "${run.outputs.verdict}", expected "no-baseline"`);
  if (!firstVerdict && (run.outputs['concept-preservation-delta'] ?? '') === '')
    problems.push(`the ${name} run did not compare with the nightly baseline`);
  if (run.outputs['samples-failed'] !== '0')
    problems.push(`the ${name} run failed ${run.outputs['samples-failed']} samples, expected 0`);
  return problems;
}

/** Everything that went other than planned, one sentence each; empty when all is well. */
export function unexpectedOutcomes(o: DemoOutcome): string[] {
  const problems = [
    ...baselineProblems('nightly baseline', o.nightly, true),
    ...baselineProblems('push baseline', o.baseline, false),
  ];
  // The stand-in judge is deterministic, so the worse toy model must regress; a real judge may
  // legitimately judge otherwise, but must still produce a comparison.
  const allowed = o.judge === 'stand-in' ? ['regression'] : ['regression', 'pass', 'improvement'];
  const verdict = o.pr.outputs.verdict ?? '';
  if (!allowed.includes(verdict))
    problems.push(
      `the PR run's verdict is "${verdict}", expected ${allowed.map((v) => `"${v}"`).join(' or ')}`,
    );
  const expectedExit = verdict === 'regression' ? 1 : 0;
  if (o.pr.exitCode !== expectedExit)
    problems.push(
      `the PR run exited with ${o.pr.exitCode}, expected ${expectedExit} for "${verdict}"`,
    );
  if (o.comment === undefined) problems.push('the PR run posted no comment');
  else if (!o.comment.startsWith(o.marker))
    problems.push(`the PR comment does not start with the marker ${o.marker}`);
  else if (!o.comment.includes('```mermaid'))
    problems.push('the PR comment shows no trend chart of the two baselines');
  if (!o.contactSheet && verdict === 'regression')
    problems.push('the PR run uploaded no contact sheet');
  if (!o.report) problems.push('the PR run uploaded no HTML report');
  return problems;
}

/** The files a demo run leaves in its output folder. */
export const OUTPUT_FILES = [
  'report.html',
  'comment.md',
  'summary.md',
  'results.json',
  'baseline-results.json',
  'contact-sheet.jpg',
  'log.txt',
] as const;
