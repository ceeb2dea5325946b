// Reads the judge's reply (pure): the `Score: N` line and refusals.

/** The `Score:` label: case-insensitive, emphasis and code marks tolerated around it. */
const LABEL_PATTERN = /(?<![A-Za-z])score[*_`\s]*[:：]/gi;
/**
 * What follows the label up to the end of its line: emphasis, then the number with sign and
 * decimals (`.` or `,`) so that `-1`, `3.5`, `3,5` or `7` are seen — and rejected — rather than
 * misread as a valid digit, then the rest of the line.
 */
const VALUE_PATTERN = /^[*_` \t]*(-?\d+(?:[.,]\d+)?)([^\n\r]*)/;
/** All that may follow the number: emphasis, whitespace, `/4` or `out of 4`, a trailing period. */
const TAIL_PATTERN = /^[*_`\s]*(?:(?:\/\s*4|out\s+of\s+4)[*_`\s]*)?\.?[*_`\s]*$/i;

export type ParsedReply =
  | {
      readonly ok: true;
      readonly score: number;
      /** Offset of the digit in the text. */ readonly index: number;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * A reply scores only when it holds exactly one `Score: N`, N an integer 0-4, with nothing after
 * the number on its line but emphasis, whitespace, `/4` or `out of 4` and a trailing period.
 * Everything else is unparseable, with the reason: no label, the label twice (even with the same
 * number: the judge hesitated), no number, a number outside 0-4 or with decimals, another
 * denominator (`2/10`), a range (`3-4`) or more text after the number.
 */
export function parseScore(text: string): ParsedReply {
  const labels = [...text.matchAll(LABEL_PATTERN)];
  if (labels.length === 0) return { ok: false, reason: 'no "Score: N" line in the reply' };
  if (labels.length > 1) {
    return {
      ok: false,
      reason: `the reply has ${labels.length} "Score:" labels; exactly one is allowed`,
    };
  }
  const label = labels[0]!;
  const after = label.index + label[0].length;
  const value = VALUE_PATTERN.exec(text.slice(after));
  if (!value) return { ok: false, reason: 'no number after "Score:"' };
  const raw = value[1]!;
  const tail = value[2]!;
  if (!/^[0-4]$/.test(raw)) {
    return { ok: false, reason: `score ${JSON.stringify(raw)} is not an integer from 0 to 4` };
  }
  if (!TAIL_PATTERN.test(tail)) {
    return {
      ok: false,
      reason: `score ${raw} is followed by ${JSON.stringify(tail.trim())}; only "/4" or "out of 4" may follow it on its line (no other scale, range or text)`,
    };
  }
  return {
    ok: true,
    score: Number(raw),
    index: after + value[0].length - tail.length - raw.length,
  };
}

const REFUSAL_PATTERNS = [
  /\bI(?:'|’)?m sorry\b/i,
  /\bI am sorry\b/i,
  /\bI (?:can(?:no|'|’)t|cannot|am unable to|'m unable to|won(?:'|’)t) (?:help|assist|comply|provide|identify|compare|evaluate|analy[sz]e|do that)/i,
  /\b(?:cannot|can't|can’t|unable to) (?:identify|recognize) (?:people|persons|individuals|real people)/i,
];

/** Text that reads as a refusal. Only consulted when the reply holds no valid score. */
export function looksLikeRefusal(text: string): boolean {
  return REFUSAL_PATTERNS.some((pattern) => pattern.test(text));
}
