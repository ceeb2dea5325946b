// The Batch API's files, line by line (pure). An input line is `{"custom_id", "method": "POST",
// "url": "/v1/chat/completions", "body"}` with the body byte for byte what a realtime call would
// send (chat-body.ts), so a batched judgment and a realtime one are the same request. Output and
// error lines are `{"id", "custom_id", "response": {"status_code", "request_id", "body"},
// "error"}`; `error` is set instead of `response` for a request that never ran (`batch_expired`,
// `batch_cancelled`) or timed out (`request_timeout`). A body is evidence of a completion only
// with status 200: a refused request comes back as a 4xx with an error where the completion
// would be. (The per-line objects of the openai-openapi spec, BatchRequestInput and
// BatchRequestOutput.)
import { chatReply, statusError } from '../chat-reply.ts';
import { JudgeTransportError } from '../errors.ts';
import type { JudgeReply } from '../judge-transport.ts';

export const BATCH_ENDPOINT = '/v1/chat/completions';

/**
 * One input line, newline-terminated: the envelope's parts around the body's own parts (no
 * image is copied on the way to the file).
 */
export function inputLineParts(customId: string, body: readonly Buffer[]): Buffer[] {
  const head = `{"custom_id":${JSON.stringify(customId)},"method":"POST","url":"${BATCH_ENDPOINT}","body":`;
  return [Buffer.from(head, 'utf8'), ...body, Buffer.from('}\n', 'utf8')];
}

export type LineResult = { readonly reply: JudgeReply } | { readonly error: JudgeTransportError };

interface OutputLine {
  custom_id?: unknown;
  response?: { status_code?: unknown; body?: unknown } | null;
  error?: { code?: unknown; message?: unknown } | null;
}

/** What one output or error line says about its request. */
function lineResult(line: OutputLine): LineResult {
  const response = line.response;
  if (response && typeof response === 'object') {
    const status = Number(response.status_code);
    if (status === 200) {
      const reply = chatReply(response.body);
      if (reply) return { reply };
      return {
        error: new JudgeTransportError(
          'server',
          'the batch answered status 200 with a body that is not a chat completion',
        ),
      };
    }
    const e = (response.body as { error?: { message?: unknown; code?: unknown; param?: unknown } })
      ?.error;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const code = text(e?.code);
    const param = text(e?.param);
    return {
      error: statusError(status, text(e?.message) ?? `status ${status}`, {
        status,
        ...(code ? { code } : {}),
        ...(param ? { param } : {}),
      }),
    };
  }
  const code = typeof line.error?.code === 'string' ? line.error.code : 'unknown';
  const message = typeof line.error?.message === 'string' ? line.error.message : 'no reason given';
  const said = `the batch did not run the request (${code}: ${message})`;
  if (code === 'batch_cancelled') return { error: new JudgeTransportError('cancelled', said) };
  // batch_expired, request_timeout and anything new: not this request's fault, ask again.
  return { error: new JudgeTransportError('timeout', said, { code }) };
}

/**
 * The lines of an output or error file by `custom_id`. A line that is not JSON or names no
 * custom_id cannot be matched to a request and is counted, not guessed at.
 */
export function readResultLines(text: string): {
  results: Map<string, LineResult>;
  unreadable: number;
} {
  const results = new Map<string, LineResult>();
  let unreadable = 0;
  for (const row of text.split('\n')) {
    if (row.trim() === '') continue;
    let line: OutputLine;
    try {
      line = JSON.parse(row) as OutputLine;
    } catch {
      unreadable += 1;
      continue;
    }
    if (typeof line?.custom_id !== 'string') {
      unreadable += 1;
      continue;
    }
    results.set(line.custom_id, lineResult(line));
  }
  return { results, unreadable };
}
