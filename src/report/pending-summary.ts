// The job summary of a run whose batches outlasted the wait (pure): what is still running, that
// nothing was published, and what the next run does with it.
import { escapeMarkdown, truncate } from './escape.ts';
import * as f from './format.ts';
import { link, table } from './markdown.ts';

export interface PendingView {
  /** Samples waiting on a batch, of all planned. */
  readonly pendingSamples: number;
  readonly planned: number;
  readonly batches: readonly {
    readonly id: string;
    readonly status: string;
    readonly requests: number;
  }[];
  /** `judge-batch-wait-minutes`. */
  readonly waitMinutes: number;
  /** The pending-batches record was kept; false: the next run will not collect these batches. */
  readonly recorded: boolean;
  readonly mode: 'check' | 'baseline';
  readonly runUrl: string;
}

/** One line for the log's warning annotation. */
export function pendingLine(v: PendingView): string {
  const ids = v.batches.map((b) => `${b.id} (${b.status})`).join(', ');
  const nothing = v.mode === 'baseline' ? 'no baseline is published' : 'no comparison or comment';
  return (
    `Judging is not finished: ${f.plural(v.pendingSamples, 'sample')} of ${f.count(v.planned)} wait on ` +
    `batches still running after judge-batch-wait-minutes (${v.waitMinutes}): ${ids}. ` +
    (v.recorded
      ? 'They are recorded, and the next run of this workflow and configuration collects them instead of paying again; '
      : `They could not be recorded (see the warning above), so the next run will not collect them; ${DASHBOARD}; `) +
    `nothing was published (${nothing}, no results artifact).`
  );
}

const DASHBOARD = 'they keep running, and their answers stay in the OpenAI dashboard (Batches)';

export function renderPendingSummary(v: PendingView): string {
  // Plain escaped text, not code spans: GitHub shows a backslash escape inside a code span as it
  // is, so `batch_…` would read `batch\_…`, not the id to look up or cancel.
  const rows = v.batches.map((b) => [
    escapeMarkdown(truncate(b.id, 80)),
    escapeMarkdown(b.status),
    f.count(b.requests),
  ]);
  const published =
    v.mode === 'baseline'
      ? 'No baseline was published: pull requests keep comparing with the last one.'
      : 'No comparison was made and no comment written.';
  return [
    '## DreamBench: judging not finished',
    '',
    `The OpenAI Batch API had not finished when the step stopped waiting ` +
      `(judge-batch-wait-minutes: ${v.waitMinutes}): ${f.plural(v.pendingSamples, 'sample')} of ` +
      `${f.count(v.planned)} wait on these batches, which keep running.`,
    '',
    table(['batch', 'status', 'requests'], rows, 'llr'),
    '',
    `${published} ` +
      (v.recorded
        ? 'The batches are recorded, and the next run of this workflow and configuration collects ' +
          'them: the judgments they answer are not asked, or paid for, again. '
        : 'The batches could not be recorded (the warning in the log says why), so the next run ' +
          `will not collect them and pays for those judgments again; ${DASHBOARD}. `) +
      "A longer judge-batch-wait-minutes (below the job's timeout-minutes) waits for them in this run.",
    '',
    link('Run', v.runUrl),
    '',
  ].join('\n');
}
