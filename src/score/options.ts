// What the score stage is told (options) and given (edges), and the defaults filled in once so
// that a request and its cache key agree.
import type { JudgeScoring } from '../constants.ts';
import type { PreparedEvent } from './items.ts';
import type { JudgeCache } from './judgment/judge-cache.ts';
import { DEFAULT_OUTPUT_TOKENS, type OutputTokens } from './judgment/output-limits.ts';
import type { Templates } from './judgment/templates.ts';
import type { ModelPrice } from './pricing.ts';
import type { BatchApi } from './transport/batch/batch-api.ts';
import type { FileLimits } from './transport/batch/file-packer.ts';
import type { PendingBatch } from './transport/batch/pending.ts';
import type { Clock } from './transport/clock.ts';
import type { JudgeTransport, Logger } from './transport/judge-transport.ts';
import type { BackoffOptions } from './transport/retry-policy.ts';

export interface ScoreOptions {
  readonly model: string;
  readonly scoring: JudgeScoring;
  readonly repeats: number;
  /** `judge-concurrency`: calls in flight at most; fewer while the account's limits require. */
  readonly concurrency: number;
  readonly imageSize: number;
  readonly templates: Templates;
  readonly maxCostUsd?: number;
  /**
   * The judge stage's time budget (`judge-time-budget-minutes`), ms: no call starts later, and
   * samples not judged by then are listed as failed. Default: none.
   */
  readonly timeBudgetMs?: number;
  /** Default 1, as in the paper. */
  readonly temperature?: number;
  /** Visible output tokens per metric; default `DEFAULT_OUTPUT_TOKENS` (CP 64, PF 400). */
  readonly outputTokens?: OutputTokens;
  /** Alternatives per token under expected scoring, 1-20; default 10. */
  readonly topLogprobs?: number;
  /** Failed calls (5xx, timeout, network; never 429s) before a judgment fails; default 6. */
  readonly maxTransportAttempts?: number;
  /** Replies asked for before an unusable one fails the judgment; default 3. */
  readonly maxContentTries?: number;
  readonly backoff?: BackoffOptions;
  /** Price table, e.g. `{ ...DEFAULT_PRICES, ...parsePriceOverrides(env.DREAMBENCH_PRICES) }`. */
  readonly prices?: Readonly<Record<string, ModelPrice>>;
  /** Strings redacted from everything the endpoint says (the API key). */
  readonly secrets?: readonly string[];
  /** Images prepared at once; default one per core. */
  readonly prepareConcurrency?: number;
  /**
   * Where the judge is (`openai-base-url` as given, query included; `'default'` for the SDK's): part
   * of the cache key, so judgments of another endpoint are not reused. Default `'default'`.
   */
  readonly endpoint?: string;
  /** Judge through the Batch API (`judge-batch: true`); undefined: realtime calls. */
  readonly batch?: BatchJudging;
}

export interface BatchJudging {
  /** `judge-batch-wait-minutes`, ms: how long the stage waits for its batches. */
  readonly waitMs: number;
  /** Where input files and the judge-size images wait while batches run; removed with the stage. */
  readonly spoolDir: string;
  /** Names the run and configuration on every batch (metadata.ts keeps it within the limits). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Per input file; default the API's 50,000 requests and 200 MB. */
  readonly limits?: FileLimits;
  /** Asks again up to this many go realtime instead of in a follow-up batch; default 20. */
  readonly realtimeFollowUps?: number;
}

export interface ScoreDeps {
  /** One call to the judge (realtime mode). */
  readonly transport: JudgeTransport;
  readonly cache?: JudgeCache;
  readonly clock?: Clock;
  /** Jitter source; tests pass a seeded one. */
  readonly rng?: () => number;
  readonly log?: Logger;
  /** Called once per prepared image (e.g. to put the judge-size images in the artifact). */
  readonly onPrepared?: (event: PreparedEvent) => void | Promise<void>;
  /** The Batch API (batch mode, or collecting `pendingBatches`). */
  readonly batchApi?: BatchApi;
  /** Batches an earlier run of this configuration left pending: their answers are collected. */
  readonly pendingBatches?: readonly PendingBatch[];
  /** Aborted when the job is cancelled: unfinished batches are cancelled with it. */
  readonly signal?: AbortSignal;
}

/** The paper's judge temperature. */
export const DEFAULT_JUDGE_TEMPERATURE = 1;

export type ResolvedOptions = ScoreOptions &
  Required<Pick<ScoreOptions, 'temperature' | 'outputTokens' | 'topLogprobs'>>;

export function withDefaults(options: ScoreOptions): ResolvedOptions {
  return {
    ...options,
    temperature: options.temperature ?? DEFAULT_JUDGE_TEMPERATURE,
    outputTokens: options.outputTokens ?? DEFAULT_OUTPUT_TOKENS,
    topLogprobs: options.topLogprobs ?? 10,
  };
}
