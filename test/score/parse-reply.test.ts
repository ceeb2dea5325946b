import { describe, expect, it } from 'vitest';
import { expectedScore, looksLikeRefusal, parseScore } from '../../src/score/parse-reply.ts';

describe('parseScore', () => {
  it.each([
    ['Score: 3', 3],
    ['The colours match.\nScore: 4', 4],
    ['**Score:** 2', 2],
    ['Score: **1**', 1],
    ['score: 0', 0],
    ['SCORE:3', 3],
    ['`Score: 2`', 2],
    ['Score: 3/4', 3],
    ['Score: 3\n\nScore: 3', 3],
  ])('reads %j as %i', (text, score) => {
    expect(parseScore(text)).toMatchObject({ ok: true, score });
  });

  it.each([
    ['no score at all', /no "Score: N"/],
    ['Score: 2\nScore: 4', /different scores: 2, 4/],
    ['Score: 7', /"7" is not an integer from 0 to 4/],
    ['Score: 3.5', /"3.5"/],
    ['Score: -1', /"-1"/],
    ['I would score this a 3', /no "Score: N"/],
    ['Underscore: 3', /no "Score: N"/],
  ])('rejects %j', (text, reason) => {
    const parsed = parseScore(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('points at the digit so the score token can be found', () => {
    const text = 'Analysis here.\n**Score:** 3';
    const parsed = parseScore(text);
    expect(parsed.ok && text[parsed.index]).toBe('3');
  });
});

describe('looksLikeRefusal', () => {
  it.each([
    "I'm sorry, I can't help with that.",
    'I cannot identify people in images.',
    'Sorry — I am unable to compare these images.',
    'I’m sorry, but I can’t assist with that request.',
  ])('recognises %j', (text) => expect(looksLikeRefusal(text)).toBe(true));
  it('does not flag an ordinary analysis', () => {
    expect(looksLikeRefusal('The dog is missing its collar, which the prompt asked for.')).toBe(
      false,
    );
  });
});

describe('expectedScore', () => {
  const tok = (token: string, top: Array<[string, number]> = [[token, 1]]) => ({
    token,
    logprob: Math.log(top.find(([t]) => t === token)?.[1] ?? 1),
    top_logprobs: top.map(([t, p]) => ({ token: t, logprob: Math.log(p) })),
  });

  it('weights the digits 0-4 of the score token, renormalised over digits only', () => {
    const tokens = [
      tok('Score'),
      tok(':'),
      tok(' 3', [
        [' 3', 0.5],
        [' 4', 0.2],
        [' 2', 0.1],
        [' **', 0.2],
      ]),
    ];
    // (3*0.5 + 4*0.2 + 2*0.1) / 0.8 = 3.125
    expect(expectedScore(tokens, 'Score: 3'.indexOf('3'))).toBeCloseTo(3.125, 10);
  });

  it('ignores digits outside 0-4 and merges " 3" with "3"', () => {
    const tokens = [
      tok('Score:'),
      tok(' '),
      tok('3', [
        ['3', 0.4],
        [' 3', 0.2],
        ['7', 0.3],
        ['1', 0.1],
      ]),
    ];
    expect(expectedScore(tokens, 'Score: 3'.indexOf('3'))).toBeCloseTo(
      (3 * 0.6 + 1 * 0.1) / 0.7,
      10,
    );
  });

  it('gives up when the covering token is not a bare digit, or tokens do not reach the digit', () => {
    expect(expectedScore([tok('Score:'), tok(' 3.')], 7)).toBeUndefined();
    expect(expectedScore([tok('Score:')], 7)).toBeUndefined();
  });
});
