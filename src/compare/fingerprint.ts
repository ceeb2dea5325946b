// Whether two results may be compared: every field that shapes the sample or the judge's scale
// must agree. An empty difference list means comparable.
import type { Fingerprint } from '../types.ts';

export type FingerprintDifference = {
  [K in keyof Fingerprint]: {
    readonly field: K;
    readonly base: Fingerprint[K];
    readonly pr: Fingerprint[K];
  };
}[keyof Fingerprint];

const FIELDS = [
  'dataset',
  'datasetRevision',
  'datasetSha256',
  'sampleSeed',
  'samples',
  'categories',
  'judgeModel',
  'judgeScoring',
  'judgeRepeats',
  'templatesSha256',
  'imageSize',
] as const satisfies readonly (keyof Fingerprint)[];

/** Category filters compare as sets: the order they were written in does not change the sample. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sa = [...new Set(a)].sort();
    const sb = [...new Set(b)].sort();
    return sa.length === sb.length && sa.every((v, i) => v === sb[i]);
  }
  return a === b;
}

export function fingerprintDiff(base: Fingerprint, pr: Fingerprint): FingerprintDifference[] {
  return FIELDS.filter((f) => !sameValue(base[f], pr[f])).map(
    (field) => ({ field, base: base[field], pr: pr[field] }) as FingerprintDifference,
  );
}
