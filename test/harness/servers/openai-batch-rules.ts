// What the loopback Batch API (openai-batch.ts) accepts, from the API reference and the batch
// guide: an input file of at most 50,000 requests and 200 MB, each line JSON with a unique
// custom_id, method POST, the batch's endpoint as url and a body naming one model for the whole
// batch (the codes of a failed batch's `errors.data[]`: invalid_json_line, missing_required_parameter,
// duplicate_custom_id, url_mismatch, model_mismatch, empty_file, too_many_tasks); metadata of at
// most 16 pairs, keys up to 64 characters, string values up to 512 (the spec's Metadata).
import type { ChatRequestBody } from './openai.ts';
import type { LineAnswer, StoredFile } from './openai-batch.ts';

export const BATCH_LIMITS = { requests: 50_000, fileBytes: 200_000_000 } as const;

export interface BatchErrorEntry {
  readonly code: string;
  readonly message: string;
  readonly param: string | null;
  readonly line: number | null;
}

export interface Line {
  readonly customId: string;
  /** Dropped once answered when `keepLines` is false. */
  body: ChatRequestBody | undefined;
  answer?: LineAnswer;
}

/** Validates an input file against the batch guide's rules; the lines and the errors. */
export function parseInput(
  file: StoredFile,
  endpoint: string,
  maxRequests: number,
): { lines: Line[]; errors: BatchErrorEntry[]; model: string | undefined } {
  const errors: BatchErrorEntry[] = [];
  const lines: Line[] = [];
  const fail = (code: string, message: string, line: number | null, param: string | null = null) =>
    errors.push({ code, message, param, line });
  const text = file.bytes.toString('utf8');
  const rows = text.split('\n').filter((row) => row.trim() !== '');
  if (rows.length === 0) fail('empty_file', 'The batch input file is empty.', null);
  if (rows.length > maxRequests) {
    fail(
      'too_many_tasks',
      `The batch input file contains ${rows.length} requests; a batch holds at most ${maxRequests}.`,
      null,
    );
  }
  const seen = new Set<string>();
  let model: string | undefined;
  rows.forEach((row, i) => {
    const at = i + 1;
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(row) as Record<string, unknown>;
    } catch {
      return fail('invalid_json_line', 'This line is not parseable as valid JSON.', at);
    }
    if (typeof line !== 'object' || line === null || Array.isArray(line))
      return fail('invalid_json_line', 'This line is not parseable as valid JSON.', at);
    for (const key of ['custom_id', 'method', 'url', 'body'] as const) {
      if (!(key in line))
        return fail('missing_required_parameter', `Missing required parameter: '${key}'.`, at, key);
    }
    const customId = line.custom_id;
    if (typeof customId !== 'string' || customId === '')
      return fail('invalid_request', 'custom_id must be a non-empty string.', at, 'custom_id');
    if (seen.has(customId)) {
      return fail(
        'duplicate_custom_id',
        'The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.',
        at,
        'custom_id',
      );
    }
    seen.add(customId);
    if (line.method !== 'POST')
      return fail('invalid_request', 'Only POST is supported as method.', at, 'method');
    if (line.url !== endpoint) {
      return fail(
        'url_mismatch',
        'The URL provided for this request does not match the batch endpoint.',
        at,
        'url',
      );
    }
    const body = line.body as ChatRequestBody;
    if (typeof body !== 'object' || body === null || typeof body.model !== 'string')
      return fail('invalid_request', "The request body must name a 'model'.", at, 'body.model');
    if (body.stream === true)
      return fail('invalid_request', 'Streaming is not supported in batches.', at, 'body.stream');
    model ??= body.model;
    if (body.model !== model) {
      return fail(
        'model_mismatch',
        `The provided model '${body.model}' does not match the model '${model}' of the other requests in this batch. All requests in a batch must use the same model.`,
        at,
        'body.model',
      );
    }
    lines.push({ customId, body });
  });
  return { lines, errors, model };
}

/** The Metadata rules of the spec: at most 16 pairs, keys up to 64 characters, string values up to 512. */
export function checkMetadata(metadata: unknown): string | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  if (typeof metadata !== 'object' || Array.isArray(metadata))
    return "Invalid 'metadata': expected an object of string values.";
  const entries = Object.entries(metadata as Record<string, unknown>);
  if (entries.length > 16)
    return `Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with ${entries.length} properties instead.`;
  for (const [key, value] of entries) {
    if (key.length > 64)
      return `Invalid 'metadata': key ${JSON.stringify(key)} is longer than 64 characters.`;
    if (typeof value !== 'string')
      return `Invalid 'metadata.${key}': expected a string, but got ${typeof value} instead.`;
    if (value.length > 512)
      return `Invalid 'metadata.${key}': string too long. Expected a string with maximum length 512, but got a string with length ${value.length} instead.`;
  }
  return undefined;
}
