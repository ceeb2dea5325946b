// The loopback Batch API answers the real `openai` SDK (files and batches resources) the way the
// API does: the status sequence on an injected clock, the output and error files in the real
// line format, the validation errors, the 50,000-line and 200 MB rules, metadata limits, expiry
// and cancellation.
import OpenAI, { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_LIMITS } from './servers/openai-batch.ts';
import { refusalBody, startOpenAIServer, type OpenAIServer } from './servers/openai.ts';

let server: OpenAIServer;
let now = 0;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(async () => server.close());
afterEach(() => {
  server.set({});
  server.batch.set({});
  now = 0;
});

const client = () => new OpenAI({ apiKey: 'sk-x', baseURL: server.baseURL, maxRetries: 0 });
const image = `data:image/jpeg;base64,${Buffer.from('fake-jpeg').toString('base64')}`;

interface LineOptions {
  model?: string;
  url?: string;
  logprobs?: boolean;
}
function line(customId: string, o: LineOptions = {}): string {
  return JSON.stringify({
    custom_id: customId,
    method: 'POST',
    url: o.url ?? '/v1/chat/completions',
    body: {
      model: o.model ?? 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: `judge ${customId}` },
            { type: 'image_url', image_url: { url: image, detail: 'high' } },
          ],
        },
      ],
      max_tokens: 64,
      ...(o.logprobs ? { logprobs: true, top_logprobs: 5 } : {}),
    },
  });
}
const jsonl = (rows: string[]) => rows.map((r) => `${r}\n`).join('');

async function submit(rows: string[], metadata?: Record<string, string>) {
  const file = await client().files.create({
    file: await toFile(Buffer.from(jsonl(rows)), 'judge.jsonl'),
    purpose: 'batch',
  });
  return client().batches.create({
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
    ...(metadata ? { metadata } : {}),
  });
}

async function fileLines(id: string | null | undefined) {
  if (!id) return [];
  const text = await (await client().files.content(id)).text();
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>);
}

describe('loopback Batch API: a batch from upload to its output file', () => {
  it('goes validating -> in_progress -> finalizing -> completed on the clock, counting lines as they finish', async () => {
    server.batch.set({
      now: () => now,
      durations: { validating: 1000, inProgress: 4000, finalizing: 500 },
    });
    const created = await submit(
      ['a', 'b', 'c', 'd'].map((id) => line(id, { logprobs: true })),
      { run: 'https://github.com/o/r/actions/runs/1' },
    );
    expect(created).toMatchObject({
      object: 'batch',
      status: 'validating',
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { run: 'https://github.com/o/r/actions/runs/1' },
    });
    const seen: string[] = [];
    const counts: number[] = [];
    for (const t of [500, 1000, 3000, 5000, 5600]) {
      now = t;
      const b = await client().batches.retrieve(created.id);
      seen.push(b.status);
      counts.push(b.request_counts!.completed);
    }
    expect(seen).toEqual(['validating', 'in_progress', 'in_progress', 'finalizing', 'completed']);
    expect(counts).toEqual([0, 0, 2, 4, 4]);
    const done = await client().batches.retrieve(created.id);
    expect(done).toMatchObject({
      model: 'gpt-4o',
      request_counts: { total: 4, completed: 4, failed: 0 },
      in_progress_at: 1,
      finalizing_at: 5,
      completed_at: 5,
      error_file_id: null,
    });
    expect(done.usage!.input_tokens).toBeGreaterThan(0);

    const out = await fileLines(done.output_file_id);
    expect(out.map((l) => l.custom_id).sort()).toEqual(['a', 'b', 'c', 'd']);
    for (const l of out) {
      expect(l).toMatchObject({
        id: expect.stringMatching(/^batch_req_/),
        error: null,
        response: { status_code: 200, request_id: expect.stringMatching(/^req_/) },
      });
      const body = l.response.body as OpenAI.Chat.ChatCompletion;
      expect(body.object).toBe('chat.completion');
      expect(body.choices[0]!.message.content).toMatch(/Score: [0-4]/);
      expect(body.choices[0]!.logprobs!.content!.length).toBeGreaterThan(0);
    }
    // The lines were answered as batch lines, never as realtime requests.
    expect(server.requests).toHaveLength(0);
    expect(server.batch.lines.map((r) => r.batchLine?.customId)).toEqual(['a', 'b', 'c', 'd']);
    const input = await client().files.retrieve(created.input_file_id);
    expect(input).toMatchObject({ object: 'file', purpose: 'batch', filename: 'judge.jsonl' });
  });

  it('writes a failing request to the error file with its HTTP status and body', async () => {
    server.set({
      respond: (r) =>
        r.batchLine?.customId === 'bad'
          ? { kind: 'status', status: 400, body: refusalBody('max_tokens') }
          : undefined,
    });
    const created = await submit([line('good'), line('bad')]);
    const done = await client().batches.retrieve(created.id);
    expect(done).toMatchObject({
      status: 'completed',
      request_counts: { total: 2, completed: 1, failed: 1 },
    });
    expect((await fileLines(done.output_file_id)).map((l) => l.custom_id)).toEqual(['good']);
    const [error] = await fileLines(done.error_file_id);
    expect(error).toMatchObject({
      custom_id: 'bad',
      error: null,
      response: {
        status_code: 400,
        body: { error: { code: 'unsupported_parameter', param: 'max_tokens' } },
      },
    });
  });
});

describe('loopback Batch API: validation', () => {
  it('fails a batch whose lines break the rules, naming code and line', async () => {
    const created = await submit([
      line('x'),
      line('x'),
      line('y', { model: 'gpt-4o-mini' }),
      line('z', { url: '/v1/embeddings' }),
      '{not json',
    ]);
    const failed = await client().batches.retrieve(created.id);
    expect(failed.status).toBe('failed');
    expect(failed.output_file_id).toBeNull();
    expect(failed.errors!.data!.map((e) => [e.code, e.line])).toEqual([
      ['duplicate_custom_id', 2],
      ['model_mismatch', 3],
      ['url_mismatch', 4],
      ['invalid_json_line', 5],
    ]);
  });

  it('holds at most 50,000 requests per batch (fewer here, to stay fast)', async () => {
    expect(BATCH_LIMITS.requests).toBe(50_000);
    server.batch.set({ maxRequests: 3 });
    const created = await submit(['a', 'b', 'c', 'd'].map((id) => line(id)));
    const failed = await client().batches.retrieve(created.id);
    expect(failed.status).toBe('failed');
    expect(failed.errors!.data![0]).toMatchObject({ code: 'too_many_tasks' });
  });

  it('refuses a batch input file above 200 MB at upload (a smaller limit here)', async () => {
    expect(BATCH_LIMITS.fileBytes).toBe(200_000_000);
    server.batch.set({ maxFileBytes: 1000 });
    const upload = client().files.create({
      file: await toFile(Buffer.alloc(1001, 'x'), 'big.jsonl'),
      purpose: 'batch',
    });
    await expect(upload).rejects.toMatchObject({ status: 400, message: /File is too large/ });
    const small = await client().files.create({
      file: await toFile(Buffer.alloc(1000, 'x'), 'small.jsonl'),
      purpose: 'batch',
    });
    expect(small.bytes).toBe(1000);
  });

  it('takes metadata of at most 16 pairs, 64-character keys and 512-character values', async () => {
    const pairs = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    await expect(submit([line('a')], pairs(16))).resolves.toMatchObject({ status: 'validating' });
    await expect(submit([line('a')], pairs(17))).rejects.toMatchObject({
      status: 400,
      param: 'metadata',
    });
    await expect(submit([line('a')], { ['k'.repeat(65)]: 'v' })).rejects.toMatchObject({
      status: 400,
    });
    await expect(submit([line('a')], { k: 'v'.repeat(513) })).rejects.toMatchObject({
      status: 400,
      message: /maximum length 512/,
    });
  });

  it('fails a batch past the enqueued-token limit with token_limit_exceeded', async () => {
    server.batch.set({ enqueuedTokenLimit: 10, hold: true });
    const created = await submit([line('a')]);
    const failed = await client().batches.retrieve(created.id);
    expect(failed.errors!.data![0]).toMatchObject({ code: 'token_limit_exceeded' });
  });
});

describe('loopback Batch API: expiry, cancellation, listing', () => {
  it('expires a batch still working when the 24 h window ends: done lines in the output, the rest batch_expired', async () => {
    const day = 24 * 3600 * 1000;
    server.batch.set({ now: () => now, durations: { inProgress: 2 * day } });
    const created = await submit(['a', 'b', 'c', 'd'].map((id) => line(id)));
    now = day;
    const expired = await client().batches.retrieve(created.id);
    expect(expired).toMatchObject({ status: 'expired', expired_at: day / 1000 });
    expect(expired.request_counts).toEqual({ total: 4, completed: 2, failed: 2 });
    expect((await fileLines(expired.output_file_id)).map((l) => l.custom_id)).toEqual(['a', 'b']);
    const errors = await fileLines(expired.error_file_id);
    expect(errors.map((l) => [l.custom_id, l.response, l.error.code])).toEqual([
      ['c', null, 'batch_expired'],
      ['d', null, 'batch_expired'],
    ]);
  });

  it('cancels: cancelling, then cancelled with the unexecuted lines as batch_cancelled; a finished batch refuses', async () => {
    server.batch.set({ now: () => now, hold: true, durations: { cancelling: 1000 } });
    const created = await submit([line('a'), line('b')]);
    now = 10;
    expect((await client().batches.retrieve(created.id)).status).toBe('in_progress');
    const cancelling = await client().batches.cancel(created.id);
    expect(cancelling.status).toBe('cancelling');
    now = 2000;
    const cancelled = await client().batches.retrieve(created.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.output_file_id).toBeNull();
    expect((await fileLines(cancelled.error_file_id)).map((l) => l.error.code)).toEqual([
      'batch_cancelled',
      'batch_cancelled',
    ]);

    server.batch.set({});
    const done = await submit([line('c')]);
    expect((await client().batches.retrieve(done.id)).status).toBe('completed');
    await expect(client().batches.cancel(done.id)).rejects.toMatchObject({ status: 400 });
  });

  it('releases a held batch, lists batches newest first page by page, and 404s what it does not know', async () => {
    server.batch.set({ hold: true });
    const held = await submit([line('a')]);
    expect(server.batch.status(held.id)).toBe('in_progress');
    server.batch.release(held.id);
    expect((await client().batches.retrieve(held.id)).status).toBe('completed');

    const ids: string[] = [];
    for await (const b of client().batches.list({ limit: 2 })) ids.push(b.id);
    expect(ids).toEqual(server.batch.batches.map((b) => b.id).reverse());
    expect(ids.length).toBeGreaterThan(2);
    await expect(client().batches.retrieve('batch_nope')).rejects.toMatchObject({ status: 404 });
    await expect(client().files.retrieve('file-nope')).rejects.toMatchObject({ status: 404 });
  });
});
