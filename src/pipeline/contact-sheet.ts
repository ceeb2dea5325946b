// The contact sheet of the largest regressions: reference | baseline | PR, from the judge-size
// images kept in this run's and the baseline's results folders, each row captioned with its
// prompt. An image that cannot be read becomes a placeholder and a warning, never a failure.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { largestChanges, type Comparison, type ScoreChange } from '../compare/index.ts';
import * as f from '../report/format.ts';
import { buildContactSheet, type ContactSheetRow } from '../report/index.ts';
import type { SampleView } from '../report/model.ts';
import type { RunIO } from './io.ts';
import { judgeImageFile } from './results-folder.ts';

const ROWS = 8;
const CELL = 256;

const move = (s: ScoreChange) => `${f.judgeScore(s.base)}→${f.judgeScore(s.pr)}`;

/** Pure: which samples go on the sheet (the largest CP or PF drops, one per reference image). */
export function contactSheetRows(
  comparison: Comparison,
  samples: ReadonlyMap<string, SampleView>,
  resultsDir: string,
  baselineDir: string | undefined,
): ContactSheetRow[] {
  const drops = comparison.sampleDeltas.filter((d) => d.cp.delta < 0 || d.pf.delta < 0);
  return largestChanges(drops, ROWS, 'either', 1).map((d) => ({
    id: d.id,
    label: `${d.id}  CP ${move(d.cp)}  PF ${move(d.pf)}`,
    caption: samples.get(d.id)?.prompt ?? '',
    reference: judgeImageFile(resultsDir, 'reference', d.concept),
    baseline: baselineDir ? judgeImageFile(baselineDir, 'generated', d.id) : undefined,
    pr: judgeImageFile(resultsDir, 'generated', d.id),
  }));
}

/** Writes the sheet as `file`; returns its path, or undefined when no sample dropped. */
export async function writeContactSheet(
  rows: readonly ContactSheetRow[],
  file: string,
  io: RunIO,
): Promise<string | undefined> {
  // A baseline without that sample's image leaves an empty cell; a file that is there but cannot
  // be read is drawn as a placeholder and named in a warning.
  const present = rows.map((r) =>
    r.baseline && !existsSync(r.baseline) ? { ...r, baseline: undefined } : r,
  );
  if (present.length === 0) return undefined;
  const sheet = await buildContactSheet(present, {
    cell: CELL,
    onUnreadable: (e) => io.log.warning(`${e.message}; drawn as a placeholder`),
  });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, sheet);
  return file;
}
