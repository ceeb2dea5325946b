// Reads the judge's reply (pure): the `Score: N` line, refusals, and the expected score from
// log-probabilities.

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

export interface TopLogprob {
  readonly token: string;
  readonly logprob: number;
}
export interface TokenLogprob {
  readonly token: string;
  readonly logprob: number;
  readonly top_logprobs: readonly TopLogprob[];
}

/** Ends with the `Score:` label and any emphasis or whitespace after it. */
const BEFORE_DIGIT = /(?<![A-Za-z])score[*_`\s]*[:：][*_`\s]*$/i;

/**
 * The probability-weighted mean over 0-4 of the score token: the token holding the digit at
 * `digitIndex` of `content`. Token offsets are trusted only when the tokens spell `content`
 * exactly; otherwise (byte tokens of a split emoji, `bytes:\xf0…`, shift every offset) the score
 * token is the digit token right after the tokens that end with `Score:`. Alternatives that are
 * not a single digit 0-4 are ignored and the rest renormalised. `undefined` — fall back to the
 * sampled score — when the log-probabilities are malformed, the token cannot be found or is not
 * the sampled digit, or no alternative is a digit.
 */
export function expectedScore(
  tokens: readonly TokenLogprob[],
  content: string,
  digitIndex: number,
): number | undefined {
  // The endpoint's JSON is not trusted to match the types: `top_logprobs: null`, missing tokens.
  if (!Array.isArray(tokens) || !tokens.every(isTokenShaped)) return undefined;
  const digit = content[digitIndex];
  if (digit === undefined || !/^[0-4]$/.test(digit)) return undefined;
  const token =
    tokens.map((t) => t.token).join('') === content
      ? tokenAtOffset(tokens, digitIndex)
      : tokenAfterLabel(tokens);
  if (!token || token.token.trim() !== digit || !Array.isArray(token.top_logprobs))
    return undefined;
  return weightedDigitMean(token.top_logprobs);
}

function isTokenShaped(value: unknown): value is TokenLogprob {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { token?: unknown }).token === 'string'
  );
}

function tokenAtOffset(tokens: readonly TokenLogprob[], index: number): TokenLogprob | undefined {
  let offset = 0;
  for (const token of tokens) {
    const end = offset + token.token.length;
    if (index >= offset && index < end) return token;
    offset = end;
  }
  return undefined;
}

/** The first bare-digit token whose preceding tokens end with `Score:` (and emphasis). */
function tokenAfterLabel(tokens: readonly TokenLogprob[]): TokenLogprob | undefined {
  let before = '';
  for (const token of tokens) {
    if (/^\s*\d$/.test(token.token) && BEFORE_DIGIT.test(before.slice(-64))) return token;
    before += token.token;
  }
  return undefined;
}

function weightedDigitMean(alternatives: readonly unknown[]): number | undefined {
  const mass = new Map<number, number>();
  for (const alt of alternatives) {
    if (!isTokenShaped(alt)) continue;
    const digit = alt.token.trim();
    if (!/^[0-4]$/.test(digit) || typeof alt.logprob !== 'number' || !Number.isFinite(alt.logprob))
      continue;
    // Tokens " 3" and "3" are the same score: add their probabilities.
    mass.set(Number(digit), (mass.get(Number(digit)) ?? 0) + Math.exp(alt.logprob));
  }
  let total = 0;
  let weighted = 0;
  for (const [digit, p] of mass) {
    total += p;
    weighted += digit * p;
  }
  return total > 0 ? weighted / total : undefined;
}
