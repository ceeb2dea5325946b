// The Batch API edge: the `openai` SDK's `files` and `batches` resources on the judge's client
// (same key, base URL and timeouts), errors classified as a chat call's are. Input files stream
// from disk (`toStreamingFile`), so a 200 MB file is never held in memory (see `upload`).
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type OpenAI from 'openai';
import { toStreamingFile } from 'openai';
import { classify, sdkClient, type OpenAIJudgeOptions } from '../openai-client.ts';
import { BATCH_ENDPOINT } from './batch-lines.ts';

/** validating, in_progress, finalizing, completed; or failed, expired, cancelling, cancelled. */
export type BatchState = OpenAI.Batch['status'];

/** What a batch is doing, as the API reports it. */
export interface BatchStatus {
  readonly id: string;
  readonly status: BatchState;
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly outputFileId: string | null;
  readonly errorFileId: string | null;
  /** Why a batch `failed` validation (code, message, line). */
  readonly errors: readonly { code: string; message: string; line: number | null }[];
}

export interface BatchApi {
  /** Uploads a JSONL file with purpose `batch`; its file id. */
  upload(file: string): Promise<string>;
  create(inputFileId: string, metadata: Record<string, string>): Promise<BatchStatus>;
  retrieve(id: string): Promise<BatchStatus>;
  cancel(id: string): Promise<BatchStatus>;
  /** A file's content (an output or error file), as text. */
  content(fileId: string): Promise<string>;
}

const UPLOAD_TIMEOUT_MS = 30 * 60_000;

export const TERMINAL_STATES: readonly BatchState[] = [
  'completed',
  'failed',
  'expired',
  'cancelled',
];

function statusOf(b: OpenAI.Batch): BatchStatus {
  return {
    id: b.id,
    status: b.status,
    total: b.request_counts?.total ?? 0,
    completed: b.request_counts?.completed ?? 0,
    failed: b.request_counts?.failed ?? 0,
    outputFileId: b.output_file_id ?? null,
    errorFileId: b.error_file_id ?? null,
    errors: (b.errors?.data ?? []).map((e) => ({
      code: e.code ?? 'unknown',
      message: e.message ?? '',
      line: e.line ?? null,
    })),
  };
}

export function createOpenAIBatchApi(options: OpenAIJudgeOptions): BatchApi {
  const client = sdkClient(options);
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw classify(error, Date.now());
    }
  };
  return {
    upload: (file) =>
      call(async () => {
        const stream = toStreamingFile(createReadStream(file), path.basename(file), {
          type: 'application/jsonl',
        });
        // Up to 200 MB: far longer than a chat call may take. `redirect: 'error'`: fetch (undici)
        // otherwise clones a request to follow a redirect, and the clone tees the streamed body,
        // holding every chunk of the file until the upload ends (nodejs/undici#4058): 200 MB of
        // memory. A streamed body cannot be sent again on a redirect anyway.
        const options = {
          timeout: UPLOAD_TIMEOUT_MS,
          fetchOptions: { redirect: 'error' as const },
        };
        return (await client.files.create({ file: stream, purpose: 'batch' }, options)).id;
      }),
    create: (inputFileId, metadata) =>
      call(async () =>
        statusOf(
          await client.batches.create({
            input_file_id: inputFileId,
            endpoint: BATCH_ENDPOINT,
            completion_window: '24h',
            metadata,
          }),
        ),
      ),
    retrieve: (id) => call(async () => statusOf(await client.batches.retrieve(id))),
    cancel: (id) => call(async () => statusOf(await client.batches.cancel(id))),
    content: (fileId) => call(async () => (await client.files.content(fileId)).text()),
  };
}
