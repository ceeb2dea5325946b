// One judgment (sample x metric x repeat) as the results record it, and why one failed.
import type { JudgeScoring } from '../../constants.ts';
import type { TokenUsage } from '../transport/judge-transport.ts';

/** Replies are kept up to this many characters. */
export const REPLY_LIMIT = 2000;

export interface JudgmentError {
  /** `unparseable`, `refused`, `timeout`, `rate-limit`, `server`, `network`, `auth`, `quota`, `client`, `budget`, `image`, `internal`. */
  readonly kind: string;
  readonly reason: string;
}

/** One judgment as recorded in the results. */
export interface Judgment {
  readonly repeat: number;
  readonly sampled: number | null;
  /** Probability-weighted score over 0-4, when log-probabilities were available. */
  readonly expected: number | null;
  /** The value that counts: `expected` under expected scoring when available, else `sampled`. */
  readonly value: number | null;
  readonly scoring: JudgeScoring;
  /** The last reply text, trimmed to 2000 characters. */
  readonly reply: string | null;
  readonly model: string | null;
  readonly systemFingerprint: string | null;
  /** HTTP calls made (0 for a cache hit). */
  readonly attempts: number;
  /** Duration of the last call, ms. */
  readonly latencyMs: number;
  /** Summed over all attempts. */
  readonly usage: TokenUsage;
  /** This run's spend for this judgment (0 for a cache hit); `null` when the model has no price. */
  readonly costUsd: number | null;
  readonly cached: boolean;
  /** Refusal replies among the attempts (a later attempt may still have scored). */
  readonly refusals: number;
  readonly error: JudgmentError | null;
}
