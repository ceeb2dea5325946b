// Judge throughput: 1,350 samples x 2 metrics at concurrency 32 against a loopback judge that
// takes 200 ms per call. Ideal wall time is ceil(2700 / 32) x 200 ms; target within 1.15x, and
// peak RSS under 400 MB (images are prepared lazily, generated ones freed after their sample).
//   node bench/judge.ts
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import sharp from 'sharp';
import { createOpenAIJudge } from '../src/score/judge-client.ts';
import { scoreSamples, type ScoreItem } from '../src/score/score-samples.ts';
import { loadTemplates } from '../src/score/templates.ts';
import type { Category } from '../src/types.ts';
import { startOpenAIServer } from '../test/harness/servers/openai.ts';

const SAMPLES = 1350;
const CONCURRENCY = 32;
const LATENCY_MS = 200;
const CATEGORIES: Category[] = ['animal', 'human', 'object', 'style'];

const repoRoot = path.resolve(import.meta.dirname, '..');

// The judge runs in a child process, as a remote API would: sharing this event loop would bill
// the server's own JSON work to the client under test.
if (process.argv.includes('--server')) {
  const server = await startOpenAIServer({ latencyMs: LATENCY_MS });
  process.stdout.write(`${JSON.stringify({ baseURL: server.baseURL })}\n`);
  process.on('message', () => process.send?.({ highWater: server.highWater }));
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
  await new Promise(() => undefined);
}
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-judge-'));
const templates = await loadTemplates(path.join(repoRoot, 'prompts'));

async function png(name: string, i: number): Promise<string> {
  const file = path.join(dir, name);
  await sharp({
    create: {
      width: 48,
      height: 48,
      channels: 3,
      background: { r: i % 256, g: (i >> 8) % 256, b: (i * 7) % 256 },
    },
  })
    .png()
    .toFile(file);
  return file;
}

const items: ScoreItem[] = [];
for (let c = 0; c < 150; c++) {
  const category = CATEGORIES[c % 4]!;
  const concept = `${category}_${c}_thing`;
  const referencePath = await png(`ref-${c}.png`, 5000 + c);
  for (let p = 0; p < 9; p++) {
    const i = c * 9 + p;
    items.push({
      sample: {
        id: `${concept}-p${p}`,
        concept,
        category,
        subject: 'thing',
        promptIndex: p,
        promptClass: p < 4 ? 'photorealistic' : p < 7 ? 'style_transfer' : 'imaginative',
        prompt: `a thing in scene ${p}`,
        referenceImages: [referencePath],
        seed: i,
      },
      imagePath: await png(`gen-${i}.png`, i),
      referencePath,
    });
  }
}

const child = fork(import.meta.filename, ['--server'], {
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
const server = JSON.parse(line) as { baseURL: string };
const transport = createOpenAIJudge({
  apiKey: 'sk-bench',
  baseURL: server.baseURL,
  timeoutMs: 30_000,
});
const started = performance.now();
const { stats, failures } = await scoreSamples(
  items.slice(0, SAMPLES),
  { transport },
  {
    model: 'gpt-4o-2024-08-06',
    scoring: 'expected',
    repeats: 1,
    concurrency: CONCURRENCY,
    imageSize: Number(process.env['BENCH_IMAGE_SIZE'] ?? 512),
    templates,
  },
);
const wallMs = performance.now() - started;
child.send('highWater?');
const [{ highWater }] = (await once(child, 'message')) as [{ highWater: number }];
child.disconnect();
await rm(dir, { recursive: true, force: true });

const calls = SAMPLES * 2;
const idealMs = Math.ceil(calls / CONCURRENCY) * LATENCY_MS;
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `judged ${stats.scored}/${SAMPLES} samples (${stats.calls} calls, ${failures.length} failed), peak in flight ${highWater}`,
);
console.log(
  `wall ${(wallMs / 1000).toFixed(2)} s vs ideal ${(idealMs / 1000).toFixed(2)} s: ratio ${(wallMs / idealMs).toFixed(3)} (target <= 1.15)`,
);
console.log(
  `peak RSS ${rssMb.toFixed(0)} MB (target < 400 MB); the judge server runs in a child process`,
);
