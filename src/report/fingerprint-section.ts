// What a result measured: the configuration fingerprint, and — when the baseline measured something
// else — exactly which fields differ.
import type { FingerprintDifference } from '../compare/index.ts';
import type { Fingerprint } from '../types.ts';
import { escapeMarkdown, truncate } from './escape.ts';
import { table } from './markdown.ts';

const FIELD_LABELS: Readonly<Record<keyof Fingerprint, string>> = {
  dataset: 'dataset',
  datasetRevision: 'dataset-revision',
  datasetSha256: 'dataset sha256',
  sampleSeed: 'sample-seed',
  samples: 'samples',
  categories: 'categories',
  judgeModel: 'judge-model',
  judgeScoring: 'judge-scoring',
  judgeRepeats: 'judge-repeats',
  templatesSha256: 'prompt templates sha256',
  imageSize: 'image-size',
};

function value(v: Fingerprint[keyof Fingerprint]): string {
  const text = Array.isArray(v) ? (v.length === 0 ? '(all)' : v.join(', ')) : String(v);
  return escapeMarkdown(truncate(text, 100));
}

export function differencesSection(differences: readonly FingerprintDifference[]): string {
  const rows = differences.map((d) => [FIELD_LABELS[d.field], value(d.base), value(d.pr)]);
  return (
    `The baseline measured something else, so no deltas are computed; the numbers above are this run's alone. ` +
    `Fields that differ:\n\n${table(['field', 'baseline', 'this run'], rows)}`
  );
}

export function fingerprintSection(fp: Fingerprint): string {
  const rows = (Object.keys(FIELD_LABELS) as (keyof Fingerprint)[]).map((k) => [
    FIELD_LABELS[k],
    value(fp[k]),
  ]);
  return `### Configuration fingerprint\n\n${table(['field', 'value'], rows)}`;
}
