// results.json: what one run measured, self-contained enough to be a later run's baseline.
// Bump RESULTS_SCHEMA_VERSION (constants.ts) on any incompatible change, and keep reading the
// versions in READABLE_SCHEMA_VERSIONS.
//   1: the first format.
//   2: `comparison` added; summary means count a model-owned failure as the lowest score (0).
//      Version 1 files read the same way: their failures and records hold what that needs.
//   3: the wider fingerprint (served snapshots, endpoint kind, temperature, output-token limits,
//      final turn, image preparation); records carry `upstreamKey`. Older files are read with
//      their fingerprint filled in (fingerprint-upgrade.ts) and without upstream keys.
import type { ComparisonRecord, FingerprintDifference } from '../compare/index.ts';
import type { JudgeScoring } from '../constants.ts';
import type { HistoryPoint } from '../report/model.ts';
import type { JudgeRecord, ScoreStats } from '../score/score-samples.ts';
import type { Fingerprint, Sample, SampleFailure } from '../types.ts';

export interface RunInfo {
  readonly repository: string;
  readonly runId: number;
  readonly runAttempt: number;
  readonly workflow: string;
  readonly eventName: string;
  readonly ref: string;
  readonly sha: string;
  readonly prNumber: number | null;
  readonly url: string;
  /** A merged run records the mode it reported as. */
  readonly mode: 'check' | 'baseline';
  /** Set on a shard's partial results: 1-based index and count. */
  readonly shard: { readonly index: number; readonly count: number } | null;
}

/**
 * One planned sample as the results record it (the manifest line without machine paths).
 * `upstreamKey` is absent from schema 1 and 2 files.
 */
export type PlannedSample = Omit<Sample, 'referenceImages' | 'upstreamKey'> & {
  readonly upstreamKey?: string;
};

/** A judge record as results.json holds it: with upstream's key of its sample (schema 3). */
export type ResultsRecord = JudgeRecord & { readonly upstreamKey?: string };

export interface ResultsSummary {
  readonly planned: number;
  /** Samples the judge scored on both metrics. */
  readonly scored: number;
  /** Samples with a failure of any kind (each is in `failures`). */
  readonly failed: number;
  /** Failures that count as the lowest score: the model's (schema 2; absent in version 1). */
  readonly counted?: number;
  /** 0-1 scale, a model-owned failure counting 0; null when nothing scored. */
  readonly cp: number | null;
  readonly pf: number | null;
  readonly cpPf: number | null;
  readonly costUsd: number;
}

export interface ResultsFile {
  readonly schemaVersion: number;
  readonly generator: { readonly name: 'dreambench-action'; readonly version: string };
  readonly createdAt: string;
  readonly run: RunInfo;
  readonly fingerprint: Fingerprint;
  readonly summary: ResultsSummary;
  readonly judge: {
    readonly model: string;
    readonly scoring: JudgeScoring;
    readonly repeats: number;
    readonly stats: ScoreStats;
  };
  readonly samples: readonly PlannedSample[];
  /** Per-sample judge records: scores, replies, image hashes, usage and cost. */
  readonly records: readonly ResultsRecord[];
  /** Every planned sample that did not end with both scores, with its reason. */
  readonly failures: readonly SampleFailure[];
  /** Recent baselines (newest last), carried forward from run to run for the trend chart. */
  readonly history: readonly HistoryPoint[];
  /** The comparison with the baseline and the gate's verdict (schema 2; absent in version 1). */
  readonly comparison?: ResultsComparison;
}

/** What was compared: the gate's numbers, or why there was no comparison. */
export type ResultsComparison =
  | ({
      readonly status: 'compared';
      readonly baseline: BaselineRef;
      /** Set when the baseline's stored images were judged again (schema 3). */
      readonly rejudged?: RejudgeRecord;
    } & ComparisonRecord)
  | {
      readonly status: 'incompatible';
      readonly baseline: BaselineRef;
      readonly differences: readonly FingerprintDifference[];
      /** Only the judge side differed, yet the baseline was not judged again: why (schema 3). */
      readonly notRejudged?: string;
    }
  | { readonly status: 'none'; readonly reason: string };

/** The baseline judged again: what differed, what was judged and what it cost; its records are in
 * baseline-rejudged.json beside this file. */
export interface RejudgeRecord {
  readonly differences: readonly FingerprintDifference[];
  readonly judged: number;
  readonly scored: number;
  readonly leftOut: number;
  readonly calls: number;
  readonly cacheHits: number;
  readonly costUsd: number;
  readonly served: readonly string[];
}

export interface BaselineRef {
  readonly runId: number;
  readonly sha: string;
}
