// The metadata a batch carries, naming the run and the configuration (pure), within the API's
// limits (the openai-openapi spec, Metadata): at most 16 pairs, keys up to 64 characters, string
// values up to 512. Longer values are cut with an ellipsis; pairs past 16 are left out.

export const METADATA_LIMITS = { pairs: 16, keyChars: 64, valueChars: 512 } as const;

export function batchMetadata(
  facts: Readonly<Record<string, string | number | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(facts)) {
    if (value === undefined || value === '') continue;
    if (Object.keys(out).length === METADATA_LIMITS.pairs) break;
    const k = key.slice(0, METADATA_LIMITS.keyChars);
    const v = String(value);
    out[k] =
      v.length <= METADATA_LIMITS.valueChars ? v : `${v.slice(0, METADATA_LIMITS.valueChars - 1)}…`;
  }
  return out;
}
