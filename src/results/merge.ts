// Pure: the partial results of n shards combined into one run's results.
import { fingerprintDiff, OBSERVED_FIELDS } from '../compare/index.ts';
import type { ScoreStats } from '../score/score-samples.ts';
import { ShardMergeError } from './errors.ts';
import type { ResultsFile } from './schema.ts';

export interface MergedShards {
  readonly samples: ResultsFile['samples'];
  readonly records: ResultsFile['records'];
  readonly failures: ResultsFile['failures'];
  readonly stats: ScoreStats;
  readonly fingerprint: ResultsFile['fingerprint'];
}

/** Adds counters field by field: numbers sum, nested counters merge, flags hold if all hold. */
function addCounters<T>(a: T, b: T): T {
  if (typeof a === 'number' && typeof b === 'number') return (a + b) as T;
  if (typeof a === 'boolean' && typeof b === 'boolean') return (a && b) as T;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
      out[k] = k in out ? addCounters(out[k], v) : v;
    }
    return out as T;
  }
  return a;
}

function checkComplete(shards: readonly ResultsFile[], artifactPrefix: string): void {
  if (shards.length === 0) {
    throw new ShardMergeError(`mode "merge" found no "${artifactPrefix}<i>" artifacts in this run`);
  }
  const count = shards[0]!.run.shard?.count;
  const seen = new Set<number>();
  for (const s of shards) {
    if (!s.run.shard)
      throw new ShardMergeError(`run ${s.run.runId} uploaded results that are not a shard's`);
    if (s.run.shard.count !== count) {
      throw new ShardMergeError(
        `shards disagree on their count: ${count} and ${s.run.shard.count}`,
      );
    }
    if (seen.has(s.run.shard.index))
      throw new ShardMergeError(`shard ${s.run.shard.index} appears twice`);
    seen.add(s.run.shard.index);
  }
  const missing = Array.from({ length: count ?? 0 }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new ShardMergeError(
      `shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} have no results; every slice must finish before the merge`,
    );
  }
}

export function mergeShards(shards: readonly ResultsFile[], artifactPrefix: string): MergedShards {
  checkComplete(shards, artifactPrefix);
  const ordered = [...shards].sort((a, b) => a.run.shard!.index - b.run.shard!.index);
  const first = ordered[0]!;
  for (const s of ordered.slice(1)) {
    // What the judge's answers showed may differ between shards: the snapshots are joined below.
    const diff = fingerprintDiff(first.fingerprint, s.fingerprint).filter(
      (d) => !OBSERVED_FIELDS.includes(d.field),
    );
    if (diff.length > 0) {
      throw new ShardMergeError(
        `shard ${s.run.shard!.index} measured something else than shard ${first.run.shard!.index}: ` +
          diff.map((d) => d.field).join(', '),
      );
    }
  }
  const ids = new Set<string>();
  for (const s of ordered.flatMap((r) => r.samples)) {
    if (ids.has(s.id)) throw new ShardMergeError(`sample ${s.id} is in more than one shard`);
    ids.add(s.id);
  }
  return {
    samples: ordered.flatMap((r) => r.samples),
    records: ordered.flatMap((r) => r.records),
    failures: ordered.flatMap((r) => r.failures),
    stats: ordered.map((r) => r.judge.stats).reduce((a, b) => addCounters(a, b)),
    fingerprint: {
      ...first.fingerprint,
      judgeServed: [...new Set(ordered.flatMap((r) => r.fingerprint.judgeServed))].sort(),
    },
  };
}
