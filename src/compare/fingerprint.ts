// Whether two results may be compared, field by field (design.md "Results and baseline"). Every
// field that differs is classed:
// - `refused`: the sample differs (dataset, revision, sampler), or the baseline's stored images
//   cannot be what this run's judge would see (another image preparation; a smaller size than
//   this run's): absolute numbers only.
// - `rejudge`: only the judge side differs (model, served snapshot, endpoint kind, scoring,
//   repeats, temperature, templates, final turn; a larger image size, which the stored images
//   can be reduced to): the baseline's stored images can be judged again with this run's judge
//   (`rejudge-baseline`), and the comparison stays paired.
// - `noted`: shown, never in the way: the output-token limits (a reply cut short is asked again
//   with more room, so the limit changes the cost, not the score), and what an older baseline did
//   not record.
import type { Fingerprint } from '../types.ts';

export type DifferenceClass = 'refused' | 'rejudge' | 'noted';

export type FingerprintDifference = {
  [K in keyof Fingerprint]: {
    readonly field: K;
    readonly base: Fingerprint[K];
    readonly pr: Fingerprint[K];
    readonly class: DifferenceClass;
  };
}[keyof Fingerprint];

type Classify<K extends keyof Fingerprint> = (
  base: Fingerprint[K],
  pr: Fingerprint[K],
) => DifferenceClass;
const always = (c: DifferenceClass) => (): DifferenceClass => c;
/** A field an older baseline did not record (`null`) cannot be told apart: noted. */
const unlessUnrecorded =
  (c: DifferenceClass) =>
  (base: unknown, pr: unknown): DifferenceClass =>
    base === null || pr === null ? 'noted' : c;

/** Every field, in the order the report lists them, with its class. */
const CLASSES: { readonly [K in keyof Fingerprint]: Classify<K> } = {
  dataset: always('refused'),
  datasetRevision: always('refused'),
  datasetSha256: always('refused'),
  sampleSeed: always('refused'),
  samples: always('refused'),
  categories: always('refused'),
  judgeModel: always('rejudge'),
  judgeServed: always('rejudge'),
  judgeEndpoint: unlessUnrecorded('rejudge'),
  judgeScoring: always('rejudge'),
  judgeRepeats: always('rejudge'),
  judgeTemperature: always('rejudge'),
  judgeOutputTokens: always('noted'),
  templatesSha256: always('rejudge'),
  finalTurn: always('rejudge'),
  // Reducing a stored image is one more resampling; enlarging one would show the judge less
  // detail than this run's own images have.
  imageSize: (base, pr) => (pr <= base ? 'rejudge' : 'refused'),
  // The stored images were prepared the baseline's way, and its generated images are not kept.
  imagePreparation: always('refused'),
};

export const FINGERPRINT_FIELDS = Object.keys(CLASSES) as readonly (keyof Fingerprint)[];

/** What chooses the sample: the dataset and the sampler. */
export const SAMPLE_FIELDS: readonly (keyof Fingerprint)[] = [
  'dataset',
  'datasetRevision',
  'datasetSha256',
  'sampleSeed',
  'samples',
  'categories',
];

/** Observed from the judge's answers rather than configured: shards of one run may differ. */
export const OBSERVED_FIELDS: readonly (keyof Fingerprint)[] = ['judgeServed'];

/** Lists compare as sets (category filters, served snapshots); objects by their content. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sa = [...new Set(a)].sort();
    const sb = [...new Set(b)].sort();
    return sa.length === sb.length && sa.every((v, i) => v === sb[i]);
  }
  if (a && b && typeof a === 'object' && typeof b === 'object')
    return canonical(a) === canonical(b);
  return a === b;
}

function canonical(v: object): string {
  return JSON.stringify(Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1))));
}

function differenceOf<K extends keyof Fingerprint>(
  field: K,
  base: Fingerprint,
  pr: Fingerprint,
): FingerprintDifference | undefined {
  if (sameValue(base[field], pr[field])) return undefined;
  const classify = CLASSES[field] as Classify<K>;
  return {
    field,
    base: base[field],
    pr: pr[field],
    class: classify(base[field], pr[field]),
  } as FingerprintDifference;
}

/** Every field that differs, classed; empty when the two measured the same thing. */
export function fingerprintDiff(base: Fingerprint, pr: Fingerprint): FingerprintDifference[] {
  return FINGERPRINT_FIELDS.map((f) => differenceOf(f, base, pr)).filter(
    (d): d is FingerprintDifference => d !== undefined,
  );
}

/** The differences that stand in the way of a paired comparison (refused or to be judged again). */
export function blockingDifferences(
  differences: readonly FingerprintDifference[],
): FingerprintDifference[] {
  return differences.filter((d) => d.class !== 'noted');
}
