// A run whose judgments wait on batches still running: it publishes nothing (no results
// artifact, no baseline, no comment), says so in the log and the job summary, and ends skipped;
// the batches are already recorded for the next run (pending-batches.ts).
import type { Config } from '../config.ts';
import { pendingLine, renderPendingSummary, type PendingView } from '../report/pending-summary.ts';
import type { ScoreResult } from '../score/score-samples.ts';
import { TERMINAL_STATES } from '../score/transport/batch/batch-api.ts';
import type { RunContext } from './context.ts';
import type { RunIO } from './io.ts';
import { SKIPPED, type Outcome } from './outputs.ts';

/** Judgments of this run that wait on a batch: then it is not finished. */
export function isPending(scored: ScoreResult): boolean {
  return scored.failures.some((f) => f.kind === 'pending');
}

export async function reportPending(
  config: Config,
  ctx: RunContext,
  io: RunIO,
  mode: 'check' | 'baseline',
  planned: number,
  scored: ScoreResult & { readonly pendingRecorded: boolean },
): Promise<Outcome> {
  const view: PendingView = {
    pendingSamples: scored.failures.filter((f) => f.kind === 'pending').length,
    planned,
    // Those still running (the record also holds the batches this run read, for their answers).
    batches: scored.pending
      .filter((b) => !(TERMINAL_STATES as readonly string[]).includes(b.status))
      .map((b) => ({ id: b.id, status: b.status, requests: b.lines.length })),
    waitMinutes: config.judge.batchWaitMinutes,
    recorded: scored.pendingRecorded,
    mode,
    runUrl: ctx.runUrl,
  };
  io.log.warning(pendingLine(view));
  try {
    await io.writeSummary(renderPendingSummary(view));
  } catch (error) {
    io.log.warning(`The job summary was not written: ${(error as Error).message}`);
  }
  return {
    ...SKIPPED,
    scored: scored.stats.scored,
    failed: scored.failures.filter((f) => f.kind !== 'pending').length,
    costUsd: scored.stats.costUsd,
  };
}
