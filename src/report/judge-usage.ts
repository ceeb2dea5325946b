// What the judge was and what it cost: model asked for, snapshots served, scoring actually used,
// judgments from the cache and calls made, tokens, dollars, refusals and a budget stop.
import { CATEGORIES } from '../types.ts';
import { escapeMarkdown, truncate } from './escape.ts';
import * as f from './format.ts';
import type { JudgeView } from './model.ts';

function names(values: readonly string[], max = 5): string {
  if (values.length === 0) return 'not reported';
  const shown = values.slice(0, max).map((v) => escapeMarkdown(truncate(v, 80)));
  return values.length > max
    ? `${shown.join(', ')} and ${values.length - max} more`
    : shown.join(', ');
}

function scoringLine(j: JudgeView): string {
  const used = `${f.count(j.scoringUsed.expected)} expected, ${f.count(j.scoringUsed.sampled)} sampled`;
  const refusedLogprobs = j.refusedParameters?.includes('logprobs') ?? false;
  let fallback = '';
  if (j.scoringAsked !== undefined && j.scoringAsked !== j.scoring) {
    const why = refusedLogprobs
      ? 'the judge model refuses log-probabilities (`logprobs`)'
      : 'the endpoint gave no log-probabilities';
    fallback = ` (${j.scoringAsked} was asked for, but ${why}: each score is the integer the judge wrote)`;
  } else if (j.scoring === 'expected' && j.scoringUsed.sampled > 0) {
    fallback = ' (expected falls back to sampled where the endpoint gave no log-probabilities)';
  }
  return `Scoring: ${j.scoring}${fallback}, ${f.plural(j.repeats, 'repeat')} per image and metric; judgments used ${used}.`;
}

/** The account's limits, replies cut short, parameters the model refused: said when they happened. */
function pacingLines(j: JudgeView): string[] {
  const lines: string[] = [];
  if ((j.rateLimited ?? 0) > 0) {
    lines.push(
      `Rate limits: ${f.count(j.rateLimited!)} answers 429 (the account's limits) were waited out; no sample is lost to them.`,
    );
  }
  if ((j.timeBudgetStops ?? 0) > 0) {
    // A batch run's realtime calls are bounded by the batch wait, not by the time budget.
    const bound =
      j.judgingMode === 'batch'
        ? 'The time for realtime calls (judge-batch-wait-minutes and 15 minutes after it)'
        : 'The judge time budget (judge-time-budget-minutes)';
    lines.push(
      `⚠️ ${bound} ran out: ${f.plural(j.timeBudgetStops!, 'judgment')} not made; those samples are listed as failures.`,
    );
  }
  if ((j.lengthRetries ?? 0) > 0) {
    lines.push(
      `Replies cut short (finish_reason "length") and asked again with a larger limit: ${f.count(j.lengthRetries!)}.`,
    );
  }
  if (j.refusedParameters && j.refusedParameters.length > 0) {
    // Our own parameter names (max_tokens, temperature, logprobs), in code spans.
    const names = j.refusedParameters.map((p) => `\`${p}\``).join(', ');
    lines.push(`Parameters the judge model refuses, left out of its requests: ${names}.`);
  }
  return lines;
}

/** How the Batch API carried the judgments: batches, follow-ups, and what an earlier run's gave. */
function batchLine(j: JudgeView): string | undefined {
  const b = j.batch;
  if (!b) return undefined;
  const parts = [
    `${f.plural(b.batches, 'batch', 'batches')} of ${f.plural(b.requests, 'request')} (${(b.bytesUploaded / 1e6).toFixed(1)} MB uploaded)`,
  ];
  if (b.followUpBatches > 0)
    parts.push(`${f.plural(b.followUpBatches, 'follow-up batch', 'follow-up batches')}`);
  if (b.realtimeFollowUps > 0)
    parts.push(`${f.count(b.realtimeFollowUps)} asked again in realtime, at realtime prices`);
  if (b.collected > 0)
    parts.push(`${f.count(b.collected)} collected from batches an earlier run left pending`);
  return `Batch API: ${parts.join('; ')}.`;
}

/** More than one snapshot behind one run: the alias moved, mid-run or since cached judgments. */
function servedLine(j: JudgeView): string | undefined {
  if (j.servedModels.length < 2) return undefined;
  const counts = j.servedCounts ?? {};
  const each = j.servedModels
    .map((m) => {
      const n = counts[m];
      return `${escapeMarkdown(truncate(m, 80))}${n === undefined ? '' : ` (${f.plural(n, 'judgment')})`}`;
    })
    .join(', ');
  return (
    `⚠️ The judgments of this run come from more than one snapshot: ${each}. The endpoint moved ` +
    `the model to another snapshot during the run, or cached judgments are an older one's; the ` +
    `fingerprint records them all.`
  );
}

function refusalsLine(j: JudgeView): string | undefined {
  const parts = CATEGORIES.filter((c) => (j.refusalsByCategory[c] ?? 0) > 0).map(
    (c) => `${c} ${f.count(j.refusalsByCategory[c]!)}`,
  );
  return parts.length === 0 ? undefined : `Refusals by category: ${parts.join(', ')}.`;
}

function budgetLine(j: JudgeView): string | undefined {
  if (!j.budgetStopped) return undefined;
  const limit = j.maxCostUsd === undefined ? '' : ` of ${f.usd(j.maxCostUsd)}`;
  return `⚠️ The cost limit${limit} (max-cost-usd) stopped the judge early; unscored samples are listed as failures.`;
}

/** How the judgments came about: from the cache, or asked of the judge in how many calls. */
function callsLine(j: JudgeView): string {
  const judgments = j.cacheHits + j.cacheMisses;
  const calls = f.plural(j.calls, 'call');
  // Without the cache (cache: false) there are no hits or misses to tell, only calls.
  if (judgments === 0) return `Judge calls: ${f.count(j.calls)}`;
  return (
    `Judgments: ${f.count(j.cacheHits)} of ${f.count(judgments)} from the cache, ` +
    `the other ${f.count(j.cacheMisses)} asked of the judge in ${calls} (retries included)`
  );
}

export function judgeSection(j: JudgeView): string {
  const lines = [
    `Judge: ${escapeMarkdown(truncate(j.model, 80))}; served ${names(j.servedModels)}; system fingerprints ${names(j.systemFingerprints)}.`,
    servedLine(j),
    scoringLine(j),
    ...pacingLines(j),
    `${callsLine(j)}; ` +
      `tokens: ${f.count(j.promptTokens)} prompt (${f.count(j.cachedPromptTokens)} cached), ${f.count(j.completionTokens)} completion; ` +
      `cost: ${f.usd(j.costUsd)}${j.judgingMode === 'batch' ? ' at Batch API prices (half the realtime price)' : ''}.`,
    batchLine(j),
    refusalsLine(j),
    budgetLine(j),
  ].filter((l): l is string => l !== undefined);
  return `### Judge and cost\n\n${lines.map((l) => `- ${l}`).join('\n')}`;
}
