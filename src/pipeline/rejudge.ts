// Judging the baseline again (`rejudge-baseline`, design.md "Results and baseline"): when the
// baseline's fingerprint differs from this run's only on the judge side, its stored judge-size
// images go to this run's judge (the score stage itself: its cache, max-cost-usd, time budget
// and rate limits), so the comparison stays paired. The new judgments are written into the results
// folder as soon as they are paid for. Whatever goes wrong here costs the run only its deltas.
import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import {
  blockingDifferences,
  fingerprintDiff,
  SAMPLE_FIELDS,
  type FingerprintDifference,
} from '../compare/index.ts';
import { judgeApiKey, type Config } from '../config.ts';
import { ArtifactFiles, Inputs } from '../constants.ts';
import type { Templates } from '../score/judgment/templates.ts';
import type { ScoreItem } from '../score/score-samples.ts';
import { redact } from '../score/transport/redact.ts';
import type { Sample } from '../types.ts';
import type { BaselineLookup, Measured } from './assess.ts';
import type { BaselineFound } from './baseline.ts';
import type { RunContext } from './context.ts';
import { fingerprintOf, judgeBaseUrl, judgeObserved } from './fingerprint.ts';
import type { RunIO } from './io.ts';
import { candidatesOf, rejudgedBaseline, type Candidate } from './rejudge-plan.ts';
import { judgeImageFile, writeRejudgedFile } from './results-folder.ts';
import { judgeItems } from './score.ts';

export interface RejudgeContext {
  readonly config: Config;
  readonly ctx: RunContext;
  readonly io: RunIO;
  readonly mode: 'check' | 'baseline';
  /** Loads the judge templates of this job's inputs. */
  readonly templates: () => Promise<Templates>;
}

/** The baseline to compare with: as it is, judged again, or with the reason it was not. */
export async function rejudgeIfNeeded(
  r: RejudgeContext,
  m: Measured,
  baseline: BaselineLookup,
): Promise<BaselineLookup> {
  if ('missing' in baseline) return baseline;
  const differences = fingerprintDiff(baseline.results.fingerprint, m.fingerprint);
  const blocking = blockingDifferences(differences);
  // Nothing to do, or nothing judging again could mend (another sample, another preparation).
  if (blocking.length === 0 || blocking.some((d) => d.class === 'refused')) return baseline;
  const fields = blocking.map((d) => d.field).join(', ');
  try {
    return await r.io.log.group(`Baseline: judge its images again (${fields} differ)`, () =>
      rejudge(r, m, baseline, differences),
    );
  } catch (error) {
    const why = redact(error instanceof Error ? error.message : String(error), [
      judgeApiKey(r.config, r.io.env),
    ]);
    r.io.log.warning(`The baseline could not be judged again: ${why}`);
    return { ...baseline, notRejudged: `judging it again failed: ${why}` };
  }
}

async function rejudge(
  r: RejudgeContext,
  m: Measured,
  baseline: BaselineFound,
  differences: readonly FingerprintDifference[],
): Promise<BaselineLookup> {
  const not = (why: string): BaselineLookup => {
    r.io.log.info(`Not judged again: ${why}`);
    return { ...baseline, notRejudged: why };
  };
  const ready = await readiness(r, m);
  if ('why' in ready) return not(ready.why);
  const { items, kept, leftOut, candidates } = await itemsOf(baseline, m);
  if (items.length === 0) {
    return not(
      candidates === 0 && leftOut.length === 0
        ? 'no sample of this run pairs with one of the baseline'
        : `the baseline artifact holds none of the judge-size images (${ArtifactFiles.Images}/) of the paired samples (${leftOut[0] ?? 'none stored'})`,
    );
  }
  r.io.log.info(
    `Judging ${items.length} of the baseline's stored images again with ${r.config.judge.model}` +
      (leftOut.length > 0 ? ` (${leftOut.length} paired samples have none to judge)` : ''),
  );
  const result = await judgeItems(r.config, r.ctx, items, ready.templates, r.io, {
    spent: m.judging ?? { costUsd: 0, ms: 0 },
    laterPass: { keySuffix: '-baseline', restored: m.judging !== undefined },
    what: "Judged the baseline's images again:",
  });
  const stored = baseline.results.fingerprint.imageSize;
  const size = m.fingerprint.imageSize;
  const rejudged = rejudgedBaseline({
    baseline: baseline.results,
    run: m,
    differences,
    judgedIds: items.map((i) => i.sample.id),
    leftOut,
    kept,
    result,
    judgedWith: { ...m.fingerprint, judgeScoring: judgeObserved(r.config, result.stats).scoring },
    ...(stored > size ? { reduced: { from: stored, to: size } } : {}),
  });
  // Paid for: kept in this run's results folder (and artifact) before anything else can fail.
  await writeRejudgedFile(m.resultsDir, rejudged.results);
  return { ...baseline, results: rejudged.results, rejudged: rejudged.view };
}

/** The templates to judge with, or why this job does not judge the baseline again. */
async function readiness(
  r: RejudgeContext,
  m: Measured,
): Promise<{ templates: Templates } | { why: string }> {
  const { config, io } = r;
  if (!config.rejudgeBaseline) return { why: `${Inputs.RejudgeBaseline} is false` };
  if (r.mode === 'baseline')
    return {
      why: 'a baseline run shows its drift against the previous baseline only as it was judged',
    };
  if (!judgeApiKey(config, io.env))
    return { why: `this job has no judge key (${Inputs.OpenaiApiKey})` };
  const spent = m.judging?.costUsd ?? 0;
  if (config.judge.maxCostUsd !== undefined && spent >= config.judge.maxCostUsd)
    return { why: `${Inputs.MaxCostUsd} was spent on this run's own images` };
  const templates = await r.templates();
  // This job's judge must be the one this run's images had (a merge job's inputs could differ
  // from its shards').
  const dataset = { name: m.fingerprint.dataset, revision: m.fingerprint.datasetRevision };
  const mine = fingerprintOf(
    config,
    { ...dataset, sha256: m.fingerprint.datasetSha256, concepts: [] },
    templates,
    { scoring: m.fingerprint.judgeScoring, served: m.fingerprint.judgeServed },
    judgeBaseUrl(config, io.env),
  );
  const mismatch = fingerprintDiff(m.fingerprint, mine).filter(
    (d) => d.class !== 'noted' && !SAMPLE_FIELDS.includes(d.field),
  );
  if (mismatch.length > 0) {
    const fields = mismatch.map((d) => d.field).join(', ');
    return {
      why: `this job's judge inputs are not those this run's images were judged with (${fields})`,
    };
  }
  return { templates };
}

/** The paired baseline samples as score items, and those left out on the way, with why. */
async function itemsOf(baseline: BaselineFound, m: Measured) {
  const { candidates, kept, ...plan } = candidatesOf(baseline.results, m);
  const leftOut = [...plan.leftOut];
  const stored = baseline.results.fingerprint.imageSize;
  const items: ScoreItem[] = [];
  for (const c of candidates) {
    const item = await itemOf(c, baseline.dir, m.resultsDir, stored, m.fingerprint.imageSize);
    if (typeof item === 'string') leftOut.push(`${c.sample.id}: ${item}`);
    else items.push(item);
  }
  return { items, kept, leftOut, candidates: candidates.length };
}

/**
 * The score item of one baseline sample: its stored image (as it is at the same size, reduced at
 * a smaller one) and this run's reference of its concept, else the baseline's; or why there is
 * none.
 */
async function itemOf(
  c: Candidate,
  baselineDir: string,
  resultsDir: string,
  storedSize: number,
  size: number,
): Promise<ScoreItem | string> {
  const imagePath = judgeImageFile(baselineDir, 'generated', c.sample.id);
  const bytes = await readFile(imagePath).catch(() => undefined);
  if (bytes === undefined) return 'the baseline artifact holds no stored image of it';
  if (createHash('sha256').update(bytes).digest('hex') !== c.imageSha256)
    return 'its stored image is not the one the baseline judged (sha256 differs)';
  const mine = judgeImageFile(resultsDir, 'reference', c.sample.concept);
  const theirs = judgeImageFile(baselineDir, 'reference', c.sample.concept);
  const reference = (await exists(mine)) ? mine : (await exists(theirs)) ? theirs : undefined;
  if (reference === undefined) return 'no judge-size reference image of its concept';
  const asPrepared: ('generated' | 'reference')[] = [];
  if (storedSize === size) asPrepared.push('generated');
  if (reference === mine || storedSize === size) asPrepared.push('reference');
  const sample: Sample = {
    ...c.sample,
    upstreamKey: c.sample.upstreamKey ?? c.sample.id,
    referenceImages: [reference],
  };
  return { sample, imagePath, referencePath: reference, asPrepared };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
