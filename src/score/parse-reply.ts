// Reads the judge's reply (pure): the `Score: N` line, refusals, and the expected score from
// log-probabilities.

/**
 * `Score` then `:` then the number, case-insensitive. Markdown emphasis and code marks around the
 * label or the number are tolerated (`**Score:** 3`, `Score: **3**`, `` `Score: 3` ``), as is a
 * trailing `/4`. The number is captured with sign and decimals so that `-1`, `3.5` or `7` are
 * seen — and rejected — rather than misread as a valid digit.
 */
const SCORE_PATTERN = /(?<![A-Za-z])score[*_`\s]*[:：][*_`\s]*(-?\d+(?:\.\d+)?)/gi;

export type ParsedReply =
  | {
      readonly ok: true;
      readonly score: number;
      /** Offset of the digit in the text. */ readonly index: number;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * A reply scores only when every `Score: N` it holds names the same integer N in 0-4. Repeating
 * the same score (a model that restates its verdict) is accepted; two different scores, none, or
 * an out-of-range or fractional value is unparseable.
 */
export function parseScore(text: string): ParsedReply {
  const matches = [...text.matchAll(SCORE_PATTERN)];
  if (matches.length === 0) return { ok: false, reason: 'no "Score: N" line in the reply' };
  const values = new Set(matches.map((m) => m[1]));
  if (values.size > 1) {
    return { ok: false, reason: `the reply gives different scores: ${[...values].join(', ')}` };
  }
  const first = matches[0]!;
  const raw = first[1]!;
  if (!/^[0-4]$/.test(raw)) {
    return { ok: false, reason: `score ${JSON.stringify(raw)} is not an integer from 0 to 4` };
  }
  return { ok: true, score: Number(raw), index: first.index + first[0].length - raw.length };
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

/**
 * The probability-weighted mean over 0-4 of the score token: the token that covers the digit at
 * `digitIndex` of the reply text (the concatenated tokens). Alternatives that are not a single
 * digit 0-4 are ignored and the rest renormalised. `undefined` when the tokens do not line up
 * with the text, the token is not a bare digit, or no alternative is a digit.
 */
export function expectedScore(
  tokens: readonly TokenLogprob[],
  digitIndex: number,
): number | undefined {
  let offset = 0;
  for (const token of tokens) {
    const end = offset + token.token.length;
    if (digitIndex >= offset && digitIndex < end) {
      if (!/^[0-4]$/.test(token.token.trim())) return undefined;
      return weightedDigitMean(token.top_logprobs.length > 0 ? token.top_logprobs : [token]);
    }
    offset = end;
  }
  return undefined;
}

function weightedDigitMean(alternatives: readonly TopLogprob[]): number | undefined {
  const mass = new Map<number, number>();
  for (const alt of alternatives) {
    const digit = alt.token.trim();
    if (!/^[0-4]$/.test(digit) || !Number.isFinite(alt.logprob)) continue;
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
