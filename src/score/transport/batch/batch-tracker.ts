// The batches in flight: polled on the stage's clock (1 s, doubling to 30 s) with a log line per
// poll (status, completed/failed/total); a finished batch's output and error files downloaded and
// each line handed to the request that waits for it, by custom_id. When the wait ends
// (`judge-batch-wait-minutes`) the unfinished batches are left running and kept as pending for
// the next run; when the job is cancelled they are cancelled (OpenAI bills only what completed).
import { asTransportError, type Delivered } from '../dispatcher.ts';
import { JudgeTransportError } from '../errors.ts';
import { TRANSIENT_KINDS } from '../retry-policy.ts';
import { withRetries, type RetryContext } from './api-retry.ts';
import { TERMINAL_STATES, type BatchApi, type BatchState, type BatchStatus } from './batch-api.ts';
import { readResultLines, type LineResult } from './batch-lines.ts';
import type { PendingBatch, PendingLine } from './pending.ts';

/** A line's answer: from the batch, or from a realtime call that asked it instead. */
export type LineOutcome = LineResult | { readonly realtime: Delivered };

export class Deferred<T> {
  readonly promise: Promise<T>;
  #resolve!: (value: T) => void;
  settled = false;
  constructor() {
    this.promise = new Promise<T>((resolve) => (this.#resolve = resolve));
  }
  resolve(value: T): void {
    if (this.settled) return;
    this.settled = true;
    this.#resolve(value);
  }
}

export interface TrackedLine extends PendingLine {
  readonly outcome: Deferred<LineOutcome>;
}

export interface TrackedBatch {
  readonly id: string;
  readonly inputFileId: string;
  readonly model: string;
  readonly submittedAt: string;
  readonly lines: readonly TrackedLine[];
  /** From an earlier run's record. */
  readonly adopted: boolean;
  status: BatchState | 'unknown';
}

export interface TrackerOptions extends RetryContext {
  readonly api: BatchApi;
  /** Clock ms after which no batch is waited for. */
  readonly waitUntil: number;
  /** `judge-batch-wait-minutes: 240`, for the reasons given. */
  readonly waitName: string;
  readonly signal?: AbortSignal;
}

const FIRST_POLL_MS = 1000;
const MAX_POLL_MS = 30_000;

export class BatchTracker {
  readonly #o: TrackerOptions;
  readonly #open = new Set<TrackedBatch>();
  readonly #left: TrackedBatch[] = [];
  /** Batches whose output was read. */
  readonly #read: TrackedBatch[] = [];
  #loop: Promise<void> | undefined;
  #delay = FIRST_POLL_MS;
  #stopped = false;
  #wake: (() => void) | undefined;
  /** Retrieve calls made, and batches cancelled with the job. */
  readonly counters = { polls: 0, cancelled: 0 };

  constructor(options: TrackerOptions) {
    this.#o = options;
    options.signal?.addEventListener('abort', () => this.#wake?.(), { once: true });
  }

  /**
   * Batches still running when the stage stopped waiting (or was done): the next run's to collect.
   * With them go the batches already read: a run left pending publishes nothing, so the next one
   * takes their answers again rather than paying for them twice (the judge cache may be off).
   */
  get pending(): PendingBatch[] {
    const running = [...this.#left, ...this.#open];
    if (running.length === 0) return [];
    return [...this.#read, ...running].map((b) => ({
      id: b.id,
      inputFileId: b.inputFileId,
      model: b.model,
      submittedAt: b.submittedAt,
      status: b.status,
      lines: b.lines.map(({ customId, bodySha256, label }) => ({ customId, bodySha256, label })),
    }));
  }

  /** Polls `batch` with the others until it ends, the wait ends or the job is cancelled. */
  track(batch: TrackedBatch, firstPollNow = false): void {
    this.#open.add(batch);
    this.#delay = firstPollNow ? 0 : FIRST_POLL_MS;
    this.#wake?.();
    this.#loop ??= this.#run().finally(() => (this.#loop = undefined));
  }

  /** One look at each batch (a realtime run collecting a record): finished ones are read, the rest kept. */
  async lookOnce(batches: readonly TrackedBatch[]): Promise<void> {
    for (const b of batches) {
      this.#open.add(b);
      await this.#poll(b);
    }
  }

  /** The stage is done: stop polling; what is still open stays pending. */
  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  async #run(): Promise<void> {
    const { clock } = this.#o;
    for (;;) {
      if (this.#open.size === 0 || this.#stopped) return;
      if (this.#o.signal?.aborted) return this.#cancelAll();
      await this.#sleep(Math.min(this.#delay, Math.max(0, this.#o.waitUntil - clock.now())));
      if (this.#stopped) return;
      if (this.#o.signal?.aborted) return this.#cancelAll();
      for (const b of [...this.#open]) await this.#poll(b);
      if (this.#open.size === 0) return;
      if (clock.now() >= this.#o.waitUntil) return this.#giveUp();
      this.#delay = Math.min(MAX_POLL_MS, Math.max(FIRST_POLL_MS, this.#delay * 2));
    }
  }

  /** The clock's sleep, cut short by a cancelled job, a new batch or the stage's end. */
  async #sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.#o.signal?.aborted) return;
    await Promise.race([
      this.#o.clock.sleep(ms),
      new Promise<void>((resolve) => (this.#wake = resolve)),
    ]);
    this.#wake = undefined;
  }

  #say(text: string): string {
    return this.#o.redact(text);
  }

  async #poll(b: TrackedBatch): Promise<void> {
    let s: BatchStatus;
    try {
      this.counters.polls += 1;
      s = await withRetries(`batch ${b.id}: status`, () => this.#o.api.retrieve(b.id), this.#o);
    } catch (caught) {
      const error = asTransportError(caught);
      const why = this.#say(error.message);
      // The service's failure, tried again meanwhile: the next poll asks again.
      if (TRANSIENT_KINDS.has(error.kind)) {
        this.#o.log.warn(
          `judge: batch ${this.#say(b.id)}: cannot read its status (${why}); the next poll asks again`,
        );
        return;
      }
      // Unknown to this key (another organisation, a deleted batch): waiting will not help.
      this.#open.delete(b);
      this.#o.log.warn(
        `judge: batch ${this.#say(b.id)} cannot be read (${why}); its requests are asked again`,
      );
      for (const line of b.lines) line.outcome.resolve({ error });
      return;
    }
    b.status = s.status;
    this.#o.log.info(
      `judge: batch ${this.#say(b.id)}: ${this.#say(s.status)}, ${s.completed}/${s.total} completed, ${s.failed} failed`,
    );
    if (TERMINAL_STATES.includes(s.status)) await this.#finish(b, s);
  }

  async #finish(b: TrackedBatch, s: BatchStatus): Promise<void> {
    this.#open.delete(b);
    if (s.status === 'failed') {
      const error = validationError(b.id, s);
      this.#o.log.warn(`judge: ${this.#say(error.message)}`);
      for (const line of b.lines) line.outcome.resolve({ error });
      return;
    }
    this.#read.push(b);
    const results = new Map<string, LineResult>();
    let lost: string | undefined;
    for (const fileId of [s.outputFileId, s.errorFileId]) {
      if (!fileId) continue;
      try {
        const text = await withRetries(
          `batch ${b.id}: file ${fileId}`,
          () => this.#o.api.content(fileId),
          this.#o,
        );
        const read = readResultLines(text);
        for (const [id, result] of read.results) results.set(id, result);
        if (read.unreadable > 0)
          this.#o.log.warn(
            `judge: batch ${this.#say(b.id)}: ${read.unreadable} unreadable lines in ${this.#say(fileId)}`,
          );
      } catch (error) {
        lost = `could not download ${fileId} (${(error as Error).message})`;
      }
    }
    let replies = 0;
    for (const line of b.lines) {
      const reason = lost ?? 'its output and error files have no line for this request';
      const result = results.get(line.customId) ?? {
        error: new JudgeTransportError('server', `batch ${b.id} ${s.status}, but ${reason}`),
      };
      if ('reply' in result) replies += 1;
      line.outcome.resolve(result);
    }
    this.#o.log.info(
      `judge: batch ${this.#say(b.id)}: read ${replies} replies and ${b.lines.length - replies} failed lines${lost ? ` (${this.#say(lost)})` : ''}`,
    );
  }

  #giveUp(): void {
    for (const b of this.#open) {
      const error = new JudgeTransportError(
        'pending',
        `batch ${b.id} was still ${b.status} when ${this.#o.waitName} ran out; it is recorded, and the next run of this configuration collects it instead of asking again`,
      );
      for (const line of b.lines) line.outcome.resolve({ error });
      this.#o.log.warn(
        `judge: ${this.#say(`batch ${b.id}`)} is still ${this.#say(b.status)} after ${this.#o.waitName}: left running and recorded for the next run`,
      );
      this.#left.push(b);
    }
    this.#open.clear();
  }

  async #cancelAll(): Promise<void> {
    const open = [...this.#open];
    this.#open.clear();
    await Promise.all(
      open.map(async (b) => {
        const id = this.#say(b.id);
        try {
          const s = await this.#o.api.cancel(b.id);
          this.counters.cancelled += 1;
          this.#o.log.warn(
            `judge: cancelled batch ${id} with the job (${this.#say(s.status)}): OpenAI bills only the requests it completed, ${s.completed} of ${s.total}`,
          );
        } catch (error) {
          this.#o.log.warn(
            `judge: could not cancel batch ${id} (${this.#say((error as Error).message)}); cancel it in the OpenAI dashboard (Batches)`,
          );
        }
        const error = new JudgeTransportError(
          'cancelled',
          `the job was cancelled, and batch ${b.id} with it`,
        );
        for (const line of b.lines) line.outcome.resolve({ error });
      }),
    );
  }
}

/**
 * A batch over the account's enqueued-token limit: a rate limit (the service's, no outcome), but
 * its lines are not asked again in a follow-up batch, which the same limit would refuse alike.
 */
export const TOKEN_LIMIT_EXCEEDED = 'token_limit_exceeded';

/** Why a batch failed validation, in the API's words (the first three errors). */
function validationError(id: string, s: BatchStatus): JudgeTransportError {
  const said = s.errors
    .slice(0, 3)
    .map((e) => `${e.code}: ${e.message}${e.line === null ? '' : ` (line ${e.line})`}`)
    .join('; ');
  const limit = s.errors.some((e) => e.code === TOKEN_LIMIT_EXCEEDED);
  const hint = limit
    ? "; the account's enqueued-token limit for this model must hold a whole batch (see the README, judge-batch)"
    : '';
  return new JudgeTransportError(
    limit ? 'rate-limit' : 'client',
    `batch ${id} failed validation: ${said || 'no reason given'}${hint}`,
    limit ? { code: TOKEN_LIMIT_EXCEEDED } : {},
  );
}
