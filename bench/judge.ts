// Judge throughput, each case in its own process (so that its peak RSS is its own), against a
// loopback judge in another process:
//   rate-limited  60 samples at judge-concurrency 16 against an account whose token bucket holds
//                 27,000 tokens and refills 6,700 a second (about 14 requests of capacity and 3.5
//                 requests a second at the ~1,900 tokens a request was charged with max_tokens
//                 1000), 200 ms per call. Ideal: (tokens admitted - capacity) / refill rate.
//                 Prints the ratio, the share of 429s, samples lost, tokens charged per sample.
//   unlimited     150 samples at concurrency 16, 200 ms per call; ideal ceil(calls / 16) x 200 ms.
//   full          1,350 samples (150 concepts x 9 prompts) at concurrency 32, 200 ms per call;
//                 ideal max(ceil(2700 / 32) x 200 ms, image-preparation CPU floor); peak RSS.
// Inputs are realistic (512-1024 px PNG/JPEG of varied content; `tiny`: 48 px squares, which
// isolate the transport). Preparing realistic images is real work a run pays too, so the bench
// prints the CPU floor it implies on this machine's cores.
//   node bench/judge.ts [--case rate-limited|unlimited|unlimited-tiny|full] [--image-size 512]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { JudgeTransport } from '../src/score/transport/judge-transport.ts';
import { createOpenAIJudge } from '../src/score/transport/openai-client.ts';
import { keepYoungGenerationSmall } from '../src/score/memory.ts';
import { scoreSamples } from '../src/score/score-samples.ts';
import { loadTemplates } from '../src/score/judgment/templates.ts';
import {
  itemsFrom,
  makeFiles,
  measurePreparation,
  PROMPTS,
  type Files,
  type InputKind,
} from './judge/inputs.ts';
import { serve, type ServerReport, type ServerSetup } from './judge/servers.ts';

interface Case {
  readonly samples: number;
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly inputs: InputKind;
  readonly server: ServerSetup['kind'];
  readonly tokens?: { capacity: number; refillPerSecond: number };
}

const CASES: Record<string, Case> = {
  'rate-limited': {
    samples: 60,
    concurrency: 16,
    latencyMs: 200,
    inputs: 'tiny',
    server: 'limited',
    tokens: { capacity: 27_000, refillPerSecond: 6_700 },
  },
  unlimited: { samples: 150, concurrency: 16, latencyMs: 200, inputs: 'realistic', server: 'fast' },
  'unlimited-tiny': {
    samples: 150,
    concurrency: 16,
    latencyMs: 200,
    inputs: 'tiny',
    server: 'fast',
  },
  full: { samples: 1350, concurrency: 32, latencyMs: 200, inputs: 'realistic', server: 'fast' },
  'full-tiny': { samples: 1350, concurrency: 32, latencyMs: 200, inputs: 'tiny', server: 'fast' },
};

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    case: { type: 'string' },
    'image-size': { type: 'string', default: process.env['BENCH_IMAGE_SIZE'] ?? '512' },
    server: { type: 'string' },
    setup: { type: 'string' },
  },
});
const imageSize = Number(args['image-size']);
const cores = os.availableParallelism();

interface Setup {
  readonly files: Files;
  readonly prep: Awaited<ReturnType<typeof measurePreparation>>;
}

async function runCase(name: string, c: Case): Promise<void> {
  keepYoungGenerationSmall(); // as the action's score stage does
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-judge-'));
  try {
    const templates = await loadTemplates(path.join(repoRoot, 'prompts'));
    // Making the images (and timing their preparation) happens in a child.
    const setup = fork(import.meta.filename, ['--case', name, '--setup', dir], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [{ files, prep }] = (await once(setup, 'message')) as [Setup];
    setup.disconnect();
    const items = await itemsFrom(dir, files, c.samples);
    const child = fork(import.meta.filename, ['--case', name, '--server', c.server], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [{ baseURL }] = (await once(child, 'message')) as [{ baseURL: string }];
    const transport = measured(
      createOpenAIJudge({ apiKey: 'sk-bench', baseURL, timeoutMs: 30_000 }),
    );
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const memory = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      for (const key of Object.keys(memory) as Array<keyof typeof memory>)
        memory[key] = Math.max(memory[key], m[key]);
    }, 100);
    const rssBefore = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const { stats, failures } = await scoreSamples(
      items,
      { transport },
      {
        model: 'gpt-4o-2024-08-06',
        scoring: 'expected',
        repeats: 1,
        concurrency: c.concurrency,
        imageSize,
        templates,
      },
    );
    const wallMs = performance.now() - started;
    const clientCpu = process.cpuUsage(cpu0);
    loopDelay.disable();
    clearInterval(sampler);
    child.send('report');
    const [server] = (await once(child, 'message')) as [ServerReport];
    child.disconnect();

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const cpuS = (u: NodeJS.CpuUsage) => s((u.user + u.system) / 1000);
    const calls = c.samples * 2;
    const judgeIdealMs = Math.ceil(calls / c.concurrency) * c.latencyMs;
    console.log(
      `[${name}] ${c.samples} samples, ${c.inputs} inputs, judge image ${imageSize} px, concurrency ${c.concurrency}, ${c.latencyMs} ms per call, ${cores} cores`,
    );
    console.log(
      `[${name}] judged ${stats.scored}/${c.samples} samples (${stats.calls} calls, ${failures.length} failed: samples lost), peak in flight ${server.highWater}`,
    );
    if (c.tokens && server.chargedTokens !== undefined) {
      const refusedShare = (server.refused ?? 0) / Math.max(1, server.answers ?? 0);
      const idealMs = Math.max(
        judgeIdealMs,
        ((server.chargedTokens - c.tokens.capacity) / c.tokens.refillPerSecond) * 1000,
      );
      const used = stats.tokens.promptTokens + stats.tokens.completionTokens;
      const admitted = Math.max(1, server.admitted ?? 0);
      const perCall = server.chargedTokens / admitted;
      const usedPerSample = (2 * used) / admitted;
      // Before issue 9 every call asked for max_tokens 1000, which the limiter charged in full.
      const beforePerSample = 2 * ((server.promptCharged ?? 0) / admitted + 1000);
      console.log(
        `[${name}] wall ${s(wallMs)} vs limit-implied ideal ${s(idealMs)} ((${server.chargedTokens} admitted - ${c.tokens.capacity}) / ${c.tokens.refillPerSecond} per s): ratio ${(wallMs / idealMs).toFixed(3)} (target <= 1.10)`,
      );
      console.log(
        `[${name}] 429s: ${server.refused} of ${server.answers} answers = ${(refusedShare * 100).toFixed(1)}% (target <= 5%); samples lost ${failures.length} (target 0)`,
      );
      console.log(
        `[${name}] tokens per sample (CP + PF call): ${(2 * perCall).toFixed(0)} charged by the limiter, ${usedPerSample.toFixed(0)} used (prompt + completion as the judge reported): ratio ${((2 * perCall) / usedPerSample).toFixed(3)} (ideal 1: charged as used); with max_tokens 1000 on every call, as before issue 9, ${beforePerSample.toFixed(0)} charged (ratio ${(beforePerSample / usedPerSample).toFixed(3)}); ${server.admitted} calls admitted`,
      );
    } else {
      const floorMs = c.inputs === 'realistic' ? prep.totalCpuMs / cores : 0;
      const fairMs = Math.max(judgeIdealMs, floorMs);
      console.log(
        `[${name}] image preparation: ${prep.generatedMs.toFixed(1)} ms CPU per generated image, ${prep.referenceMs.toFixed(1)} ms per reference (measured serially): a floor of ${s(floorMs)} on ${cores} cores`,
      );
      // Issue 9's targets: the judge ideal at 150 samples, the preparation floor too at 1,350.
      const full = c.samples >= 1000;
      console.log(
        `[${name}] wall ${s(wallMs)} vs judge ideal ${s(judgeIdealMs)}: ratio ${(wallMs / judgeIdealMs).toFixed(3)}${full ? '' : ' (target <= 1.10)'}; vs max(judge ideal, preparation floor) ${s(fairMs)}: ratio ${(wallMs / fairMs).toFixed(3)}${full ? ' (target <= 1.15)' : ''}`,
      );
    }
    console.log(
      `[${name}] CPU: client ${cpuS(clientCpu)} (sharp threads included), judge ${cpuS(server.cpu)}; ${(transport.busyMs / wallMs).toFixed(1)} calls in flight on average; event-loop delay p50 ${(loopDelay.percentile(50) / 1e6).toFixed(0)} ms p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms; load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    const rssMb = process.resourceUsage().maxRSS / 1024;
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
    console.log(
      `[${name}] peak RSS ${rssMb.toFixed(0)} MB (target < 300 MB; ${mb(rssBefore)} before judging), judge excluded; sampled peaks: JS heap ${mb(memory.heapTotal)} (used ${mb(memory.heapUsed)}), external ${mb(memory.external)} (array buffers ${mb(memory.arrayBuffers)})`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The transport, summing the time calls spend in it (in flight, from the client's side). */
function measured(inner: JudgeTransport): JudgeTransport & { readonly busyMs: number } {
  let busyMs = 0;
  return {
    get busyMs() {
      return busyMs;
    },
    async complete(request) {
      const started = performance.now();
      try {
        return await inner.complete(request);
      } finally {
        busyMs += performance.now() - started;
      }
    },
  };
}

const chosen = args.case ? CASES[args.case] : undefined;
if (args.case && !chosen) {
  console.error(
    `bench/judge.ts: no case ${JSON.stringify(args.case)}; cases: ${Object.keys(CASES).join(', ')}`,
  );
  process.exit(2);
}
if (args.server && chosen) {
  await serve({ kind: chosen.server, latencyMs: chosen.latencyMs, tokens: chosen.tokens });
} else if (args.setup && chosen) {
  const files = await makeFiles(args.setup, Math.ceil(chosen.samples / PROMPTS), chosen.inputs);
  process.send?.({
    files,
    prep: await measurePreparation(files, imageSize, chosen.samples),
  } satisfies Setup);
} else if (chosen) {
  await runCase(args.case!, chosen);
} else {
  // Every case, one after another, each in a fresh process.
  for (const name of ['rate-limited', 'unlimited', 'unlimited-tiny', 'full']) {
    const child = fork(import.meta.filename, ['--case', name, ...process.argv.slice(2)], {
      stdio: 'inherit',
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) process.exitCode = 1;
  }
}
