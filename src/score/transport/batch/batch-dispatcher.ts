// Batch judging (`judge-batch: true`): every ask becomes a line of a Batch API input file instead
// of a call, with the very body a realtime call would send (shaped by the same learned
// parameters), at half the price. Asks are gathered until every judgment in flight waits (the
// idle gate), then sent as one round: files packed within the API's limits, uploaded, one batch
// each, polled until done. Asks that come again (a reply that could not be used, a line that
// failed) go in a follow-up round: as realtime calls when a few remain (at most
// `realtimeFollowUps`), else as another batch. A model whose parameters are not known is probed
// with one realtime call first. Batches an earlier run left pending are collected: an ask whose
// body hashes like one of their lines takes that line's answer.
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import type { Clock } from '../clock.ts';
import { chatBodyParts } from '../chat-body.ts';
import {
  asTransportError,
  Dispatcher,
  type Delivered,
  type DispatchCounters,
  type DispatcherOptions,
} from '../dispatcher.ts';
import { JudgeTransportError } from '../errors.ts';
import type { JudgeRequest } from '../judge-transport.ts';
import type { RealtimeDispatcher } from '../realtime/realtime-dispatcher.ts';
import { TRANSIENT_KINDS, type BackoffOptions } from '../retry-policy.ts';
import { AdoptedBatches } from './adopted.ts';
import { withRetries, type RetryContext } from './api-retry.ts';
import type { BatchApi } from './batch-api.ts';
import { inputLineParts } from './batch-lines.ts';
import { BatchTracker, Deferred, TOKEN_LIMIT_EXCEEDED, type LineOutcome } from './batch-tracker.ts';
import { BATCH_FILE_LIMITS, type FileLimits } from './file-packer.ts';
import type { IdleGate } from './idle-gate.ts';
import type { PendingBatch } from './pending.ts';
import { Round, type RoundFile, type RoundLine } from './round.ts';

export interface BatchDispatcherOptions extends DispatcherOptions {
  readonly api: BatchApi;
  /** Carries the probe, the few follow-ups, and everything of a run that only collects. */
  readonly realtime: RealtimeDispatcher;
  readonly clock: Clock;
  readonly rng: () => number;
  readonly backoff: BackoffOptions;
  readonly gate: IdleGate;
  /** Clock ms: the end of `judge-batch-wait-minutes`. */
  readonly waitUntil: number;
  /** `judge-batch-wait-minutes: 240`. */
  readonly waitName: string;
  readonly signal?: AbortSignal;
  /** Where input files are written before upload (each removed once uploaded; the stage removes the folder). */
  readonly spoolDir: string;
  /** The run and configuration, for every batch (within the API's limits: metadata.ts). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly limits?: FileLimits;
  /** Asks again at most this many go as realtime calls instead of a follow-up batch; default 20. */
  readonly realtimeFollowUps?: number;
  /** Failed lines (server errors, timeouts, expiry) before an ask fails; default 6. */
  readonly maxTransportAttempts: number;
  /** Batches an earlier run of this configuration left pending. */
  readonly adopted: readonly PendingBatch[];
  /** `false`: a realtime run that only collects `adopted`, once, without waiting. */
  readonly submit: boolean;
}

/** What batch judging did, for the results and the report. */
export interface BatchCounters {
  /** Batches this run created, their requests and the bytes uploaded. */
  batches: number;
  requests: number;
  bytesUploaded: number;
  /** Of those batches, follow-ups (asks again). */
  followUpBatches: number;
  /** Asks again sent as realtime calls instead of a follow-up batch. */
  realtimeFollowUps: number;
  /** Judgments answered by a batch an earlier run left pending. */
  collected: number;
  /** Status polls, and batches cancelled with the job. */
  polls: number;
  cancelled: number;
}

export const DEFAULT_REALTIME_FOLLOW_UPS = 20;

export class BatchDispatcher extends Dispatcher {
  readonly #o: BatchDispatcherOptions;
  readonly #tracker: BatchTracker;
  readonly #retry: RetryContext;
  readonly #adopted: AdoptedBatches;
  readonly #looked: Promise<void>;
  #round: Round | undefined;
  #rounds = 0;
  #spool: Promise<unknown> | undefined;
  readonly #counts: Omit<BatchCounters, 'polls' | 'cancelled'> = {
    batches: 0,
    requests: 0,
    bytesUploaded: 0,
    followUpBatches: 0,
    realtimeFollowUps: 0,
    collected: 0,
  };

  constructor(options: BatchDispatcherOptions) {
    super(options);
    this.#o = options;
    this.#retry = { ...options, log: options.log, redact: (t) => this.redact(t) };
    this.#tracker = new BatchTracker({ ...this.#retry, ...options });
    options.gate.onIdle = () => this.#flush();
    this.#adopted = new AdoptedBatches(options.adopted);
    const adopted = this.#adopted.batches;
    if (adopted.length > 0) {
      const ids = adopted.map((b) => this.redact(b.id)).join(', ');
      this.log.info(
        `judge: collecting ${adopted.length} batch(es) an earlier run left pending (${ids}; ${this.#adopted.lines} requests): judgments they answer are not asked again`,
      );
    }
    if (options.submit) for (const b of adopted) this.#tracker.track(b, true);
    this.#looked = options.submit ? Promise.resolve() : this.#tracker.lookOnce(adopted);
  }

  get counters(): DispatchCounters {
    const realtime = this.#o.realtime.counters;
    return { ...realtime, calls: realtime.calls + this.#counts.requests };
  }

  override get batch(): BatchCounters {
    return { ...this.#counts, ...this.#tracker.counters };
  }

  /** Batches still running: to record for the next run (ids and status are the endpoint's words). */
  override get pending(): PendingBatch[] {
    return this.#tracker.pending.map((b) => ({
      ...b,
      id: this.redact(b.id),
      inputFileId: this.redact(b.inputFileId),
      status: this.redact(b.status) as PendingBatch['status'],
    }));
  }

  override async close(): Promise<void> {
    this.#tracker.stop();
    const unused = this.#adopted.unused;
    if (unused > 0) {
      this.log.info(
        `judge: ${unused} answers of the collected batches matched no request of this run (the judge cache held those judgments, or this run's images or settings differ)`,
      );
    }
  }

  protected async deliver(
    build: () => JudgeRequest,
    label: string,
    again: boolean,
  ): Promise<Delivered> {
    await this.#looked;
    const request = build();
    // A run that only collects takes answers that are in; it does not wait for a batch.
    const slot =
      this.#adopted.lines > 0
        ? this.#adopted.claim(sha256Of(chatBodyParts(request)), !this.#o.submit)
        : undefined;
    if (slot) {
      // An earlier run's batch gives its answer, or stays pending (carried on, never batched
      // twice), or was cancelled with this job; a line it failed or did not run (a batch
      // cancelled meanwhile, in the dashboard say) is asked afresh.
      const outcome = await this.#o.gate.park(slot.outcome.promise);
      const kind = 'error' in outcome ? outcome.error.kind : 'reply';
      const kept =
        kind === 'reply' ||
        kind === 'pending' ||
        (kind === 'cancelled' && this.#o.signal?.aborted === true);
      if (kind === 'reply') this.#counts.collected += 1;
      if (kept) return delivered(outcome, request);
    }
    if (!this.#o.submit || this.probing) return this.#o.realtime.deliverNow(build, label);
    for (let failures = 0; ; failures++) {
      // Built again: what was learned since (a refused parameter, hidden reasoning) applies.
      const asked = failures === 0 ? request : build();
      const queued = await this.#enqueue(asked, label, again, build);
      const outcome = 'error' in queued ? queued : await this.#o.gate.park(queued.promise);
      if (!this.#retriable(outcome) || failures + 1 >= this.#o.maxTransportAttempts)
        return delivered(outcome, asked);
      again = true;
    }
  }

  /**
   * A line the service, not the request, failed (5xx, timeout, expiry, 429): asked again; not one
   * of a batch over the enqueued-token limit, which a follow-up batch would meet alike.
   */
  #retriable(outcome: LineOutcome): boolean {
    if (!('error' in outcome)) return false;
    const { kind, code } = outcome.error;
    return TRANSIENT_KINDS.has(kind) && code !== TOKEN_LIMIT_EXCEEDED;
  }

  /**
   * Writes the ask into the round being gathered; its answer to come. The body's bytes go to the
   * file and are not kept: 2,700 of them would be most of the stage's memory.
   */
  async #enqueue(
    request: JudgeRequest,
    label: string,
    again: boolean,
    build: () => JudgeRequest,
  ): Promise<Deferred<LineOutcome> | { error: JudgeTransportError }> {
    if (this.#o.signal?.aborted) return { error: cancelledBeforeAsked() };
    await (this.#spool ??= mkdir(this.#o.spoolDir, { recursive: true }));
    const round = (this.#round ??= new Round(
      ++this.#rounds,
      this.#o.spoolDir,
      this.#o.limits ?? BATCH_FILE_LIMITS,
    ));
    return round.exclusive(async () => {
      const body = chatBodyParts(request);
      const line: RoundLine = {
        customId: round.nextId,
        bodySha256: sha256Of(body),
        label,
        again,
        build,
        outcome: new Deferred<LineOutcome>(),
      };
      const written = round.add(request.model, inputLineParts(line.customId, body), line);
      if (written === undefined) {
        const mb = (body.reduce((n, p) => n + p.length, 0) / 1e6).toFixed(1);
        return {
          error: new JudgeTransportError(
            'client',
            `the request is ${mb} MB, more than a Batch API input file holds; use a smaller image-size`,
          ),
        };
      }
      await written;
      return line.outcome;
    });
  }

  /** Every judgment in flight waits: the round gathered so far goes. */
  #flush(): void {
    const round = this.#round;
    if (!round) return;
    this.#round = undefined;
    void this.#send(round).catch((error: unknown) => {
      const failed = asTransportError(error);
      for (const line of round.lines) line.outcome.resolve({ error: failed });
    });
  }

  async #send(round: Round): Promise<void> {
    await round.close();
    if (this.#o.signal?.aborted) {
      await round.discard();
      const error = cancelledBeforeAsked();
      for (const line of round.lines) line.outcome.resolve({ error });
      return;
    }
    const n = round.lines.length;
    const max = this.#o.realtimeFollowUps ?? DEFAULT_REALTIME_FOLLOW_UPS;
    const late = this.#o.clock.now() >= this.#o.waitUntil;
    const followUp = round.lines.every((l) => l.again);
    // First asks always go in a batch (with no wait left, it is recorded at once); asks again go
    // realtime when few, or when no batch would be waited for any more.
    if (followUp && (late || n <= max)) {
      this.log.info(
        late
          ? `judge: ${n} judgment(s) to ask again after ${this.#o.waitName}: asking them in realtime, no batch is waited for any more`
          : `judge: asking ${n} judgment(s) again in realtime (at most ${max} go realtime; more would go in a follow-up batch)`,
      );
      await round.discard();
      this.#counts.realtimeFollowUps += n;
      await Promise.all(
        round.lines.map(async (l) =>
          l.outcome.resolve({ realtime: await this.#o.realtime.deliverNow(l.build, l.label) }),
        ),
      );
      return;
    }
    if (followUp) {
      this.#counts.followUpBatches += round.files.length;
      this.log.info(`judge: asking ${n} judgments again in a follow-up batch (more than ${max})`);
    }
    const bytes = round.files.reduce((sum, f) => sum + f.bytes, 0);
    this.log.info(
      `judge: uploading ${n} requests in ${round.files.length} input file(s), ${(bytes / 1e6).toFixed(1)} MB (round ${round.n})`,
    );
    for (const [i, file] of round.files.entries()) await this.#submit(round, file, i);
  }

  async #submit(round: Round, file: RoundFile, i: number): Promise<void> {
    const part = `round ${round.n}, file ${i + 1} of ${round.files.length}`;
    try {
      const fileId = await withRetries(
        `upload (${part})`,
        () => this.#o.api.upload(file.path),
        this.#retry,
      );
      const metadata = {
        ...this.#o.metadata,
        round: String(round.n),
        file: `${i + 1}/${round.files.length}`,
      };
      const created = await withRetries(
        `create batch (${part})`,
        () => this.#o.api.create(fileId, metadata),
        this.#retry,
      );
      this.#counts.batches += 1;
      this.#counts.requests += file.lines.length;
      this.#counts.bytesUploaded += file.bytes;
      this.log.info(
        `judge: submitted batch ${this.redact(created.id)} (${part}): ${file.lines.length} requests, ${(file.bytes / 1e6).toFixed(1)} MB, model ${file.model}, completion window 24h`,
      );
      this.#tracker.track({
        id: created.id,
        inputFileId: fileId,
        model: file.model,
        submittedAt: new Date(this.#o.clock.now()).toISOString(),
        lines: file.lines,
        adopted: false,
        status: created.status,
      });
    } catch (caught) {
      const error = asTransportError(caught);
      this.log.warn(`judge: could not submit a batch (${part}): ${this.redact(error.message)}`);
      for (const line of file.lines) line.outcome.resolve({ error });
    } finally {
      // Never throws: a line of a batch already created must not be failed (and asked again).
      await rm(file.path, { force: true }).catch(() => undefined);
    }
  }
}

/**
 * sha256 of the body a request goes out with, from its parts (no copy of its images): how an
 * identical request is recognised.
 */
function sha256Of(body: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const part of body) hash.update(part);
  return hash.digest('hex');
}

function cancelledBeforeAsked(): JudgeTransportError {
  return new JudgeTransportError('cancelled', 'the job was cancelled before this was asked');
}

/** A line's outcome as the delivery of `request`. */
function delivered(outcome: LineOutcome, request: JudgeRequest): Delivered {
  if ('realtime' in outcome) return outcome.realtime;
  if ('reply' in outcome) return { calls: 1, reply: outcome.reply, request, via: 'batch' };
  return { calls: 1, request, error: outcome.error };
}
