// The contact sheet of the largest regressions: reference | baseline | PR, from the judge-size
// images kept in this run's and the baseline's results folders.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { largestChanges, type Comparison } from '../compare/index.ts';
import { buildContactSheet, type ContactSheetRow } from '../report/index.ts';
import { ArtifactFiles } from '../constants.ts';
import { fileStemOf } from '../file-names.ts';

const ROWS = 8;
const CELL = 256;

/** Pure: which samples go on the sheet (the largest CP or PF drops, one per reference image). */
export function contactSheetRows(
  comparison: Comparison,
  resultsDir: string,
  baselineDir: string | undefined,
): ContactSheetRow[] {
  const drops = comparison.sampleDeltas.filter((d) => d.cp.delta < 0 || d.pf.delta < 0);
  return largestChanges(drops, ROWS, 'either', 1).map((d) => ({
    id: d.id,
    label: `${d.id}  CP ${d.cp.base}→${d.cp.pr}  PF ${d.pf.base}→${d.pf.pr}`,
    reference: path.join(resultsDir, ArtifactFiles.References, `${fileStemOf(d.concept)}.jpg`),
    baseline: baselineDir
      ? path.join(baselineDir, ArtifactFiles.Images, `${fileStemOf(d.id)}.jpg`)
      : undefined,
    pr: path.join(resultsDir, ArtifactFiles.Images, `${fileStemOf(d.id)}.jpg`),
  }));
}

/** Writes the sheet into the results folder; returns its file name, or undefined when empty. */
export async function writeContactSheet(
  comparison: Comparison,
  resultsDir: string,
  baselineDir: string | undefined,
): Promise<string | undefined> {
  const rows = contactSheetRows(comparison, resultsDir, baselineDir)
    .map((r) => (r.baseline && !existsSync(r.baseline) ? { ...r, baseline: undefined } : r))
    .filter((r) => existsSync(r.reference) && existsSync(r.pr));
  if (rows.length === 0) return undefined;
  await writeFile(
    path.join(resultsDir, ArtifactFiles.ContactSheet),
    await buildContactSheet(rows, { cell: CELL }),
  );
  return ArtifactFiles.ContactSheet;
}
