// The PR comment: the marker on the first line, the verdict, the main table, collapsed details,
// all under GitHub's comment limit.
import { GITHUB_COMMENT_LIMIT } from '../constants.ts';
import { characters, fitSections } from './fit.ts';
import type { ReportInput } from './model.ts';
import { reportSections, type ReportStyle } from './sections.ts';

export const COMMENT_STYLE: ReportStyle = {
  expanded: false,
  full: false,
  topChanges: 10,
  replyChars: 600,
  promptChars: 300,
  reasonChars: 200,
  maxFailureKinds: 12,
};

function trimNote(omitted: readonly string[]): string {
  return (
    `> [!NOTE]\n> Trimmed to fit GitHub's comment limit: left out ${omitted.join('; ')}. ` +
    `The full report is in the job summary and in report.md of the results artifact.`
  );
}

/** `limit` is GitHub's by default; tests and callers with a smaller budget may lower it. */
export function renderComment(input: ReportInput, limit: number = GITHUB_COMMENT_LIMIT): string {
  return `${fitSections(reportSections(input, COMMENT_STYLE), limit - 1, characters, trimNote)}\n`;
}
