// Plan: load the benchmark, choose the sample (and this job's shard), write the manifest.
import path from 'node:path';
import type { Config } from '../config.ts';
import { writeManifest } from '../generate/index.ts';
import {
  availableSamples,
  loadBenchmark,
  sampleShortfallWarning,
  selectSample,
  shardOf,
} from '../plan/index.ts';
import type { Benchmark, Sample } from '../types.ts';
import type { RunContext } from './context.ts';
import type { RunIO } from './io.ts';

export interface Planned {
  readonly benchmark: Benchmark;
  /** This job's samples (its shard's slice when `shard` is set). */
  readonly samples: readonly Sample[];
  readonly manifestPath: string;
  /** Where the generator writes (or where `images-dir` already holds) the images. */
  readonly outputDir: string;
}

export async function plan(config: Config, ctx: RunContext, io: RunIO): Promise<Planned> {
  const source = config.dataset.source;
  const benchmark = await loadBenchmark({
    dataset: source.kind === 'preset' ? source.name : source.path,
    revision: config.dataset.revision,
    hfEndpoint: io.env.HF_ENDPOINT || undefined,
    hfToken: io.env.HF_TOKEN || undefined,
    workspace: ctx.workspace,
    onWarning: (message) => io.log.warning(message),
  });
  const { size, seed, categories } = config.sampling;
  let samples = selectSample(benchmark, { size, seed, categories });
  const shortfall = sampleShortfallWarning(
    size,
    availableSamples(benchmark, categories),
    categories,
  );
  if (shortfall) io.log.warning(shortfall);
  const total = samples.length;
  if (config.shard) samples = shardOf(samples, config.shard.index, config.shard.count);
  const outputDir = config.generation.imagesDir ?? path.join(ctx.workDir, 'images');
  const manifestPath = path.join(ctx.workDir, 'manifest.jsonl');
  await writeManifest(samples, outputDir, manifestPath);
  const concepts = new Set(samples.map((s) => s.concept)).size;
  io.log.info(
    `Planned ${samples.length} samples over ${concepts} reference images from ${benchmark.name}` +
      ` (${benchmark.concepts.length} concepts, revision ${benchmark.revision}, sha256 ${benchmark.sha256.slice(0, 12)})` +
      (config.shard ? `; shard ${config.shard.index}/${config.shard.count} of ${total}` : ''),
  );
  io.log.info(`Manifest: ${manifestPath}`);
  return { benchmark, samples, manifestPath, outputDir };
}
