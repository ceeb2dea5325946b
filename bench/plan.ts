// Plan-stage benchmark: a full 150-concept x 9-prompt DreamBench++-layout data.zip (small JPEGs)
// served by the loopback hub, loaded through the real tool-cache path, then sampled.
// Run: node bench/plan.ts
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fetchCachedArchive } from '../src/plan/cached-archive.ts';
import { readLayout } from '../src/plan/dreambench-plus-layout.ts';
import { loadBenchmark, selectSample, shardOf } from '../src/plan/index.ts';
import { hash31 } from '../src/plan/sampler.ts';
import { buildDataZip, startHubServer } from '../test/harness/servers/hub.ts';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-plan-'));
process.env.RUNNER_TOOL_CACHE = path.join(scratch, 'tool-cache');
process.env.RUNNER_TEMP = path.join(scratch, 'temp');
const REPO = 'yuangpeng/dreambench_plus';
// 150 concepts; the split is illustrative (the sampler only cares about the shares).
const zip = await buildDataZip({ perCategory: { animal: 40, human: 20, object: 50, style: 40 } });
const hub = await startHubServer({ files: { [`${REPO}@main/data.zip`]: zip } });
const time = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const t0 = performance.now();
  const out = await f();
  return [out, performance.now() - t0];
};
const silence = process.stdout.write.bind(process.stdout);
try {
  // The ideal extraction: a bare unzip of the same bytes.
  const zipFile = path.join(scratch, 'data.zip');
  await writeFile(zipFile, zip);
  const [, unzipMs] = await time(() =>
    execFileSync('unzip', ['-q', '-o', zipFile, '-d', path.join(scratch, 'raw')]),
  );

  process.stdout.write = (() => true) as typeof process.stdout.write; // tool-cache logs its steps
  // Keyed by the commit main resolves to, as loadBenchmark does, so the warm load below hits it.
  const commit = hub.commitOf(`${REPO}@main`)!;
  const url = `${hub.url}/datasets/${REPO}/resolve/${commit}/data.zip`;
  const [archive, fetchMs] = await time(() =>
    fetchCachedArchive({
      dataset: 'dreambench-plus',
      tool: 'dreambench-plus',
      commit,
      url,
      maxBytes: 2 ** 31,
      mapError: (e) => e as Error,
      validate: readLayout,
    }),
  );
  const [layout, parseMs] = await time(() => readLayout(archive.dir));
  const [benchmark, warmMs] = await time(() =>
    loadBenchmark({ dataset: 'dreambench-plus', revision: 'main', hfEndpoint: hub.url }),
  );
  process.stdout.write = silence;

  const reps = 20;
  const [, sample150Ms] = await time(() => {
    for (let i = 0; i < reps; i++) selectSample(benchmark, { size: 150, seed: i });
  });
  const [all, sampleAllMs] = await time(() => {
    let last = selectSample(benchmark, { size: 'all', seed: 0 });
    for (let i = 1; i < reps; i++) last = selectSample(benchmark, { size: 'all', seed: i });
    return last;
  });
  // The ideal sampler cost: the seeded hashes it must compute (one per concept and per prompt, plus seeds).
  const [, hashMs] = await time(() => {
    for (let i = 0; i < reps; i++) for (let k = 0; k < 150 + 2 * 1350; k++) hash31(`${i}:${k}:x`);
  });
  const [, shardMs] = await time(() => shardOf(all, 1, 8));

  const row = (label: string, ms: number, extra = '') =>
    console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms ${extra}`);
  console.log(
    `data.zip: ${(zip.length / 1024).toFixed(0)} KiB, ${layout.concepts.length} concepts, ${all.length} samples`,
  );
  row('unzip -q (ideal extraction)', unzipMs);
  row(
    'download + extract + validate twice + cacheDir',
    fetchMs,
    `ratio vs ideal ${(fetchMs / unzipMs).toFixed(2)}x`,
  );
  row(
    'parse layout + image header checks',
    parseMs,
    `${(parseMs / layout.concepts.length).toFixed(2)} ms/concept`,
  );
  row(
    'warm load (revision request, cache hit re-hashed)',
    warmMs,
    `ratio vs cold ${(warmMs / (fetchMs + parseMs)).toFixed(2)}x`,
  );
  row('ideal: the seeded sha256 keys alone (per call)', hashMs / reps);
  row(
    'selectSample size 150 (per call)',
    sample150Ms / reps,
    `ratio vs ideal ${(sample150Ms / hashMs).toFixed(2)}x`,
  );
  row(
    'selectSample all 1350 (per call)',
    sampleAllMs / reps,
    `ratio vs ideal ${(sampleAllMs / hashMs).toFixed(2)}x`,
  );
  row('shardOf 1/8 of 1350', shardMs);
} finally {
  process.stdout.write = silence;
  await hub.close();
  await rm(scratch, { recursive: true, force: true });
}
