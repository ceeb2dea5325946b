// Artifact uploads of one job: the results folder (zipped) and the report files (unzipped), each
// replacing an earlier attempt's artifact of the same name on a re-run, each returning the
// artifact's page on GitHub.
import path from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { uploadFile, uploadResults, type UploadedArtifact } from '../github/artifacts.ts';
import type { RunContext } from './context.ts';
import type { RunIO } from './io.ts';

export interface Uploads {
  /** Zips `dir` into the artifact `name`; the artifact's URL, or undefined off a runner. */
  folder(name: string, dir: string): Promise<string | undefined>;
  /** Uploads `file` unzipped, as an artifact named after it. */
  file(file: string): Promise<string | undefined>;
}

export function uploads(ctx: RunContext, io: RunIO): Uploads {
  const onRunner = Boolean(io.env.ACTIONS_RUNTIME_TOKEN);
  let told = false;
  const offRunner = () => {
    if (!told)
      io.log.notice(
        'Not on a GitHub runner (no ACTIONS_RUNTIME_TOKEN): results kept on disk, no artifact uploaded',
      );
    told = true;
    return undefined;
  };
  const { owner, repo } = ctx.repository;
  const done = (a: UploadedArtifact) => {
    io.log.info(`Uploaded artifact "${a.name}" (${a.files.length} files, ${a.size} bytes)`);
    return `${ctx.serverUrl}/${owner}/${repo}/actions/runs/${ctx.runId}/artifacts/${a.id}`;
  };
  // Names are unique per run, and a re-run is the same run: replace an earlier attempt's upload.
  const replaceEarlier = async (name: string) => {
    if (ctx.runAttempt <= 1) return;
    await new DefaultArtifactClient().deleteArtifact(name).then(
      () => io.log.info(`Replaced the artifact "${name}" of an earlier attempt`),
      () => undefined, // none to replace
    );
  };
  return {
    async folder(name, dir) {
      if (!onRunner) return offRunner();
      await replaceEarlier(name);
      return done(await uploadResults({ name, dir }));
    },
    async file(file) {
      if (!onRunner) return offRunner();
      await replaceEarlier(path.basename(file));
      return done(await uploadFile(file));
    },
  };
}
