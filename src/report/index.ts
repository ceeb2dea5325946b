// The report stage: the PR comment, the job summary / report.md, and the contact sheet.
export { renderComment } from './comment.ts';
export { renderSummary, STEP_SUMMARY_LIMIT } from './summary.ts';
export { buildContactSheet, contactSheetLayout, type ContactSheetRow } from './contact-sheet.ts';
export type * from './model.ts';
