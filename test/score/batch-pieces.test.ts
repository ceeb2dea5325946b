// The pure parts of batch judging: input lines around the exact request body, output and error
// lines read back by custom_id, files packed within the limits, metadata within its limits, the
// pending record read back, batch prices, and the idle gate.
import { describe, expect, it } from 'vitest';
import { BATCH_PRICE_FACTOR, costUsd, DEFAULT_PRICES, priceVia } from '../../src/score/pricing.ts';
import { AdoptedBatches } from '../../src/score/transport/batch/adopted.ts';
import { inputLineParts, readResultLines } from '../../src/score/transport/batch/batch-lines.ts';
import { BATCH_FILE_LIMITS, FilePacker } from '../../src/score/transport/batch/file-packer.ts';
import { IdleGate } from '../../src/score/transport/batch/idle-gate.ts';
import { batchMetadata } from '../../src/score/transport/batch/metadata.ts';
import { parsePendingBatches } from '../../src/score/transport/batch/pending.ts';
import { chatBody } from '../../src/score/transport/chat-body.ts';
import { JudgeTransportError } from '../../src/score/transport/errors.ts';
import { DataUrl } from '../../src/score/transport/data-url.ts';
import type { JudgeRequest } from '../../src/score/transport/judge-transport.ts';
import { refusalBody } from '../harness/servers/openai.ts';

const request: JudgeRequest = {
  model: 'gpt-4o-2024-08-06',
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Judge "this" \u2014 fairly' },
        {
          type: 'image_url',
          image_url: { url: DataUrl.jpeg(Buffer.from('jpeg!')), detail: 'high' },
        },
      ],
    },
  ],
  temperature: 1,
  maxTokens: 64,
  topLogprobs: 10,
};

describe('batch input lines', () => {
  it('wrap the very body a realtime call sends, as one JSON line', () => {
    const body = chatBody(request);
    const line = Buffer.concat(inputLineParts('r1-7', [body]));
    expect(line.at(-1)).toBe(0x0a);
    expect(line.subarray(0, -1).includes(0x0a)).toBe(false);
    const parsed = JSON.parse(line.toString('utf8'));
    expect(parsed).toEqual({
      custom_id: 'r1-7',
      method: 'POST',
      url: '/v1/chat/completions',
      body: JSON.parse(body.toString('utf8')),
    });
    expect(line.includes(body)).toBe(true); // byte for byte
  });
});

describe('batch output and error lines', () => {
  const completion = (content: string) => ({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: 'gpt-4o-2024-08-06',
    system_fingerprint: 'fp_1',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: 630,
      completion_tokens: 3,
      prompt_tokens_details: { cached_tokens: 0 },
    },
  });
  const line = (customId: string, response: unknown, error: unknown = null) =>
    JSON.stringify({ id: `batch_req_${customId}`, custom_id: customId, response, error });

  it('are matched by custom_id: a completion, an HTTP error, a request never run', () => {
    const text = [
      line('a', { status_code: 200, request_id: 'req_1', body: completion('Score: 3') }),
      line('b', { status_code: 400, request_id: 'req_2', body: refusalBody('max_tokens') }),
      line('c', null, {
        code: 'batch_expired',
        message: 'This request could not be executed before the completion window expired.',
      }),
      line('d', null, {
        code: 'batch_cancelled',
        message: 'This request was not executed because the batch was cancelled.',
      }),
      line('e', {
        status_code: 500,
        request_id: 'req_5',
        body: { error: { message: 'boom', type: 'server_error' } },
      }),
      line('f', { status_code: 200, request_id: 'req_6', body: { object: 'error' } }),
      '{not json',
      '',
    ].join('\n');
    const { results, unreadable } = readResultLines(text);
    expect(unreadable).toBe(1);
    const a = results.get('a')!;
    expect('reply' in a && a.reply).toMatchObject({
      content: 'Score: 3',
      model: 'gpt-4o-2024-08-06',
      usage: { promptTokens: 630, completionTokens: 3, cachedTokens: 0 },
    });
    const kinds = ['b', 'c', 'd', 'e', 'f'].map((id) => {
      const r = results.get(id)!;
      return 'error' in r ? [r.error.kind, r.error.status, r.error.param] : 'reply';
    });
    expect(kinds).toEqual([
      ['client', 400, 'max_tokens'],
      ['timeout', undefined, undefined],
      ['cancelled', undefined, undefined],
      ['server', 500, undefined],
      ['server', undefined, undefined],
    ]);
    const b = results.get('b')!;
    expect('error' in b && b.error.code).toBe('unsupported_parameter');
  });
});

describe('packing requests into batch input files', () => {
  it('defaults to the API limits: 50,000 requests and 200 MB per file', () => {
    expect(BATCH_FILE_LIMITS).toEqual({ requests: 50_000, bytes: 200_000_000 });
  });

  it('closes a file when the next line would pass the bytes or the count, one model per file', () => {
    const packer = new FilePacker({ requests: 3, bytes: 100 });
    const at = [40, 40, 30, 10, 10, 10, 10].map((b) => packer.place('gpt-4o', b));
    expect(at).toEqual([0, 0, 1, 1, 1, 2, 2]);
    expect(packer.place('gpt-4o-mini', 10)).toBe(3);
    expect(packer.place('gpt-4o', 10)).toBe(2);
    expect(packer.place('gpt-4o', 101)).toBeUndefined();
    expect(packer.files.map((f) => [f.model, f.requests, f.bytes])).toEqual([
      ['gpt-4o', 2, 80],
      ['gpt-4o', 3, 50],
      ['gpt-4o', 3, 30],
      ['gpt-4o-mini', 1, 10],
    ]);
  });

  it('fits 1,350 samples of ~270 KB and ~140 KB requests into three 200 MB files', () => {
    const packer = new FilePacker();
    for (let i = 0; i < 1350; i++) {
      packer.place('gpt-4o', 270_000);
      packer.place('gpt-4o', 140_000);
    }
    expect(packer.files).toHaveLength(3);
    expect(packer.files.every((f) => f.bytes <= 200_000_000)).toBe(true);
  });
});

describe('batch metadata', () => {
  it('keeps to 16 pairs, 64-character keys and 512-character values', () => {
    const facts = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, `v${i}`]));
    expect(Object.keys(batchMetadata(facts))).toHaveLength(16);
    const long = batchMetadata({
      ['k'.repeat(70)]: 'x'.repeat(600),
      empty: '',
      none: undefined,
      n: 3,
    });
    expect(Object.keys(long)).toEqual(['k'.repeat(64), 'n']);
    expect(long['k'.repeat(64)]!.length).toBe(512);
    expect(long['k'.repeat(64)]!.endsWith('…')).toBe(true);
    expect(long.n).toBe('3');
  });
});

describe('the pending record', () => {
  const batch = {
    id: 'batch_1',
    inputFileId: 'file-1',
    model: 'gpt-4o',
    submittedAt: '2026-01-01T00:00:00.000Z',
    status: 'in_progress',
    lines: [{ customId: 'r1-1', bodySha256: 'a'.repeat(64), label: 'x cp#0' }],
  };
  it('reads back what was written', () => {
    expect(parsePendingBatches(JSON.parse(JSON.stringify([batch])))).toEqual([batch]);
  });
  it('refuses a damaged record with the reason', () => {
    expect(parsePendingBatches({})).toEqual({ problem: '"batches" is not a list' });
    expect(parsePendingBatches([{ ...batch, id: '' }])).toMatchObject({ problem: /lacks its id/ });
    expect(
      parsePendingBatches([{ ...batch, lines: [{ customId: 'r1-1', bodySha256: 'nope' }] }]),
    ).toMatchObject({
      problem: /body sha256/,
    });
  });
});

describe('adopted batches', () => {
  it('give each line to one request of its body (repeats send the same body), answered ones only when asked', () => {
    const sha = (c: string) => c.repeat(64);
    const line = (customId: string, body: string) => ({
      customId,
      bodySha256: sha(body),
      label: '',
    });
    const pending = {
      id: 'batch_1',
      inputFileId: 'file-1',
      model: 'gpt-4o',
      submittedAt: '',
      status: 'in_progress' as const,
      lines: [line('r1-1', 'a'), line('r1-2', 'a'), line('r1-3', 'b')],
    };
    const adopted = new AdoptedBatches([pending]);
    expect(adopted.lines).toBe(3);
    const [first, second, other] = adopted.batches[0]!.lines;
    expect(adopted.claim(sha('b'), true)).toBeUndefined(); // not answered yet
    const answered = { error: new JudgeTransportError('server', 'a failed line') };
    other!.outcome.resolve(answered);
    first!.outcome.resolve(answered);
    expect(adopted.unused).toBe(2);
    expect(adopted.claim(sha('a'), false)).toBe(first);
    expect(adopted.claim(sha('a'), true)).toBeUndefined(); // the other of that body is not in
    expect(adopted.claim(sha('a'), false)).toBe(second);
    expect(adopted.claim(sha('a'), false)).toBeUndefined();
    expect(adopted.claim(sha('c'), false)).toBeUndefined();
    expect(adopted.unused).toBe(1); // answered, claimed by no request
  });
});

describe('batch prices', () => {
  it('are half the realtime prices, input, cached input and output alike', () => {
    const realtime = DEFAULT_PRICES['gpt-4o-2024-08-06']!;
    expect(BATCH_PRICE_FACTOR).toBe(0.5);
    expect(priceVia(realtime, 'batch')).toEqual({ input: 1.25, cachedInput: 0.625, output: 5 });
    expect(priceVia(realtime, 'realtime')).toBe(realtime);
    const usage = { promptTokens: 1900, completionTokens: 200, cachedTokens: 300 };
    expect(costUsd(usage, priceVia(realtime, 'batch')) / costUsd(usage, realtime)).toBeCloseTo(
      0.5,
      12,
    );
  });
});

describe('the idle gate', () => {
  it('fires once every task waits, and not while a wait ends at once', async () => {
    const gate = new IdleGate();
    let fired = 0;
    gate.onIdle = () => (fired += 1);
    gate.enter();
    gate.enter();
    await gate.park(Promise.resolve()); // settled: back before the loop turns
    await new Promise((r) => setImmediate(r));
    expect(fired).toBe(0);
    let release!: () => void;
    const waiting = gate.park(new Promise<void>((r) => (release = r)));
    gate.leave();
    await new Promise((r) => setImmediate(r));
    expect(fired).toBe(1);
    release();
    await waiting;
    expect(gate.busy).toBe(1);
  });
});
