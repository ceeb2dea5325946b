// results.json: what one run measured, self-contained enough to be a later run's baseline.
// Bump RESULTS_SCHEMA_VERSION (constants.ts) on any incompatible change, and keep reading the
// versions in READABLE_SCHEMA_VERSIONS.
//   1: the first format.
//   2: the wider fingerprint (served snapshots, endpoint kind, temperature, output-token limits,
//      final turn, image preparation); records carry `upstreamKey`. Version 1 files are read
//      with their fingerprint filled in (fingerprint-upgrade.ts) and without upstream keys.
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
 * `upstreamKey` is absent from schema 1 files.
 */
export type PlannedSample = Omit<Sample, 'referenceImages' | 'upstreamKey'> & {
  readonly upstreamKey?: string;
};

/** A judge record as results.json holds it: with upstream's key of its sample (schema 2). */
export type ResultsRecord = JudgeRecord & { readonly upstreamKey?: string };

export interface ResultsSummary {
  readonly planned: number;
  readonly scored: number;
  readonly failed: number;
  /** 0-1 scale; null when nothing scored. */
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
}
