// The bench's judges, each in a child process as a remote API would be.
// `fast`: as cheap as it can be, so that the numbers measure the client: it never parses the
//   request body (a 512 px CP request carries ~190 KB of base64), only looks for the CP label in
//   the first chunk and answers from precomputed replies, with a score derived from the length.
// `limited`: the test harness's loopback judge with an account's token bucket, charged on arrival
//   as the API does (prompt estimate + output limit), answering 429 when a request does not fit.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  estimatePromptTokens,
  type BucketOptions,
} from '../../test/harness/servers/openai-limits.ts';
import { startOpenAIServer } from '../../test/harness/servers/openai.ts';

export interface ServerReport {
  readonly highWater: number;
  readonly cpu: NodeJS.CpuUsage;
  /** `limited` only: answers, 429s among them, tokens charged to the bucket, admitted calls. */
  readonly answers?: number;
  readonly refused?: number;
  readonly chargedTokens?: number;
  readonly admitted?: number;
  /** The prompt part of what the admitted calls were charged (the rest is their output limit). */
  readonly promptCharged?: number;
}

export interface ServerSetup {
  readonly kind: 'fast' | 'limited';
  readonly latencyMs: number;
  readonly tokens?: BucketOptions;
}

/** Serves until the parent disconnects; answers `report` messages with a ServerReport. */
export async function serve(setup: ServerSetup): Promise<never> {
  const cpu0 = process.cpuUsage();
  const judge =
    setup.kind === 'fast' ? await fastJudge(setup.latencyMs) : await limitedJudge(setup);
  process.on('message', () =>
    process.send?.({ ...judge.report(), cpu: process.cpuUsage(cpu0) } satisfies ServerReport),
  );
  process.on('disconnect', () => void judge.close().then(() => process.exit(0)));
  process.send?.({ baseURL: judge.baseURL });
  return new Promise<never>(() => undefined);
}

async function limitedJudge(setup: ServerSetup) {
  const server = await startOpenAIServer({
    latencyMs: setup.latencyMs,
    model: 'gpt-4o-2024-08-06',
    // Usage as the API would report it: the prompt's real size, not the harness's small default.
    promptTokens: (request) => estimatePromptTokens(request.body),
    ...(setup.tokens ? { rateLimits: { tokens: setup.tokens } } : {}),
  });
  return {
    baseURL: server.baseURL,
    report: () => ({
      highWater: server.highWater,
      answers: server.answers.length,
      refused: server.answers.filter((a) => a.status === 429).length,
      chargedTokens: server.answers.reduce((sum, a) => sum + a.charged, 0),
      admitted: server.answers.filter((a) => a.charged > 0).length,
      promptCharged: server.requests.reduce(
        (sum, q, i) => sum + (server.answers[i]!.charged > 0 ? estimatePromptTokens(q.body) : 0),
        0,
      ),
    }),
    close: () => server.close(),
  };
}

async function fastJudge(latencyMs: number) {
  const replies = new Map<string, Buffer>();
  for (const metric of ['cp', 'pf'])
    for (let score = 0; score <= 4; score++)
      replies.set(`${metric}${score}`, Buffer.from(JSON.stringify(completion(metric, score))));
  let inFlight = 0;
  let highWater = 0;
  let served = 0;
  const server = http.createServer((req, res) => {
    let bytes = 0;
    let isCp: boolean | undefined;
    req.on('data', (chunk: Buffer) => {
      isCp ??= chunk.includes('Reference image:');
      bytes += chunk.length;
    });
    req.on('end', () => {
      inFlight += 1;
      highWater = Math.max(highWater, inFlight);
      const body = replies.get(`${isCp ? 'cp' : 'pf'}${bytes % 5}`)!;
      setTimeout(() => {
        inFlight -= 1;
        served += 1;
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-request-id': `req_${served}`,
        });
        res.end(body);
      }, latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    report: () => ({ highWater }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function completion(metric: string, score: number) {
  const text =
    metric === 'pf'
      ? `The image shows what the prompt asks for, with minor omissions.\nScore: ${score}`
      : `Score: ${score}`;
  const head = text.slice(0, -1);
  const alternatives = [score, score === 4 ? 3 : score + 1, score === 0 ? 1 : score - 1].map(
    (d, k) => ({ token: String(d), logprob: Math.log([0.6, 0.3, 0.1][k]!), bytes: null }),
  );
  return {
    id: `chatcmpl-bench-${metric}-${score}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-2024-08-06',
    system_fingerprint: 'fp_bench',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null },
        logprobs: {
          content: [
            { token: head, logprob: 0, bytes: null, top_logprobs: [] },
            {
              token: String(score),
              logprob: Math.log(0.6),
              bytes: null,
              top_logprobs: alternatives,
            },
          ],
          refusal: null,
        },
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: metric === 'cp' ? 630 : 375,
      completion_tokens: Math.ceil(text.length / 4),
      total_tokens: 0,
      prompt_tokens_details: { cached_tokens: 0 },
    },
  };
}
