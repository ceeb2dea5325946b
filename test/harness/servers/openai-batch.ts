// The OpenAI Batch API of the loopback judge, mounted on the chat-completions server (openai.ts):
// the Files API (`POST /files` multipart, `GET /files/{id}`, `GET /files/{id}/content`) and the
// Batches API (`POST /batches`, `GET /batches/{id}`, `GET /batches`, `POST /batches/{id}/cancel`).
// Taken from the API reference and the openai-openapi spec (the Batch object, BatchError, the
// per-line request input and output objects, Metadata: 16 pairs, 64-character keys,
// 512-character values) and the batch guide: an input file holds at most 50,000 requests and
// 200 MB, all for one model and the batch's endpoint; a batch goes validating -> in_progress ->
// finalizing -> completed, or failed (validation, with `errors.data[]` naming code and line),
// expired (the 24 h window passed: completed lines in the output file, the rest in the error file
// as `batch_expired`), cancelling -> cancelled (likewise, `batch_cancelled`). Each line is
// answered as the same chat request would be (openai.ts), outside the realtime rate limits.
// Time comes from an injectable clock, so tests move batches along without sleeping; `hold`
// keeps batches in progress until `release`.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type OpenAI from 'openai';
import { estimatePromptTokens } from './openai-limits.ts';
import {
  BATCH_LIMITS,
  checkMetadata,
  parseInput,
  type BatchErrorEntry,
  type Line,
} from './openai-batch-rules.ts';
import type { RecordedRequest } from './openai.ts';

export { BATCH_LIMITS } from './openai-batch-rules.ts';

/** How one line was answered: an HTTP status and body, or no answer in time. */
export type LineAnswer = { status: number; body: unknown } | { timeout: true };

export interface BatchApiOptions {
  /** Milliseconds clock of the batches' timeline; default `Date.now`. Tests pass their fake clock. */
  readonly now?: () => number;
  /** How long each status lasts, ms (default 0 each). */
  readonly durations?: {
    readonly validating?: number;
    readonly inProgress?: number;
    readonly finalizing?: number;
    readonly cancelling?: number;
  };
  /** Batches stay `in_progress` until `release` (or until their window expires). */
  readonly hold?: boolean;
  /** Requests per input file; default 50,000. */
  readonly maxRequests?: number;
  /** Bytes per batch input file; default 200 MB (200,000,000: the stricter reading). */
  readonly maxFileBytes?: number;
  /** The organisation's enqueued-token limit for the model (prompt tokens of unfinished batches). */
  readonly enqueuedTokenLimit?: number;
  /** The completion window, ms; default 24 h. */
  readonly completionWindowMs?: number;
  /** Keep each line's request once answered (`lines`, default true); `false` frees them (benchmarks). */
  readonly keepLines?: boolean;
  /** An HTTP error for a Files or Batches call instead of its answer (e.g. a 500 on one poll). */
  readonly fail?: (method: string, route: string) => { status: number; body?: unknown } | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StoredFile {
  readonly id: string;
  readonly filename: string;
  readonly purpose: string;
  readonly bytes: Buffer;
  readonly createdAtMs: number;
}

export interface StoredBatch {
  readonly id: string;
  readonly inputFileId: string;
  readonly endpoint: string;
  readonly metadata: Record<string, string> | null;
  readonly createdAtMs: number;
  readonly lines: readonly Line[];
  readonly model: string | undefined;
  readonly errors: readonly BatchErrorEntry[];
  /** Set once every line has its answer. */
  readonly ready: Promise<void>;
  releasedAtMs: number | undefined;
  cancellingAtMs: number | undefined;
  outputFileId: string | null;
  errorFileId: string | null;
  finished: boolean;
}

export interface BatchApi {
  readonly files: Map<string, StoredFile>;
  /** In creation order. */
  readonly batches: StoredBatch[];
  /** Every Files and Batches call, `METHOD /route`, in arrival order. */
  readonly calls: string[];
  /** The requests the lines carried, as the chat behaviour saw them. */
  readonly lines: RecordedRequest[];
  set(options: BatchApiOptions): void;
  /** Held batches (all, or the one named) finish their work now. */
  release(id?: string): void;
  /** A batch's status now. */
  status(id: string): string;
  /** Answers a Files or Batches request; `false` when the path is neither. */
  handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<boolean>;
  stop(): void;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-request-id': `req_${hex(8)}`,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const invalid = (message: string, param: string | null = null, code: string | null = null) => ({
  error: { message, type: 'invalid_request_error', param, code },
});

/** The timeline of a batch, from its creation and the clock. */
function timeline(b: StoredBatch, o: BatchApiOptions) {
  const d = o.durations ?? {};
  const validated = b.createdAtMs + (d.validating ?? 0);
  const expiresAt = b.createdAtMs + (o.completionWindowMs ?? DAY_MS);
  const workEnd = o.hold
    ? b.releasedAtMs === undefined
      ? Infinity
      : Math.max(validated, b.releasedAtMs)
    : validated + (d.inProgress ?? 0);
  const cancelling =
    b.cancellingAtMs !== undefined && b.cancellingAtMs < Math.min(workEnd, expiresAt)
      ? b.cancellingAtMs
      : undefined;
  const expired = cancelling === undefined && workEnd > expiresAt ? expiresAt : undefined;
  const finalizing = cancelling === undefined && expired === undefined ? workEnd : undefined;
  return {
    validated,
    expiresAt,
    workEnd,
    cancelling,
    cancelled: cancelling === undefined ? undefined : cancelling + (d.cancelling ?? 0),
    expired,
    finalizing,
    completed: finalizing === undefined ? undefined : finalizing + (d.finalizing ?? 0),
  };
}

/** The Batch object's statuses, as the spec (and so the SDK) lists them. */
type Status = OpenAI.Batch['status'];

function statusAt(b: StoredBatch, o: BatchApiOptions, now: number): Status {
  const t = timeline(b, o);
  if (now < t.validated) return 'validating';
  if (b.errors.length > 0) return 'failed';
  if (t.cancelling !== undefined && now >= t.cancelling)
    return now >= t.cancelled! ? 'cancelled' : 'cancelling';
  if (t.expired !== undefined && now >= t.expired) return 'expired';
  if (now < t.workEnd) return 'in_progress';
  return now < t.completed! ? 'finalizing' : 'completed';
}

/** Lines done by `at`: they finish evenly over the batch's working time. */
function doneBy(b: StoredBatch, o: BatchApiOptions, at: number): number {
  const t = timeline(b, o);
  if (at < t.validated || b.errors.length > 0) return 0;
  if (at >= t.workEnd) return b.lines.length;
  if (!Number.isFinite(t.workEnd)) return 0;
  const share = (at - t.validated) / (t.workEnd - t.validated);
  return Math.min(b.lines.length, Math.floor(share * b.lines.length));
}

const TERMINAL: readonly Status[] = ['failed', 'completed', 'expired', 'cancelled'];
const ok = (a: LineAnswer | undefined) => a !== undefined && 'status' in a && a.status === 200;

export function mountBatchApi(answer: (request: RecordedRequest) => Promise<LineAnswer>): BatchApi {
  let options: BatchApiOptions = {};
  const now = () => (options.now ?? Date.now)();
  const files = new Map<string, StoredFile>();
  const batches: StoredBatch[] = [];
  const calls: string[] = [];
  const lines: RecordedRequest[] = [];
  let stopped = false;

  const storeFile = (filename: string, purpose: string, bytes: Buffer): StoredFile => {
    const file = { id: `file-${hex(12)}`, filename, purpose, bytes, createdAtMs: now() };
    files.set(file.id, file);
    return file;
  };
  const fileObject = (f: StoredFile) => ({
    id: f.id,
    object: 'file',
    bytes: f.bytes.length,
    created_at: Math.floor(f.createdAtMs / 1000),
    expires_at: null,
    filename: f.filename,
    purpose: f.purpose,
    status: 'processed',
    status_details: null,
  });

  /** The output and error files of a batch that reached its end, written once. */
  const finish = (b: StoredBatch, status: Status) => {
    if (b.finished || !TERMINAL.includes(status) || status === 'failed') return;
    b.finished = true;
    const t = timeline(b, options);
    const stoppedAt = t.cancelling ?? t.expired ?? Infinity;
    const done = doneBy(b, options, stoppedAt);
    const out: string[] = [];
    const err: string[] = [];
    b.lines.forEach((line, i) => {
      const id = `batch_req_${hex(12)}`;
      const a = line.answer;
      if (i >= done) {
        const code = t.cancelling !== undefined ? 'batch_cancelled' : 'batch_expired';
        const message =
          code === 'batch_cancelled'
            ? 'This request was not executed because the batch was cancelled.'
            : 'This request could not be executed before the completion window expired.';
        err.push(
          JSON.stringify({
            id,
            custom_id: line.customId,
            response: null,
            error: { code, message },
          }),
        );
      } else if (a === undefined || 'timeout' in a) {
        const error = { code: 'request_timeout', message: 'The request timed out.' };
        err.push(JSON.stringify({ id, custom_id: line.customId, response: null, error }));
      } else {
        const response = { status_code: a.status, request_id: `req_${hex(12)}`, body: a.body };
        (a.status === 200 ? out : err).push(
          JSON.stringify({ id, custom_id: line.customId, response, error: null }),
        );
      }
    });
    const jsonl = (rows: string[]) => Buffer.from(rows.map((r) => `${r}\n`).join(''), 'utf8');
    if (out.length > 0)
      b.outputFileId = storeFile(`${b.id}_output.jsonl`, 'batch_output', jsonl(out)).id;
    if (err.length > 0)
      b.errorFileId = storeFile(`${b.id}_error.jsonl`, 'batch_output', jsonl(err)).id;
  };

  /** The Batch object now; at creation it is always `validating`, as the API answers. */
  const batchObject = (b: StoredBatch, created = false) => {
    const at = now();
    const status = created ? 'validating' : statusAt(b, options, at);
    finish(b, status);
    const t = timeline(b, options);
    const s = (ms: number | undefined) =>
      ms === undefined || !Number.isFinite(ms) || ms > at ? null : Math.floor(ms / 1000);
    const stoppedAt = Math.min(at, t.cancelling ?? Infinity, t.expired ?? Infinity);
    const done = b.lines.slice(0, doneBy(b, options, stoppedAt));
    const completed = done.filter((l) => ok(l.answer)).length;
    const terminalFailed = status === 'expired' || status === 'cancelled';
    const failed = terminalFailed ? b.lines.length - completed : done.length - completed;
    const usage = done.reduce(
      (u, l) => {
        const body = ok(l.answer) ? ((l.answer as { body: ChatUsageBody }).body ?? {}) : {};
        u.input_tokens += body.usage?.prompt_tokens ?? 0;
        u.input_tokens_details.cached_tokens +=
          body.usage?.prompt_tokens_details?.cached_tokens ?? 0;
        u.output_tokens += body.usage?.completion_tokens ?? 0;
        u.output_tokens_details.reasoning_tokens +=
          body.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
        return u;
      },
      {
        input_tokens: 0,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 0,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 0,
      },
    );
    usage.total_tokens = usage.input_tokens + usage.output_tokens;
    return {
      id: b.id,
      object: 'batch',
      endpoint: b.endpoint,
      model: b.model ?? null,
      errors: status === 'failed' ? { object: 'list', data: b.errors.slice(0, 1000) } : null,
      input_file_id: b.inputFileId,
      completion_window: '24h',
      status,
      output_file_id: b.finished ? b.outputFileId : null,
      error_file_id: b.finished ? b.errorFileId : null,
      created_at: Math.floor(b.createdAtMs / 1000),
      in_progress_at: b.errors.length > 0 ? null : s(t.validated),
      expires_at: Math.floor(t.expiresAt / 1000),
      finalizing_at: s(t.finalizing),
      completed_at: s(t.completed),
      failed_at: b.errors.length > 0 ? s(t.validated) : null,
      expired_at: s(t.expired),
      cancelling_at: s(t.cancelling),
      cancelled_at: s(t.cancelled),
      request_counts: { total: b.lines.length, completed, failed },
      usage,
      metadata: b.metadata,
    };
  };

  const enqueuedTokens = (model: string) =>
    batches
      .filter((b) => b.model === model && !TERMINAL.includes(statusAt(b, options, now())))
      .reduce(
        (sum, b) => sum + b.lines.reduce((n, l) => n + estimatePromptTokens(l.body ?? {}), 0),
        0,
      );

  const createBatch = (body: Record<string, unknown>, res: http.ServerResponse) => {
    const fileId = body.input_file_id;
    const file = typeof fileId === 'string' ? files.get(fileId) : undefined;
    if (!file)
      return sendJson(res, 400, invalid(`No such File object: ${String(fileId)}`, 'input_file_id'));
    if (file.purpose !== 'batch') {
      return sendJson(
        res,
        400,
        invalid(
          `The file ${file.id} has purpose '${file.purpose}'; a batch needs purpose 'batch'.`,
          'input_file_id',
        ),
      );
    }
    if (body.endpoint !== '/v1/chat/completions') {
      return sendJson(
        res,
        400,
        invalid(
          `Invalid 'endpoint': ${JSON.stringify(body.endpoint)} (this loopback serves /v1/chat/completions).`,
          'endpoint',
          'invalid_value',
        ),
      );
    }
    if (body.completion_window !== '24h') {
      return sendJson(
        res,
        400,
        invalid(
          `Invalid 'completion_window': ${JSON.stringify(body.completion_window)}. Supported values are: '24h'.`,
          'completion_window',
          'invalid_value',
        ),
      );
    }
    const metadataProblem = checkMetadata(body.metadata);
    if (metadataProblem)
      return sendJson(res, 400, invalid(metadataProblem, 'metadata', 'invalid_value'));
    const parsed = parseInput(file, body.endpoint, options.maxRequests ?? BATCH_LIMITS.requests);
    const errors = [...parsed.errors];
    const limit = options.enqueuedTokenLimit;
    if (errors.length === 0 && limit !== undefined && parsed.model) {
      const tokens = parsed.lines.reduce((n, l) => n + estimatePromptTokens(l.body ?? {}), 0);
      if (enqueuedTokens(parsed.model) + tokens > limit) {
        errors.push({
          code: 'token_limit_exceeded',
          message: `Enqueued token limit reached for ${parsed.model} in organization org-loopback. Limit: ${limit.toLocaleString('en-US')} enqueued tokens. Please try again once some in_progress batches have been completed.`,
          param: null,
          line: null,
        });
      }
    }
    const id = `batch_${hex(12)}`;
    const ready = errors.length > 0 ? Promise.resolve() : answerAll(id, parsed.lines);
    const batch: StoredBatch = {
      id,
      inputFileId: file.id,
      endpoint: body.endpoint,
      metadata: (body.metadata as Record<string, string> | undefined) ?? null,
      createdAtMs: now(),
      lines: parsed.lines,
      model: parsed.model,
      errors,
      ready,
      releasedAtMs: undefined,
      cancellingAtMs: undefined,
      outputFileId: null,
      errorFileId: null,
      finished: false,
    };
    batches.push(batch);
    return sendJson(res, 200, batchObject(batch, true));
  };

  /** Every line answered as its request would be (in order, like a worker going down the file). */
  const answerAll = async (batchId: string, toAnswer: Line[]) => {
    for (const line of toAnswer) {
      if (stopped) return;
      const request: RecordedRequest = {
        method: 'POST',
        url: '/v1/chat/completions',
        headers: {},
        body: line.body!,
        batchLine: { batchId, customId: line.customId },
      };
      const keep = options.keepLines ?? true;
      if (keep) lines.push(request);
      line.answer = await answer(request);
      if (!keep) line.body = undefined;
    }
  };

  const upload = async (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => {
    let form: FormData;
    try {
      const headers = { 'content-type': String(req.headers['content-type'] ?? '') };
      form = await new Request('http://loopback/', {
        method: 'POST',
        headers,
        body: new Uint8Array(body),
      }).formData();
    } catch {
      return sendJson(res, 400, invalid('The request body must be multipart/form-data.'));
    }
    const purpose = form.get('purpose');
    const file = form.get('file');
    const purposes = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];
    if (typeof purpose !== 'string' || !purposes.includes(purpose)) {
      return sendJson(
        res,
        400,
        invalid(`Invalid 'purpose': ${JSON.stringify(purpose)}.`, 'purpose'),
      );
    }
    if (!(file instanceof File))
      return sendJson(res, 400, invalid("Missing required parameter: 'file'.", 'file'));
    const bytes = Buffer.from(await file.arrayBuffer());
    if (purpose === 'batch') {
      if (!file.name.endsWith('.jsonl'))
        return sendJson(res, 400, invalid('Invalid file format for Batch API. Must be .jsonl'));
      if (bytes.length > (options.maxFileBytes ?? BATCH_LIMITS.fileBytes))
        return sendJson(res, 400, invalid('File is too large.'));
    }
    return sendJson(res, 200, fileObject(storeFile(file.name, purpose, bytes)));
  };

  const route = async (
    method: string,
    path: string,
    query: URLSearchParams,
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
  ): Promise<void> => {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/files') return upload(req, body, res);
    if (method === 'GET' && (m = /^\/files\/([^/]+)(\/content)?$/.exec(path))) {
      const file = files.get(decodeURIComponent(m[1]!));
      if (!file) return sendJson(res, 404, invalid(`No such File object: ${m[1]}`, 'id'));
      if (!m[2]) return sendJson(res, 200, fileObject(file));
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': file.bytes.length,
      });
      return void res.end(file.bytes);
    }
    if (method === 'POST' && path === '/batches') {
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return sendJson(res, 400, invalid('The request body is not JSON.'));
      }
      return createBatch(json, res);
    }
    if (method === 'GET' && path === '/batches') {
      await Promise.all(batches.map((b) => b.ready));
      const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 20) || 20));
      const newest = [...batches].reverse();
      const after = query.get('after');
      const start = after ? newest.findIndex((b) => b.id === after) + 1 : 0;
      const page = newest.slice(start, start + limit).map((b) => batchObject(b));
      return sendJson(res, 200, {
        object: 'list',
        data: page,
        first_id: page[0]?.id ?? null,
        last_id: page.at(-1)?.id ?? null,
        has_more: start + limit < newest.length,
      });
    }
    if ((m = /^\/batches\/([^/]+)(\/cancel)?$/.exec(path))) {
      const batch = batches.find((b) => b.id === decodeURIComponent(m![1]!));
      if (!batch)
        return sendJson(res, 404, invalid(`No batch found with id '${m[1]}'.`, 'batch_id'));
      await batch.ready;
      if (method === 'GET' && !m[2]) return sendJson(res, 200, batchObject(batch));
      if (method === 'POST' && m[2]) {
        const status = statusAt(batch, options, now());
        if (status === 'validating' || status === 'in_progress' || status === 'finalizing') {
          batch.cancellingAtMs = now();
        } else if (status !== 'cancelling' && status !== 'cancelled') {
          return sendJson(res, 400, invalid(`Cannot cancel a batch with status '${status}'.`));
        }
        return sendJson(res, 200, batchObject(batch));
      }
    }
    return sendJson(res, 404, invalid(`Unknown request URL: ${method} /v1${path}.`));
  };

  return {
    files,
    batches,
    calls,
    lines,
    set(next) {
      options = next;
    },
    release(id) {
      for (const b of batches) if (id === undefined || b.id === id) b.releasedAtMs ??= now();
    },
    status(id) {
      const b = batches.find((x) => x.id === id);
      return b ? statusAt(b, options, now()) : 'unknown';
    },
    async handle(req, body, res) {
      const url = new URL(req.url ?? '/', 'http://loopback');
      const path = url.pathname.replace(/^\/v1/, '');
      if (!/^\/(files|batches)(\/|$)/.test(path)) return false;
      const method = req.method ?? 'GET';
      const name = `${method} ${path.replace(/\/(file|batch)[-_][A-Za-z0-9]+/, '/{id}')}`;
      calls.push(name);
      const injected = options.fail?.(method, name.slice(method.length + 1));
      if (injected) {
        sendJson(
          res,
          injected.status,
          injected.body ?? {
            error: {
              message: `status ${injected.status}`,
              type: 'server_error',
              param: null,
              code: null,
            },
          },
        );
        return true;
      }
      await route(method, path, url.searchParams, req, body, res);
      return true;
    },
    stop() {
      stopped = true;
    },
  };
}

interface ChatUsageBody {
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number };
    completion_tokens_details?: { reasoning_tokens?: number };
  };
}
