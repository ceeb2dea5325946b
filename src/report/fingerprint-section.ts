// What a result measured: the configuration fingerprint, and — when the baseline measured something
// else — which fields differ and what each one means for the comparison (compare/fingerprint.ts).
import type { DifferenceClass, FingerprintDifference } from '../compare/index.ts';
import type { Fingerprint } from '../types.ts';
import { escapeMarkdown, truncate } from './escape.ts';
import { table } from './markdown.ts';

export const FIELD_LABELS: Readonly<Record<keyof Fingerprint, string>> = {
  dataset: 'dataset',
  datasetRevision: 'dataset-revision',
  datasetSha256: 'dataset sha256',
  sampleSeed: 'sample-seed',
  samples: 'samples',
  categories: 'categories',
  judgeModel: 'judge-model',
  judgeServed: 'served snapshot',
  judgeEndpoint: 'endpoint kind',
  judgeScoring: 'judge-scoring',
  judgeRepeats: 'judge-repeats',
  judgeTemperature: 'temperature',
  judgeOutputTokens: 'output-token limits',
  templatesSha256: 'prompt templates sha256',
  finalTurn: 'final turn',
  imageSize: 'image-size',
  imagePreparation: 'image preparation',
};

const CLASS_WORDS: Readonly<Record<DifferenceClass, string>> = {
  refused: 'not comparable',
  rejudge: 'judge side: the baseline can be judged again',
  noted: 'noted only',
};

/** A fingerprint value as text (escaped); `null` is what an older baseline did not record. */
export function fieldValue<K extends keyof Fingerprint>(field: K, v: Fingerprint[K]): string {
  let text: string;
  if (v === null) text = 'not recorded';
  else if (field === 'judgeServed') text = (v as string[]).join(', ') || 'none named';
  else if (field === 'categories') text = (v as string[]).join(', ') || '(all)';
  else if (field === 'judgeOutputTokens') {
    const t = v as { cp: number; pf: number };
    text = `CP ${t.cp}, PF ${t.pf}`;
  } else if (field === 'imagePreparation') {
    const p = v as Fingerprint['imagePreparation'];
    text = `v${p.version} (${p.fit}, JPEG quality ${p.quality})`;
  } else text = String(v);
  return escapeMarkdown(truncate(text, 100));
}

function differenceRows(differences: readonly FingerprintDifference[]): string[][] {
  return differences.map((d) => [
    FIELD_LABELS[d.field],
    fieldValue(d.field, d.base),
    fieldValue(d.field, d.pr),
    CLASS_WORDS[d.class],
  ]);
}

/** `judge-model gpt-4o-2024-08-06 → gpt-4o-2024-11-20; …`, for one line of text. */
export function changesInline(differences: readonly FingerprintDifference[]): string {
  return differences
    .map(
      (d) =>
        `${FIELD_LABELS[d.field]} ${fieldValue(d.field, d.base)} → ${fieldValue(d.field, d.pr)}`,
    )
    .join('; ');
}

/**
 * Why there are no deltas, and the fields that differ. `notRejudged`: the baseline differs only on
 * the judge side but was not judged again, and why (rejudge-baseline off, no stored images, …).
 */
export function differencesSection(
  differences: readonly FingerprintDifference[],
  notRejudged?: string,
): string {
  const intro =
    notRejudged === undefined
      ? 'The baseline measured something else, so no deltas are computed; the numbers above are ' +
        "this run's alone."
      : `The baseline was judged differently and was not judged again: ${escapeMarkdown(truncate(notRejudged, 300))}. ` +
        "No deltas are computed; the numbers above are this run's alone.";
  return `${intro} Fields that differ:\n\n${table(['field', 'baseline', 'this run', 'counts as'], differenceRows(differences))}`;
}

/** Differences that do not stand in the way of the comparison, said in one line. */
export function notedLine(noted: readonly FingerprintDifference[]): string | undefined {
  if (noted.length === 0) return undefined;
  return `Noted, not in the way of the comparison: ${changesInline(noted)}.`;
}

export function fingerprintSection(fp: Fingerprint): string {
  const rows = (Object.keys(FIELD_LABELS) as (keyof Fingerprint)[]).map((k) => [
    FIELD_LABELS[k],
    fieldValue(k, fp[k]),
  ]);
  return `### Configuration fingerprint\n\n${table(['field', 'value'], rows)}`;
}
