// The report stage: the PR comment, the job summary / report.md, and the contact sheet.
export { renderComment, COMMENT_STYLE } from './comment.ts';
export { renderSummary, SUMMARY_STYLE, STEP_SUMMARY_LIMIT } from './summary.ts';
export {
  buildContactSheet,
  contactSheetLayout,
  type ContactSheetRow,
  type ContactSheetOptions,
  type ContactSheetLayout,
} from './contact-sheet.ts';
export { escapeHtml, escapeMarkdown, escapeXml, truncate, safeUrl } from './escape.ts';
export { verdictHeadline } from './headline.ts';
export { groupFailures, type FailureGroup } from './failures.ts';
export type { ReportStyle } from './sections.ts';
export type * from './model.ts';
export { ContactSheetImageError, ContactSheetOptionError } from './errors.ts';
