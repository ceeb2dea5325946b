import { describe, expect, it } from 'vitest';
import { expectedScore } from '../../src/score/judgment/expected-score.ts';
import { interpret } from '../../src/score/judgment/interpret.ts';
import { looksLikeRefusal, parseScore } from '../../src/score/judgment/parse-reply.ts';
import type { JudgeReply } from '../../src/score/transport/judge-transport.ts';

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
    ['Score: 3 / 4.', 3],
    ['Score: 2 out of 4', 2],
    ['**Score: 4/4**', 4],
    ['Score: 1.', 1],
    ['Analysis.\nScore: 3  \nThanks for the images.', 3],
  ])('reads %j as %i', (text, score) => {
    expect(parseScore(text)).toMatchObject({ ok: true, score });
  });

  it.each([
    ['no score at all', /no "Score: N"/],
    ['Score: 2\nScore: 4', /2 "Score:" labels; exactly one/],
    ['Score: 3\n\nScore: 3', /2 "Score:" labels; exactly one/],
    ['Score: 7', /"7" is not an integer from 0 to 4/],
    ['Score: 3.5', /"3.5" is not an integer/],
    ['Score: 3,5', /"3,5" is not an integer/],
    ['Score: -1', /"-1"/],
    ['Score: 2/10', /followed by "\/10"; only "\/4" or "out of 4"/],
    ['Score: 4/5', /followed by "\/5"/],
    ['Score: 3-4', /followed by "-4"/],
    ['Score: 3 out of 10', /followed by "out of 10"/],
    ['Score: 3 because the dog matches', /followed by "because the dog matches"/],
    ['Score: three', /no number after "Score:"/],
    ['I would score this a 3', /no "Score: N"/],
    ['Underscore: 3', /no "Score: N"/],
  ])('rejects %j', (text, reason) => {
    const parsed = parseScore(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('points at the digit so the score token can be found', () => {
    for (const text of ['Analysis here.\n**Score:** 3', 'Score: **3**/4.', '`Score: 3 out of 4`']) {
      const parsed = parseScore(text);
      expect(parsed.ok && text[parsed.index]).toBe('3');
    }
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
  const at = (text: string) => {
    const parsed = parseScore(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.index;
  };

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
    expect(expectedScore(tokens, 'Score: 3', at('Score: 3'))).toBeCloseTo(3.125, 10);
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
    expect(expectedScore(tokens, 'Score: 3', at('Score: 3'))).toBeCloseTo(
      (3 * 0.6 + 1 * 0.1) / 0.7,
      10,
    );
  });

  it('gives up when the covering token is not a bare digit, or tokens do not reach the digit', () => {
    expect(expectedScore([tok('Score:'), tok(' 3.')], 'Score: 3.', 7)).toBeUndefined();
    expect(expectedScore([tok('Score:')], 'Score: 3', 7)).toBeUndefined();
  });

  it('finds the score token after an emoji split into byte tokens, where offsets shift', () => {
    // OpenAI returns partial UTF-8 as `bytes:\xNN` token strings: the tokens no longer spell the text.
    const content = 'Cute 🐶 in the snow.\nScore: 3';
    const tokens = [
      tok('Cute'),
      tok(' '),
      tok('bytes:\\xf0\\x9f'),
      tok('bytes:\\x90\\xb6'),
      tok(' in'),
      tok(' the'),
      tok(' snow'),
      tok('.\n'),
      tok('Score'),
      tok(':'),
      tok(' 3', [
        [' 3', 0.5],
        [' 2', 0.5],
      ]),
    ];
    expect(tokens.map((t) => t.token).join('')).not.toBe(content);
    expect(expectedScore(tokens, content, at(content))).toBeCloseTo(2.5, 10);
  });

  it('scans past emphasis tokens between the label and the digit', () => {
    const content = '🐶 ok\n**Score:** 4';
    const tokens = [
      tok('bytes:\\xf0\\x9f\\x90'),
      tok('bytes:\\xb6'),
      tok(' ok'),
      tok('\n'),
      tok('**'),
      tok('Score'),
      tok(':**'),
      tok(' '),
      tok('4', [
        ['4', 0.75],
        ['3', 0.25],
      ]),
    ];
    expect(expectedScore(tokens, content, at(content))).toBeCloseTo(3.75, 10);
  });

  it('falls back (undefined) on malformed log-probabilities instead of throwing', () => {
    const content = 'Score: 3';
    const index = at(content);
    const nullTop = [tok('Score'), tok(':'), { token: ' 3', logprob: 0, top_logprobs: null }];
    const noToken = [tok('Score'), { logprob: 0, top_logprobs: [] }, tok(' 3')];
    const badAlternatives = [
      tok('Score'),
      tok(':'),
      {
        token: ' 3',
        logprob: 0,
        top_logprobs: [null, { logprob: -1 }, { token: ' 3', logprob: 'x' }],
      },
    ];
    for (const tokens of [nullTop, noToken, badAlternatives, null, { content: [] }]) {
      expect(expectedScore(tokens as never, content, index)).toBeUndefined();
    }
  });

  it('does not take a digit token that is not the sampled score', () => {
    const tokens = [tok('Score'), tok(':'), tok(' 2', [[' 2', 1]])];
    // Tokens spelling another text: the scan finds " 2" but the reply says 3.
    expect(expectedScore(tokens, 'x Score: 3', at('x Score: 3'))).toBeUndefined();
  });
});

describe('interpret', () => {
  const reply = (logprobs: unknown): JudgeReply => ({
    content: 'Looks right.\nScore: 3',
    refusal: null,
    finishReason: 'stop',
    logprobs: logprobs as JudgeReply['logprobs'],
    model: 'gpt-4o',
    systemFingerprint: null,
    usage: null,
  });
  it('keeps the sampled score when the log-probabilities are malformed', () => {
    for (const logprobs of [
      [{ token: 'Looks right.\nScore: 3', logprob: 0, top_logprobs: null }],
      [{ logprob: 0 }],
      [null],
    ]) {
      expect(interpret(reply(logprobs))).toEqual({ ok: true, sampled: 3, expected: null });
    }
  });
});
