// Judgments keyed by their inputs: read from the cache, or paid for once per run. A byte-identical
// twin of a judgment in flight waits for it and counts as a cache hit, whatever the timing, so
// calls, tokens and cost do not depend on scheduling. The cache is an optimisation: when it cannot
// be read or written the run goes on (a warning says so), it never loses a paid judgment.
import type { CachedJudgment, JudgeCache } from './judge-cache.ts';
import { NO_USAGE, type Logger } from '../transport/judge-transport.ts';
import type { Judgment } from './judgment.ts';

export interface CacheCounters {
  cacheHits: number;
  cacheMisses: number;
}

type Reusable = Pick<
  Judgment,
  'sampled' | 'expected' | 'value' | 'scoring' | 'reply' | 'model' | 'systemFingerprint'
>;

/** A judgment reused at no cost: from the cache, or another task's of the same inputs. */
function reused(j: Reusable, repeat: number): Judgment {
  return {
    sampled: j.sampled,
    expected: j.expected,
    value: j.value,
    scoring: j.scoring,
    reply: j.reply,
    model: j.model,
    systemFingerprint: j.systemFingerprint,
    repeat,
    attempts: 0,
    latencyMs: 0,
    usage: NO_USAGE,
    costUsd: 0,
    cached: true,
    refusals: 0,
    error: null,
  };
}

function fromCache(hit: CachedJudgment, repeat: number): Judgment {
  const value = hit.scoring === 'expected' && hit.expected !== null ? hit.expected : hit.sampled;
  return reused({ ...hit, value }, repeat);
}

const usable = (j: Judgment): j is Judgment & { sampled: number } =>
  j.error === null && j.sampled !== null;

/**
 * A stored entry that can be trusted: `sampled` an integer 0-4, `expected` null or within [0, 4].
 * Anything else (a hand-edited or foreign file) is a miss.
 */
function isUsableCached(value: unknown): value is CachedJudgment {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof CachedJudgment, unknown>>;
  const expected = v.expected;
  return (
    typeof v.sampled === 'number' &&
    Number.isInteger(v.sampled) &&
    v.sampled >= 0 &&
    v.sampled <= 4 &&
    (expected === null ||
      (typeof expected === 'number' &&
        Number.isFinite(expected) &&
        expected >= 0 &&
        expected <= 4)) &&
    (v.scoring === 'expected' || v.scoring === 'sampled') &&
    typeof v.reply === 'string'
  );
}

export class SharedJudgments {
  readonly #cache: JudgeCache;
  readonly #counters: CacheCounters;
  readonly #log: Logger;
  readonly #first = new Map<string, Promise<Judgment>>();
  readonly #warned = new Set<'read' | 'write'>();
  readonly #park: <T>(p: Promise<T>) => Promise<T>;

  /** `park` wraps the wait for a twin (batch mode counts it as waiting, not as busy). */
  constructor(
    cache: JudgeCache,
    counters: CacheCounters,
    log: Logger,
    park: <T>(p: Promise<T>) => Promise<T> = (p) => p,
  ) {
    this.#cache = cache;
    this.#counters = counters;
    this.#log = log;
    this.#park = park;
  }

  /** The judgment for `key`; `call` pays for it when neither the cache nor a twin has it. */
  async get(key: string, repeat: number, call: () => Promise<Judgment>): Promise<Judgment> {
    const shared = this.#first.get(key);
    if (shared === undefined) {
      const own = this.#lookUpOrCall(key, repeat, call);
      this.#first.set(key, own);
      return own;
    }
    const twin = await this.#park(shared);
    if (!usable(twin)) {
      this.#counters.cacheMisses += 1; // the twin failed: try again for this sample
      return call();
    }
    this.#counters.cacheHits += 1;
    return reused(twin, repeat);
  }

  async #lookUpOrCall(key: string, repeat: number, call: () => Promise<Judgment>) {
    const hit = await this.#read(key);
    if (hit) {
      this.#counters.cacheHits += 1;
      return fromCache(hit, repeat);
    }
    this.#counters.cacheMisses += 1;
    const judgment = await call();
    if (usable(judgment)) {
      await this.#write(key, {
        sampled: judgment.sampled,
        expected: judgment.expected,
        scoring: judgment.scoring,
        reply: judgment.reply ?? '',
        model: judgment.model,
        systemFingerprint: judgment.systemFingerprint,
        usage: judgment.usage,
        costUsd: judgment.costUsd,
      });
    }
    return judgment;
  }

  /** A usable entry, or `undefined` for a miss, a malformed entry or a failed read. */
  async #read(key: string): Promise<CachedJudgment | undefined> {
    try {
      const hit = await this.#cache.get(key);
      return isUsableCached(hit) ? hit : undefined;
    } catch (error) {
      this.#warnOnce('read', error);
      return undefined;
    }
  }

  async #write(key: string, value: CachedJudgment): Promise<void> {
    try {
      await this.#cache.set(key, value);
    } catch (error) {
      this.#warnOnce('write', error);
    }
  }

  #warnOnce(what: 'read' | 'write', error: unknown): void {
    if (this.#warned.has(what)) return;
    this.#warned.add(what);
    const why = error instanceof Error ? error.message : String(error);
    this.#log.warn(
      `judge cache: cannot ${what} an entry (${why}); judging goes on without it${what === 'read' ? ' (treated as a miss)' : ''}; further ${what} failures are not reported`,
    );
  }
}
