// Merge: combine the shard artifacts of this run into one result, then compare and report it as
// an unsharded run would (check on a pull request, baseline otherwise).
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import type { Config } from '../config.ts';
import { ArtifactFiles } from '../constants.ts';
import { ShardMergeError } from '../results/errors.ts';
import { mergeShards } from '../results/merge.ts';
import type { ResultsFile } from '../results/schema.ts';
import { withoutSecrets, type RunContext } from './context.ts';
import type { RunIO } from './io.ts';
import { SKIPPED, type Outcome } from './outputs.ts';
import { readResultsIn } from './results-folder.ts';
import { lookUpBaseline, report, type ActionInfo } from './run.ts';

async function downloadShards(config: Config, ctx: RunContext, io: RunIO) {
  const client = new DefaultArtifactClient();
  const prefix = `${config.artifactName}-shard-`;
  const { artifacts } = await client.listArtifacts({ latest: true });
  const shards: { results: ResultsFile; dir: string }[] = [];
  for (const a of artifacts.filter((x) => x.name.startsWith(prefix))) {
    const dir = path.join(ctx.workDir, 'shards', a.name);
    await client.downloadArtifact(a.id, { path: dir });
    const results = await readResultsIn(dir, `artifact "${a.name}"`);
    if (!results)
      throw new ShardMergeError(`artifact "${a.name}" holds no ${ArtifactFiles.Results}`);
    shards.push({ results, dir });
    io.log.info(`Shard artifact "${a.name}": ${shards.at(-1)!.results.samples.length} samples`);
  }
  return { shards, prefix };
}

export async function runMerge(
  config: Config,
  ctx: RunContext,
  io: RunIO,
  action: ActionInfo,
): Promise<Outcome> {
  const { shards, prefix } = await io.log.group('Merge: collect the shards', () =>
    downloadShards(config, ctx, io),
  );
  if (shards.length === 0 && withoutSecrets(ctx)) {
    // The shard jobs of a fork's PR skipped (no key), so there is nothing to merge either.
    io.log.notice(
      'Skipped: no shard results, and this pull request gets no secrets (a fork or Dependabot)',
    );
    return SKIPPED;
  }
  const merged = mergeShards(
    shards.map((s) => s.results),
    prefix,
  );
  const resultsDir = path.join(ctx.workDir, 'results');
  for (const s of shards) {
    await cp(s.dir, resultsDir, {
      recursive: true,
      filter: (src) => path.basename(src) !== ArtifactFiles.Results && !src.endsWith('.md'),
    });
  }
  const mode = ctx.pullRequest ? 'check' : 'baseline';
  const baseline = await lookUpBaseline(config, ctx, io);
  return report(config, mode, ctx, io, action, { ...merged, resultsDir }, baseline);
}
