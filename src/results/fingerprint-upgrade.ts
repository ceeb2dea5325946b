// A fingerprint written before results schema 3 lacks the fields that came with it. They are
// filled in as that version of the action did them, so an older baseline is still read and
// compared field by field (pure):
// - finalTurn `labelled`, judgeTemperature 1, imagePreparation version 1 (contain, quality 90):
//   the only way the older versions ever judged;
// - judgeServed: the snapshots its judge statistics counted (`judge.stats.servedModels`);
// - judgeEndpoint, judgeOutputTokens: `null`, not recorded (the output limits changed between
//   older versions, and the endpoint was never written down).
// A field that is present is left as it is (validate-baseline.ts checks it).

const OLDER_DEFAULTS = {
  judgeEndpoint: null,
  judgeTemperature: 1,
  judgeOutputTokens: null,
  finalTurn: 'labelled',
  imagePreparation: { version: 1, fit: 'contain', quality: 90 },
} as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The served snapshots an older results file counted in its judge statistics. */
function servedOf(results: Record<string, unknown>): string[] {
  const judge = results.judge;
  const stats = isObject(judge) ? judge.stats : undefined;
  const served = isObject(stats) ? stats.servedModels : undefined;
  return isObject(served) ? Object.keys(served).sort() : [];
}

/** The fields results schema 3 added to the fingerprint. */
export const WIDER_FIELDS: readonly string[] = ['judgeServed', ...Object.keys(OLDER_DEFAULTS)];

/** `results` with its fingerprint's missing wider fields filled in; anything else untouched. */
export function withWiderFingerprint(results: Record<string, unknown>): Record<string, unknown> {
  const fingerprint = results.fingerprint;
  if (!isObject(fingerprint)) return results;
  return {
    ...results,
    fingerprint: { ...OLDER_DEFAULTS, judgeServed: servedOf(results), ...fingerprint },
  };
}
