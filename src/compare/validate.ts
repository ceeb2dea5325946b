// Input checks: the statistics refuse scores they cannot trust instead of averaging them
// (the released DreamBench++ scripts never range-checked the parsed score).
import { CATEGORIES, METRICS, PROMPT_CLASSES, type ScoredSample } from '../types.ts';
import { InvalidOptionError, InvalidSampleError } from './errors.ts';

/** Throws InvalidSampleError on a bad score (null is no outcome), a failure kind without an
 * outcome, unknown category/class, duplicate id, or a concept that appears under two categories (it
 * would be one cluster in two strata). */
export function validateSamples(samples: readonly ScoredSample[], side: string): void {
  const ids = new Set<string>();
  const conceptCategory = new Map<string, string>();
  for (const s of samples) {
    if (typeof s.id !== 'string' || s.id === '')
      throw new InvalidSampleError(side, String(s.id), 'id', s.id, 'a non-empty string');
    if (ids.has(s.id)) throw new InvalidSampleError(side, s.id, 'id', s.id, 'unique ids');
    ids.add(s.id);
    if (typeof s.concept !== 'string' || s.concept === '')
      throw new InvalidSampleError(side, s.id, 'concept', s.concept, 'a non-empty string');
    if (!(CATEGORIES as readonly string[]).includes(s.category))
      throw new InvalidSampleError(side, s.id, 'category', s.category, CATEGORIES.join(', '));
    if (!(PROMPT_CLASSES as readonly string[]).includes(s.promptClass))
      throw new InvalidSampleError(
        side,
        s.id,
        'promptClass',
        s.promptClass,
        PROMPT_CLASSES.join(', '),
      );
    for (const field of METRICS) {
      const v = s[field];
      if (v !== null && (typeof v !== 'number' || !(v >= 0 && v <= 4)))
        throw new InvalidSampleError(side, s.id, field, v, 'a number from 0 to 4, or null');
      const failed = s.failedAs?.[field];
      if (failed !== undefined && (typeof failed !== 'string' || v === null))
        throw new InvalidSampleError(
          side,
          s.id,
          `failedAs.${field}`,
          failed,
          `a failure kind, on a ${field} outcome`,
        );
    }
    const known = conceptCategory.get(s.concept);
    if (known !== undefined && known !== s.category)
      throw new InvalidSampleError(
        side,
        s.id,
        'category',
        s.category,
        `${known} (as other samples of concept ${s.concept})`,
      );
    conceptCategory.set(s.concept, s.category);
  }
}

export interface StatOptions {
  /** Confidence level of intervals and tests, e.g. 0.95. */
  readonly confidence: number;
  /** Seed of the bootstrap PRNG. */
  readonly seed: number;
  /** Bootstrap resamples; default 2000. */
  readonly iterations?: number;
}

export const DEFAULT_ITERATIONS = 2000;

/** The confidence level of every interval and test. */
export function validateConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1))
    throw new InvalidOptionError('confidence', confidence, 'a number strictly between 0 and 1');
}

/** Checks the options shared by every bootstrap; returns the iteration count to use. */
export function validateStatOptions(opts: StatOptions): number {
  validateConfidence(opts.confidence);
  if (!Number.isSafeInteger(opts.seed))
    throw new InvalidOptionError('seed', opts.seed, 'an integer');
  const iterations = opts.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < 1)
    throw new InvalidOptionError('iterations', iterations, 'a positive integer');
  return iterations;
}

export function validateFailed(failed: number): void {
  if (!Number.isSafeInteger(failed) || failed < 0)
    throw new InvalidOptionError(
      'failed',
      failed,
      'a non-negative integer count of failed samples',
    );
}
