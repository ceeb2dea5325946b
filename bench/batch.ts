// The same plan judged in realtime and through the Batch API (`judge-batch`), each in its own
// process, against the test harness's loopback judge (chat completions and the Batch API, the
// real `openai` SDK in between) in another. Realistic 512-1024 px inputs judged at 512 px, so the
// input files carry real base64 images and the 200 MB limit is the one that binds.
// Prints, against the ideal:
//   - the cost ratio batch / realtime from the usage the judge reported (ideal 0.50 +- 0.02);
//   - the batches and bytes uploaded (ideal ceil(bytes / 200 MB) files, each <= 200 MB);
//   - the action's own overhead beyond the batch's completion: from the moment the last batch
//     completed on the server to the end of the stage, split into the wait for the next poll
//     (bounded by the poll interval, at most 30 s) and the download and reading of the answers;
//   - what comes before the batch: preparing, writing and uploading the input files.
//   node bench/batch.ts [--samples 1350] [--image-size 512] [--in-progress-s 8]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { keepYoungGenerationSmall } from '../src/score/memory.ts';
import { scoreSamples, type ScoreStats } from '../src/score/score-samples.ts';
import { createOpenAIBatchApi } from '../src/score/transport/batch/batch-api.ts';
import { BATCH_FILE_LIMITS } from '../src/score/transport/batch/file-packer.ts';
import { createOpenAIJudge } from '../src/score/transport/openai-client.ts';
import { loadTemplates } from '../src/score/judgment/templates.ts';
import { estimatePromptTokens } from '../test/harness/servers/openai-limits.ts';
import { startOpenAIServer } from '../test/harness/servers/openai.ts';
import { itemsFrom, makeFiles, PROMPTS, type Files } from './judge/inputs.ts';

const { values: args } = parseArgs({
  options: {
    samples: { type: 'string', default: '1350' },
    'image-size': { type: 'string', default: '512' },
    'in-progress-s': { type: 'string', default: '8' },
    role: { type: 'string' },
    dir: { type: 'string' },
    url: { type: 'string' },
  },
});
const samples = Number(args.samples);
const imageSize = Number(args['image-size']);
const inProgressMs = Number(args['in-progress-s']) * 1000;
const repoRoot = path.resolve(import.meta.dirname, '..');
const MODEL = 'gpt-4o-2024-08-06';

interface ServerBatch {
  readonly id: string;
  readonly lines: number;
  readonly inputBytes: number;
  /** Epoch ms at which the server's timeline made it `completed`. */
  readonly completedAtMs: number;
}

interface ModeReport {
  readonly stats: ScoreStats;
  readonly failures: number;
  readonly wallMs: number;
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  /** Epoch ms of the last "submitted batch" line, and of each poll line that said completed. */
  readonly submittedAtMs?: number;
  /** Epoch ms at which every request was written and the upload began. */
  readonly gatheredAtMs?: number;
  readonly completedSeenAtMs?: number[];
  /** Downloading and reading the output and error files, summed over the batches. */
  readonly readMs?: number;
  readonly peakRssMb: number;
  /** Sampled peaks, bytes. */
  readonly memory: { heapUsed: number; external: number; arrayBuffers: number; rss: number };
}

const durations = { validating: 500, inProgress: inProgressMs, finalizing: 500 };

async function server(): Promise<void> {
  const judge = await startOpenAIServer({
    model: MODEL,
    latencyMs: 100,
    // Usage as the API would report it: the prompt's real size, the same whichever way it came.
    promptTokens: (request) => estimatePromptTokens(request.body),
  });
  judge.batch.set({ durations, keepLines: false });
  process.on('message', () => {
    const batches: ServerBatch[] = judge.batch.batches.map((b) => ({
      id: b.id,
      lines: b.lines.length,
      inputBytes: judge.batch.files.get(b.inputFileId)!.bytes.length,
      completedAtMs:
        b.createdAtMs + durations.validating + durations.inProgress + durations.finalizing,
    }));
    process.send?.({ realtimeRequests: judge.requests.length, batches });
  });
  process.on('disconnect', () => void judge.close().then(() => process.exit(0)));
  process.send?.({ baseURL: judge.baseURL });
}

async function judge(mode: 'realtime' | 'batch', dir: string, baseURL: string): Promise<void> {
  keepYoungGenerationSmall();
  const files = JSON.parse(process.env['BENCH_FILES']!) as Files;
  const items = await itemsFrom(path.join(dir, mode), files, samples);
  const templates = await loadTemplates(path.join(repoRoot, 'prompts'));
  const endpoint = { apiKey: 'sk-bench', baseURL, timeoutMs: 120_000 };
  let submittedAtMs: number | undefined;
  let gatheredAtMs: number | undefined;
  const completedSeenAtMs: number[] = [];
  let readMs = 0;
  let seen = 0;
  const log = {
    info: (m: string) => {
      if (/^judge: submitted batch /.test(m)) submittedAtMs = Date.now();
      if (/^judge: uploading /.test(m)) gatheredAtMs ??= Date.now();
      if (/^judge: batch \S+: completed,/.test(m)) completedSeenAtMs.push((seen = Date.now()));
      if (/^judge: batch \S+: read /.test(m)) readMs += Date.now() - seen;
    },
    warn: (m: string) => console.log(`  [${mode}] ${m}`),
  };
  const memory = { heapUsed: 0, external: 0, arrayBuffers: 0, rss: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    for (const key of Object.keys(memory) as Array<keyof typeof memory>)
      memory[key] = Math.max(memory[key], m[key]);
  }, 100);
  const startedAtMs = Date.now();
  const started = performance.now();
  const { stats, failures } = await scoreSamples(
    items,
    { transport: createOpenAIJudge(endpoint), batchApi: createOpenAIBatchApi(endpoint), log },
    {
      model: MODEL,
      scoring: 'expected',
      repeats: 1,
      concurrency: 32,
      imageSize,
      templates,
      ...(mode === 'batch'
        ? {
            batch: {
              waitMs: 60 * 60_000,
              spoolDir: path.join(dir, `spool-${mode}`),
              metadata: { source: 'bench/batch.ts' },
            },
          }
        : {}),
    },
  );
  clearInterval(sampler);
  const report: ModeReport = {
    memory,
    stats,
    failures: failures.length,
    wallMs: performance.now() - started,
    startedAtMs,
    endedAtMs: Date.now(),
    ...(submittedAtMs ? { submittedAtMs } : {}),
    ...(gatheredAtMs ? { gatheredAtMs } : {}),
    completedSeenAtMs,
    readMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.send?.(report);
}

async function child<T>(role: string, extra: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  const proc = fork(import.meta.filename, ['--role', role, ...extra, ...process.argv.slice(2)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const [message] = (await once(proc, 'message')) as [T];
  proc.disconnect();
  return message;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-batch-'));
  try {
    const files = await makeFiles(dir, Math.ceil(samples / PROMPTS), 'realistic');
    await Promise.all(['realtime', 'batch'].map((m) => mkdir(path.join(dir, m))));
    const judgeProc = fork(import.meta.filename, ['--role', 'server', ...process.argv.slice(2)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [{ baseURL }] = (await once(judgeProc, 'message')) as [{ baseURL: string }];
    const env = { BENCH_FILES: JSON.stringify(files) };
    const realtime = await child<ModeReport>('realtime', ['--dir', dir, '--url', baseURL], env);
    const batch = await child<ModeReport>('batch', ['--dir', dir, '--url', baseURL], env);
    judgeProc.send('report');
    const [served] = (await once(judgeProc, 'message')) as [
      { realtimeRequests: number; batches: ServerBatch[] },
    ];
    judgeProc.disconnect();
    print(realtime, batch, served);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function print(
  realtime: ModeReport,
  batch: ModeReport,
  served: { realtimeRequests: number; batches: ServerBatch[] },
): void {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const b = batch.stats.batch!;
  console.log(
    `[batch] ${samples} samples, realistic inputs judged at ${imageSize} px, ${os.availableParallelism()} cores; loopback batch: validating 0.5 s, in progress ${s(inProgressMs)}, finalizing 0.5 s`,
  );
  console.log(
    `[batch] scored: realtime ${realtime.stats.scored}/${samples} (${realtime.failures} failed), batch ${batch.stats.scored}/${samples} (${batch.failures} failed); realtime chat calls during the batch run: ${served.realtimeRequests - realtime.stats.calls}`,
  );
  const ratio = batch.stats.costUsd / realtime.stats.costUsd;
  const sameUsage =
    JSON.stringify(batch.stats.tokens) === JSON.stringify(realtime.stats.tokens)
      ? 'equal'
      : 'DIFFERENT';
  console.log(
    `[batch] cost from usage: realtime $${realtime.stats.costUsd.toFixed(4)}, batch $${batch.stats.costUsd.toFixed(4)}: ratio ${ratio.toFixed(4)} (ideal 0.50 +- 0.02); tokens ${sameUsage} (${realtime.stats.tokens.promptTokens} prompt, ${realtime.stats.tokens.completionTokens} completion)`,
  );
  const ideal = Math.ceil(b.bytesUploaded / BATCH_FILE_LIMITS.bytes);
  const largest = Math.max(...served.batches.map((x) => x.inputBytes));
  console.log(
    `[batch] ${b.batches} batches (ideal ceil(${mb(b.bytesUploaded)} / 200 MB) = ${ideal}), ${b.requests} requests, ${mb(b.bytesUploaded)} uploaded (${(b.bytesUploaded / b.requests / 1e3).toFixed(0)} KB per request); files ${served.batches.map((x) => `${x.lines} lines ${mb(x.inputBytes)}`).join(', ')}; largest ${mb(largest)} <= 200 MB: ${largest <= BATCH_FILE_LIMITS.bytes}`,
  );
  const completedAt = Math.max(...served.batches.map((x) => x.completedAtMs));
  const seenAt = Math.max(...(batch.completedSeenAtMs ?? [completedAt]));
  const overhead = batch.endedAtMs - completedAt;
  console.log(
    `[batch] overhead beyond the last batch's completion: ${s(overhead)} = ${s(seenAt - completedAt)} until the next poll saw it (bound: the poll interval, <= 30 s) + ${s(batch.endedAtMs - seenAt)} to the stage's end (ideal 0); downloading and reading the ${b.requests} answers of all batches took ${s(batch.readMs ?? 0)}`,
  );
  const gathered = (batch.gatheredAtMs ?? batch.startedAtMs) - batch.startedAtMs;
  const submitted = (batch.submittedAtMs ?? batch.startedAtMs) - batch.startedAtMs;
  console.log(
    `[batch] before the batch: ${s(gathered)} preparing the images and writing the input files, then ${s(submitted - gathered)} uploading them and creating the batches (realtime judged the whole plan in ${s(realtime.wallMs)}); batch stage ${s(batch.wallMs)} in all, of which ${s(durations.validating + durations.inProgress + durations.finalizing)} the loopback's own batch time`,
  );
  console.log(
    `[batch] peak RSS: realtime ${realtime.peakRssMb.toFixed(0)} MB, batch ${batch.peakRssMb.toFixed(0)} MB (every judgment is in flight at once; its judge-size images wait on disk, not in memory)`,
  );
  const peaks = (r: ModeReport) =>
    `JS heap used ${mb(r.memory.heapUsed)}, external ${mb(r.memory.external)} (array buffers ${mb(r.memory.arrayBuffers)})`;
  console.log(`[batch] sampled peaks: realtime ${peaks(realtime)}; batch ${peaks(batch)}`);
}

if (args.role === 'server') await server();
else if (args.role === 'realtime' || args.role === 'batch')
  await judge(args.role, args.dir!, args.url!);
else await main();
