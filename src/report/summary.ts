// The job summary and report.md: the comment's report with everything expanded — all breakdowns,
// the full failure list, longer judge replies, the fingerprint and the method.
import { fitSections, utf8Bytes } from './fit.ts';
import type { ReportInput } from './model.ts';
import { reportSections, type ReportStyle } from './sections.ts';

/** GitHub rejects a step summary above 1 MiB (bytes). */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

export const SUMMARY_STYLE: ReportStyle = {
  expanded: true,
  full: true,
  topChanges: 25,
  replyChars: 3000,
  promptChars: 1000,
  reasonChars: 1000,
  maxFailureKinds: 100,
};

function trimNote(omitted: readonly string[]): string {
  return (
    `> [!NOTE]\n> Trimmed to fit the 1 MiB job-summary limit: left out ${omitted.join('; ')}. ` +
    `Every sample, reply and failure is in results.json of the results artifact.`
  );
}

export function renderSummary(input: ReportInput, limit: number = STEP_SUMMARY_LIMIT): string {
  return `${fitSections(reportSections(input, SUMMARY_STYLE), limit - 1, utf8Bytes, trimNote)}\n`;
}
