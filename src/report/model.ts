// What the report renderers are given: a plain view of one run, assembled by the composition root.
// Renderers read only this (no global context, no environment, no clock).
import type {
  AbsoluteReport,
  Aggregate,
  Comparison,
  FingerprintDifference,
} from '../compare/index.ts';
import type { JudgeScoring, Verdict } from '../constants.ts';
import type { Category, Fingerprint, SampleFailure } from '../types.ts';

/** What was asked of one sample and what the judge said, on both sides (the rest is in its delta). */
export interface SampleView {
  readonly prompt: string;
  /** The judge's replies on this run (trimmed); undefined where the metric was not judged. */
  readonly cpReply?: string;
  readonly pfReply?: string;
  /** The baseline's replies for the same sample, when a baseline was compared. */
  readonly baseCpReply?: string;
  readonly basePfReply?: string;
}

export interface JudgeView {
  /** The model requested (`judge-model`). */
  readonly model: string;
  /** Snapshots the endpoint said it served, and their system fingerprints. */
  readonly servedModels: readonly string[];
  /** Judgments per served snapshot, where known. */
  readonly servedCounts?: Readonly<Record<string, number>>;
  readonly systemFingerprints: readonly string[];
  readonly scoring: JudgeScoring;
  /** How many metric judgments used each scoring (expected falls back to sampled per reply). */
  readonly scoringUsed: { readonly expected: number; readonly sampled: number };
  readonly repeats: number;
  readonly calls: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly costUsd: number;
  readonly promptTokens: number;
  readonly cachedPromptTokens: number;
  readonly completionTokens: number;
  readonly refusalsByCategory: Readonly<Partial<Record<Category, number>>>;
  /** Set when `max-cost-usd` stopped the run early. */
  readonly budgetStopped: boolean;
  readonly maxCostUsd: number | undefined;
  /** The scoring `judge-scoring` asked for, where the judge allowed only another (`scoring`). */
  readonly scoringAsked?: JudgeScoring;
  /** Parameters the judge model refused (left out of its requests): `logprobs`, `max_tokens`, … */
  readonly refusedParameters?: readonly string[];
  /** Answers 429 (the account's rate limits), waited out. */
  readonly rateLimited?: number;
  /** Replies cut short and asked again with a larger limit. */
  readonly lengthRetries?: number;
  /** Judgments `judge-time-budget-minutes` stopped before they were made. */
  readonly timeBudgetStops?: number;
  /** `batch`: judged through the Batch API, its cost at batch prices. Default `realtime`. */
  readonly judgingMode?: 'realtime' | 'batch';
  /** What the Batch API did (batch mode, or a run that collected an earlier run's batches). */
  readonly batch?: {
    readonly batches: number;
    readonly requests: number;
    readonly bytesUploaded: number;
    readonly followUpBatches: number;
    readonly realtimeFollowUps: number;
    readonly collected: number;
  };
}

/** One published baseline, for the trend chart (newest last). */
export interface HistoryPoint {
  readonly runId: number;
  readonly sha: string;
  readonly createdAt: string;
  readonly cp: number | null;
  readonly pf: number | null;
}

export interface BaselineView {
  readonly runId: number;
  readonly runUrl: string;
  readonly sha: string;
  /** Malformed entries of its results.json that were left out, and the first few reasons. */
  readonly leftOut?: { readonly count: number; readonly examples: readonly string[] };
}

/** The baseline's stored images judged again with this run's judge (`rejudge-baseline`). */
export interface RejudgeView {
  /** The judge-side fields that differed, as the baseline recorded them and as this run has them. */
  readonly differences: readonly FingerprintDifference[];
  /** Baseline samples whose stored image this run's judge saw, and how many ended scored. */
  readonly judged: number;
  readonly scored: number;
  /** Paired samples that could not be judged again, and the first few reasons. */
  readonly leftOut: { readonly count: number; readonly examples: readonly string[] };
  readonly calls: number;
  readonly cacheHits: number;
  readonly costUsd: number;
  /** The snapshots that judged them. */
  readonly served: readonly string[];
  /** The stored images' side and this run's, when they were reduced to it. */
  readonly reduced?: { readonly from: number; readonly to: number };
  /** The baseline's numbers over the samples judged again: as first judged, and as judged now. */
  readonly before: Aggregate;
  readonly after: Aggregate;
}

export type ComparisonView =
  /** Compared: paired deltas, intervals, verdicts. */
  | {
      readonly kind: 'compared';
      readonly baseline: BaselineView;
      readonly comparison: Comparison;
      /** The baseline's own numbers, as compared (judged again, when it was). */
      readonly baselineAggregate?: Aggregate;
      /** Set when the baseline was judged again with this run's judge. */
      readonly rejudged?: RejudgeView;
      /** Fields that differ but do not stand in the way (compare/fingerprint.ts). */
      readonly noted?: readonly FingerprintDifference[];
    }
  /** A baseline exists but measured something else: absolute numbers only, and why. */
  | {
      readonly kind: 'incompatible';
      readonly baseline: BaselineView;
      readonly differences: readonly FingerprintDifference[];
      /** Only the judge side differs, yet the baseline was not judged again: why. */
      readonly notRejudged?: string;
    }
  /** No baseline (first run, expired, or a baseline run): absolute numbers only. */
  | { readonly kind: 'none'; readonly reason: string };

/** Where the report points; each artifact only once its upload succeeded. */
export interface ReportLinks {
  readonly run: string;
  /** The results artifact (zip: results.json, report.md, judge-size images). */
  readonly artifact?: string;
  /** The HTML report, an unzipped artifact the browser opens. */
  readonly report?: string;
  /** The contact sheet, an unzipped JPEG artifact. */
  readonly contactSheet?: string;
}

export interface ReportInput {
  readonly commentId: string;
  /** `check` compares a PR; `baseline` publishes. */
  readonly mode: 'check' | 'baseline';
  readonly verdict: Verdict;
  /** Tolerance and confidence are the comparison's own. */
  readonly gate: { readonly failOnRegression: boolean };
  /** This run's absolute numbers with intervals. */
  readonly absolute: AbsoluteReport;
  readonly comparison: ComparisonView;
  readonly planned: number;
  readonly failures: readonly SampleFailure[];
  /** Every planned sample by id (prompt, replies). */
  readonly samples: ReadonlyMap<string, SampleView>;
  readonly judge: JudgeView;
  readonly fingerprint: Fingerprint;
  readonly links: ReportLinks;
  readonly history: readonly HistoryPoint[];
  /** The commit this run measured. */
  readonly sha: string;
}
