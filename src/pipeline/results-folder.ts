// The results folder on disk: results.json, scores.csv, report.md and the re-judged baseline written
// into it, where its judge-size images live, and results.json read back from a downloaded artifact
// (a baseline or a shard).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ArtifactFiles } from '../constants.ts';
import { fileStemOf } from '../file-names.ts';
import { parseResults } from '../results/parse.ts';
import { scoresCsv } from '../results/scores-csv.ts';
import type { ResultsFile } from '../results/schema.ts';

/**
 * The judge-size image a results folder keeps: a sample's generated image, or a reference, under
 * a file name that is safe for any id (fileStemOf).
 */
export function judgeImageFile(dir: string, role: 'generated' | 'reference', id: string): string {
  const sub = role === 'generated' ? ArtifactFiles.Images : ArtifactFiles.References;
  return path.join(dir, sub, `${fileStemOf(id)}.jpg`);
}

/** Writes a results file as `name` into the folder, made if no earlier stage made it. */
async function writeJson(resultsDir: string, name: string, results: ResultsFile): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, name);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** Writes results.json, the first thing a judged run keeps; returns its path. */
export function writeResultsFile(resultsDir: string, results: ResultsFile): Promise<string> {
  return writeJson(resultsDir, ArtifactFiles.Results, results);
}

/** Writes the baseline as this run's judge scored it again, as soon as it is paid for. */
export function writeRejudgedFile(resultsDir: string, rejudged: ResultsFile): Promise<string> {
  return writeJson(resultsDir, ArtifactFiles.RejudgedBaseline, rejudged);
}

/** Writes scores.csv (per-sample CP and PF by upstream key) next to results.json. */
export async function writeScoresFile(resultsDir: string, results: ResultsFile): Promise<string> {
  const file = path.join(resultsDir, ArtifactFiles.Scores);
  await writeFile(file, scoresCsv(results.samples, results.records));
  return file;
}

/** Writes report.md next to results.json; returns its path. */
export async function writeReportFile(resultsDir: string, reportMarkdown: string): Promise<string> {
  const reportFile = path.join(resultsDir, ArtifactFiles.Report);
  await writeFile(reportFile, reportMarkdown);
  return reportFile;
}

/** The results.json of an extracted artifact; `undefined` when it holds none. */
export async function readResultsIn(dir: string, source: string): Promise<ResultsFile | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, ArtifactFiles.Results), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseResults(text, source);
}
