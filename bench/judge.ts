// Judge throughput: 1,350 samples (150 concepts x 9 prompts) x 2 metrics at concurrency 32
// against a loopback judge that takes 200 ms per call. Ideal wall time is ceil(2700 / 32) x
// 200 ms = 17.0 s; target within 1.15x, and peak RSS under 400 MB.
//
// Inputs are realistic: generated images at 512, 768 and 1024 px (mostly PNG, some JPEG) of
// varied content, one JPEG reference per concept shared by its 9 prompts. Preparing them is real
// work that a real run pays too, so the bench also prints the CPU floor it implies on this
// machine's cores: when that floor exceeds the judge's ideal, no client can meet the judge ideal.
//   node bench/judge.ts [--image-size 512] [--inputs realistic|tiny] [--prepare-concurrency N]
//   (BENCH_IMAGE_SIZE still works; `tiny` = 48 px solid squares, isolating the transport)
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { link, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import sharp, { type Sharp } from 'sharp';
import { createOpenAIJudge, type JudgeTransport } from '../src/score/judge-client.ts';
import { prepareImage } from '../src/score/prepare-image.ts';
import { scoreSamples, type ScoreItem } from '../src/score/score-samples.ts';
import { loadTemplates } from '../src/score/templates.ts';
import { CATEGORIES } from '../src/types.ts';
import { dreamBenchPlusPromptClass } from '../src/plan/concept-naming.ts';

const CONCEPTS = 150;
const PROMPTS = 9;
const SAMPLES = CONCEPTS * PROMPTS;
const CONCURRENCY = 32;
const LATENCY_MS = 200;
/** Distinct generated images per size; samples hard-link to them (each path is prepared anew). */
const POOL_PER_SIZE = 16;
const SIZES = [512, 768, 1024];

const repoRoot = path.resolve(import.meta.dirname, '..');

const { values: args } = parseArgs({
  options: {
    'image-size': { type: 'string', default: process.env['BENCH_IMAGE_SIZE'] ?? '512' },
    inputs: { type: 'string', default: 'realistic' },
    server: { type: 'boolean', default: false },
    setup: { type: 'string' },
    // Images prepared at once (default: the score stage's own, one per core).
    'prepare-concurrency': { type: 'string' },
  },
});
const imageSize = Number(args['image-size']);
const inputs = args.inputs === 'tiny' ? 'tiny' : 'realistic';
const cores = os.availableParallelism();
/** Where the images live; set below. */
let dir = '';

async function main(): Promise<void> {
  const templates = await loadTemplates(path.join(repoRoot, 'prompts'));
  const setupStarted = performance.now();
  // Making the images (and timing their preparation) happens in a child, so that this process's
  // peak RSS is the score stage's own.
  const setup = fork(import.meta.filename, [...process.argv.slice(2), '--setup', dir], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [{ files, prep }] = (await once(setup, 'message')) as [Setup];
  setup.disconnect();
  const items = await itemsFrom(files);
  const setupS = (performance.now() - setupStarted) / 1000;

  const child = fork(import.meta.filename, ['--server'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [{ baseURL }] = (await once(child, 'message')) as [{ baseURL: string }];
  const transport = measured(createOpenAIJudge({ apiKey: 'sk-bench', baseURL, timeoutMs: 30_000 }));
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const memory = { heapTotal: 0, external: 0, arrayBuffers: 0, rss: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    for (const key of Object.keys(memory) as Array<keyof typeof memory>)
      memory[key] = Math.max(memory[key], m[key]);
  }, 100);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const { stats, failures } = await scoreSamples(
    items,
    { transport },
    {
      model: 'gpt-4o-2024-08-06',
      scoring: 'expected',
      repeats: 1,
      concurrency: CONCURRENCY,
      imageSize,
      templates,
      ...(args['prepare-concurrency']
        ? { prepareConcurrency: Number(args['prepare-concurrency']) }
        : {}),
    },
  );
  const wallMs = performance.now() - started;
  const clientCpu = process.cpuUsage(cpu0);
  loopDelay.disable();
  clearInterval(sampler);
  child.send('report');
  const [server] = (await once(child, 'message')) as [ServerReport];
  child.disconnect();

  const calls = SAMPLES * 2;
  const idealMs = Math.ceil(calls / CONCURRENCY) * LATENCY_MS;
  const floorMs = prep.totalCpuMs / cores;
  const fairIdealMs = Math.max(idealMs, floorMs);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const cpuS = (u: NodeJS.CpuUsage) => s((u.user + u.system) / 1000);
  console.log(
    `inputs: ${inputs} (${SAMPLES} generated + ${CONCEPTS} references, set up in ${setupS.toFixed(1)} s), judge image ${imageSize} px, ${cores} cores`,
  );
  console.log(
    `judged ${stats.scored}/${SAMPLES} samples (${stats.calls} calls, ${failures.length} failed), peak in flight ${server.highWater}`,
  );
  console.log(
    `CPU during the run: client ${cpuS(clientCpu)} (sharp threads included), judge server ${cpuS(server.cpu)} in its own process`,
  );
  console.log(
    `image preparation: ${prep.generatedMs.toFixed(1)} ms CPU per generated image, ${prep.referenceMs.toFixed(1)} ms per reference (measured serially) = ${s(prep.totalCpuMs)} CPU, a floor of ${s(floorMs)} on ${cores} cores`,
  );
  console.log(
    `wall ${s(wallMs)} vs judge ideal ${s(idealMs)}: ratio ${(wallMs / idealMs).toFixed(3)} (target <= 1.15)`,
  );
  console.log(
    `wall ${s(wallMs)} vs max(judge ideal, preparation floor) ${s(fairIdealMs)}: ratio ${(wallMs / fairIdealMs).toFixed(3)}`,
  );
  console.log(
    `where the time went: ${(transport.busyMs / wallMs).toFixed(1)} calls in flight on average (${CONCURRENCY} allowed), event-loop delay p50 ${(loopDelay.percentile(50) / 1e6).toFixed(0)} ms p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, load average at the end ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  console.log(
    `peak RSS ${rssMb.toFixed(0)} MB (target < 400 MB), judge server excluded; sampled peaks: JS heap ${mb(memory.heapTotal)}, external ${mb(memory.external)} (buffers ${mb(memory.arrayBuffers)})`,
  );
}

interface Files {
  readonly pool: string[];
  readonly references: string[];
}

interface Setup {
  readonly files: Files;
  readonly prep: Awaited<ReturnType<typeof measurePreparation>>;
}

async function makeFiles(): Promise<Files> {
  const jobs: Array<() => Promise<string>> = [];
  for (const size of SIZES) {
    for (let k = 0; k < POOL_PER_SIZE; k++) {
      // A quarter JPEG, the rest PNG: what image pipelines usually write.
      const ext = k % 4 === 3 ? '.jpg' : '.png';
      jobs.push(() => makeImage(`pool-${size}-${k}${ext}`, size, size * 100 + k));
    }
  }
  for (let c = 0; c < CONCEPTS; c++)
    jobs.push(() => makeImage(`ref-${c}.jpg`, REFERENCE_SIZES[c % 3]!, 10_000 + c));
  const made = await inParallel(jobs, cores);
  const pool = made.slice(0, SIZES.length * POOL_PER_SIZE);
  return { pool, references: made.slice(pool.length) };
}

async function itemsFrom({ pool, references }: Files): Promise<ScoreItem[]> {
  const items: ScoreItem[] = [];
  for (let c = 0; c < CONCEPTS; c++) {
    const category = CATEGORIES[c % 4]!;
    const concept = `${category}_${String(c).padStart(3, '0')}_thing`;
    const referencePath = references[c]!;
    for (let p = 0; p < PROMPTS; p++) {
      const i = c * PROMPTS + p;
      const source = pool[i % pool.length]!;
      // A distinct path per sample, as a generate command writes: the score stage prepares and
      // frees each one, exactly as it would for distinct bytes.
      const imagePath = path.join(dir, `gen-${i}${path.extname(source)}`);
      await link(source, imagePath);
      items.push({
        sample: {
          id: `${concept}-p${p}`,
          concept,
          category,
          subject: 'thing',
          promptIndex: p,
          promptClass: dreamBenchPlusPromptClass(p),
          prompt: `a thing in scene ${p}`,
          referenceImages: [referencePath],
          seed: i,
        },
        imagePath,
        referencePath,
      });
    }
  }
  return items;
}

/** DreamBench++ references are photographs and artworks of assorted sizes. */
const REFERENCE_SIZES = [640, 800, 1024];

async function inParallel<T>(jobs: ReadonlyArray<() => Promise<T>>, width: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const n = next++;
      out[n] = await jobs[n]!();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

const noiseBySize = new Map<number, Promise<Buffer>>();

/** Gradient, overlapping shapes and film-grain texture: compresses and decodes like a picture. */
async function makeImage(name: string, size: number, seed: number): Promise<string> {
  const file = path.join(dir, name);
  const encode = (image: Sharp) =>
    (name.endsWith('.jpg') ? image.jpeg({ quality: 92 }) : image.png()).toFile(file);
  if (inputs === 'tiny') {
    const r = rng(seed);
    const background = { r: (r() * 256) | 0, g: (r() * 256) | 0, b: (r() * 256) | 0 };
    await encode(sharp({ create: { width: 48, height: 48, channels: 3, background } }));
    return file;
  }
  let noise = noiseBySize.get(size);
  if (!noise) {
    noise = sharp({
      create: {
        width: size,
        height: size,
        channels: 3,
        background: 'black',
        noise: { type: 'gaussian', mean: 128, sigma: 30 },
      },
    })
      .blur(1.2)
      .png({ compressionLevel: 0 })
      .toBuffer();
    noiseBySize.set(size, noise);
  }
  await encode(
    sharp(Buffer.from(scene(size, seed))).composite([{ input: await noise, blend: 'soft-light' }]),
  );
  return file;
}

function scene(size: number, seed: number): string {
  const r = rng(seed);
  const colour = () => `rgb(${(r() * 256) | 0},${(r() * 256) | 0},${(r() * 256) | 0})`;
  let shapes = '';
  for (let k = 0; k < 14; k++) {
    const x = r() * size;
    const y = r() * size;
    const w = (0.05 + r() * 0.4) * size;
    const opacity = 0.5 + r() / 2;
    shapes +=
      r() < 0.5
        ? `<ellipse cx="${x}" cy="${y}" rx="${w / 2}" ry="${w / (1 + r() * 2)}" fill="${colour()}" opacity="${opacity}"/>`
        : `<rect x="${x}" y="${y}" width="${w}" height="${w * r()}" fill="${colour()}" transform="rotate(${r() * 90} ${x} ${y})" opacity="${opacity}"/>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><defs><linearGradient id="g" x1="0" y1="0" x2="${r()}" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${shapes}</svg>`;
}

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** CPU per image of `prepareImage`, one at a time, over every distinct generated input. */
async function measurePreparation({ pool, references }: Files) {
  const cpuOf = async (files: readonly string[]) => {
    await prepareImage(files[0]!, imageSize); // warm-up
    const before = process.cpuUsage();
    for (const file of files) await prepareImage(file, imageSize);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / files.length;
  };
  const generatedMs = await cpuOf(pool);
  const referenceMs = await cpuOf(references.slice(0, 30));
  return {
    generatedMs,
    referenceMs,
    totalCpuMs: generatedMs * SAMPLES + referenceMs * CONCEPTS,
  };
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

interface ServerReport {
  readonly highWater: number;
  readonly cpu: NodeJS.CpuUsage;
}

/**
 * The judge, in a child process as a remote API would be, and as cheap as it can be so that the
 * numbers measure the client: it never parses the request body (a 512 px CP request carries
 * ~190 KB of base64), only looks for the CP label in the first chunk and answers from
 * precomputed replies, with a score derived from the body length.
 */
async function serveJudge(): Promise<never> {
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
      }, LATENCY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const cpu0 = process.cpuUsage();
  process.on('message', () =>
    process.send?.({ highWater, cpu: process.cpuUsage(cpu0) } satisfies ServerReport),
  );
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
  process.send?.({ baseURL: `http://127.0.0.1:${port}/v1` });
  return new Promise<never>(() => undefined);
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

// Last, so that every constant above is initialised before the run uses it.
if (args.server) {
  await serveJudge();
} else if (args.setup) {
  dir = args.setup;
  const files = await makeFiles();
  process.send?.({ files, prep: await measurePreparation(files) } satisfies Setup);
} else {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bench-judge-'));
  try {
    await main();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
