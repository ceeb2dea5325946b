// Generate: run the repository's command once (or take `images-dir`), then check every image.
import { mkdir } from 'node:fs/promises';
import { judgeApiKey, type Config } from '../config.ts';
import { collectImages, runGenerateCommand, type CollectedImages } from '../generate/index.ts';
import type { RunContext } from './context.ts';
import { generatorEnv } from './generator-env.ts';
import type { RunIO } from './io.ts';
import type { Planned } from './plan.ts';

export async function generate(
  config: Config,
  ctx: RunContext,
  planned: Planned,
  io: RunIO,
): Promise<CollectedImages> {
  const { command } = config.generation;
  if (command !== undefined) {
    await mkdir(planned.outputDir, { recursive: true });
    io.log.info(`Running generate-command for ${planned.samples.length} samples`);
    await runGenerateCommand({
      command,
      manifestPath: planned.manifestPath,
      outputDir: planned.outputDir,
      cwd: ctx.workspace,
      env: generatorEnv(io.env, [judgeApiKey(config, io.env), config.githubToken]),
      signal: io.signal,
      timeoutMs: config.generation.timeoutMs,
    });
  }
  const collected = await collectImages(planned.samples, {
    outputDir: planned.outputDir,
    imagesDir: config.generation.imagesDir,
  });
  for (const f of collected.failures) io.log.warning(`${f.id}: ${f.reason}`);
  io.log.info(
    `Images: ${collected.images.size} usable, ${collected.failures.length} failed of ${planned.samples.length}`,
  );
  return collected;
}
