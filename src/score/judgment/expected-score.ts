// The expected score (pure): the probability-weighted mean over 0-4 of the score token, from
// the reply's log-probabilities.
import type { TokenLogprob } from '../transport/judge-transport.ts';

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
