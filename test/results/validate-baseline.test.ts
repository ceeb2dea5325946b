// A baseline's results.json, checked entry by entry before anything reads it.
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/results/schema.ts';
import { validateBaseline } from '../../src/results/validate-baseline.ts';
import { FINGERPRINT, results, type SampleSpec } from './fixtures.ts';

const specs: SampleSpec[] = Array.from({ length: 6 }, (_, i) => ({
  concept: `object_0${Math.floor(i / 2)}_x`,
  promptIndex: i % 2 === 0 ? 0 : 4,
  cp: 2,
  pf: 3,
}));
const HISTORY = [
  { runId: 1, sha: 'a'.repeat(40), createdAt: '2026-11-01T00:00:00Z', cp: 0.5, pf: 0.7 },
];

/** A results file as JSON would bring it back, damaged by `damage`. */
function damaged(damage: (r: any) => void): ResultsFile {
  const r = JSON.parse(JSON.stringify({ ...results(specs), history: HISTORY }));
  damage(r);
  return r as ResultsFile;
}

const check = (r: ResultsFile) => validateBaseline(r, 'the baseline');
const LEFT_NOTHING = { count: 0, examples: [] };

/** Records, failures and history points; a history that is no list is one entry. */
function entries(r: ResultsFile): number {
  const history = Array.isArray(r.history) ? r.history.length : 1;
  return r.records.length + r.failures.length + history;
}

describe('validateBaseline', () => {
  it('keeps a well-formed baseline whole', () => {
    const r = damaged(() => undefined);
    expect(check(r)).toEqual({ ok: true, results: r, leftOut: { count: 0, examples: [] } });
  });

  it.each([
    ['a null record', (r: any) => (r.records[0] = null), 1, 'record 0 is null'],
    [
      'a score of 400',
      (r: any) => (r.records[1].cp.score = 400),
      1,
      'record 1 (object_00_x-p4): cp.score is 400',
    ],
    [
      'a NaN-like score',
      (r: any) => (r.records[1].pf.score = '3'),
      1,
      'record 1 (object_00_x-p4): pf.score is "3"',
    ],
    [
      'an unknown category',
      (r: any) => (r.records[2].category = 'plant'),
      1,
      'record 2 (object_01_x-p0): category is "plant"',
    ],
    [
      'judgments that are no list',
      (r: any) => (r.records[3].cp.judgments = 'x'),
      1,
      'record 3 (object_01_x-p4): cp.judgments is "x"',
    ],
    [
      'a duplicate id',
      (r: any) => r.records.push(structuredClone(r.records[4])),
      2,
      'record object_02_x-p0: the id appears 2 times',
    ],
    [
      'a concept under two categories',
      (r: any) => (r.records[5].category = 'style'),
      2,
      'record object_02_x-p0: concept object_02_x is under object and style',
    ],
    [
      'a failure without id',
      (r: any) => r.failures.push({ stage: 'judge', kind: 'x', reason: 'y' }),
      1,
      'failure 0: id is missing',
    ],
    [
      'a numeric sha in history',
      (r: any) => (r.history[0].sha = 1234567),
      1,
      'history point 0: sha is 1234567',
    ],
    ['history: {}', (r: any) => (r.history = {}), 1, 'history is {}, not a list'],
    [
      'a history point of 1.5',
      (r: any) => (r.history[0].cp = 1.5),
      1,
      'history point 0: cp is 1.5',
    ],
  ])('leaves out %s and counts it', (_, damage, count, first) => {
    const input = damaged(damage);
    const c = check(input);
    if (!c.ok) throw new Error(c.reason);
    expect(c.leftOut).toEqual({ count, examples: expect.arrayContaining([first]) });
    expect(c.leftOut.examples[0]).toBe(first);
    // What was counted is what is gone: every entry is kept or left out, and what is kept is sound.
    expect(entries(c.results) + c.leftOut.count).toBe(entries(input));
    expect(check(c.results)).toEqual({ ok: true, results: c.results, leftOut: LEFT_NOTHING });
    expect(Array.isArray(c.results.history)).toBe(true);
  });

  it('names at most three examples however many were left out', () => {
    const c = check(damaged((r) => (r.records = r.records.map(() => null))));
    if (!c.ok) throw new Error(c.reason);
    expect(c.leftOut.count).toBe(6);
    expect(c.leftOut.examples).toEqual([
      'record 0 is null',
      'record 1 is null',
      'record 2 is null',
    ]);
    expect(c.results.records).toEqual([]);
  });

  it.each([
    [
      'fingerprint: null',
      (r: any) => (r.fingerprint = null),
      'its fingerprint is null, not an object',
    ],
    [
      'a fingerprint seed of "0"',
      (r: any) => (r.fingerprint.sampleSeed = '0'),
      'its fingerprint sampleSeed is "0"',
    ],
    [
      'a fingerprint without a judge',
      (r: any) => delete r.fingerprint.judgeModel,
      'its fingerprint judgeModel is missing',
    ],
    [
      'a final turn of its own',
      (r: any) => (r.fingerprint.finalTurn = 'chatty'),
      'its fingerprint finalTurn is "chatty"',
    ],
    [
      'served snapshots that are no list of names',
      (r: any) => (r.fingerprint.judgeServed = 'gpt-4o'),
      'its fingerprint judgeServed is "gpt-4o"',
    ],
    [
      'an image preparation without a version',
      (r: any) => (r.fingerprint.imagePreparation = { fit: 'contain', quality: 90 }),
      'its fingerprint imagePreparation is {"fit":"contain","quality":90}',
    ],
  ])('refuses the whole baseline for %s', (_, damage, reason) => {
    expect(check(damaged(damage))).toEqual({
      ok: false,
      reason: `the baseline is not usable: ${reason}`,
    });
  });

  it('accepts the fingerprint the results fixtures write', () => {
    expect(check(results(specs, { fingerprint: FINGERPRINT })).ok).toBe(true);
  });
});
