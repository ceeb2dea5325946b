import { describe, expect, it } from 'vitest';
import { aggregate, InvalidOptionError, InvalidSampleError } from '../../src/compare/index.ts';
import type { ScoredSample } from '../../src/types.ts';

const s = (
  id: string,
  concept: string,
  category: ScoredSample['category'],
  promptClass: ScoredSample['promptClass'],
  cp: number,
  pf: number,
): ScoredSample => ({ id, concept, category, promptClass, cp, pf });

const SAMPLES = [
  s('A-p0', 'A', 'animal', 'photorealistic', 4, 3),
  s('A-p4', 'A', 'animal', 'style_transfer', 2, 4),
  s('H-p7', 'H', 'human', 'imaginative', 0, 2),
  s('O-p1', 'O', 'object', 'photorealistic', 3, 3),
];

describe('aggregate', () => {
  it('reports mean score / 4 with counts, overall and per group', () => {
    const a = aggregate(SAMPLES, 2);
    expect(a.scored).toBe(4);
    expect(a.failed).toBe(2);
    expect(a.overall).toEqual({
      samples: 4,
      concepts: 3,
      cp: 9 / 16,
      pf: 12 / 16,
      cpPf: (9 / 16) * (12 / 16),
    });
    expect(a.byCategory.animal).toEqual({
      samples: 2,
      concepts: 1,
      cp: 0.75,
      pf: 0.875,
      cpPf: 0.75 * 0.875,
    });
    expect(a.byCategory.human).toMatchObject({ samples: 1, cp: 0, pf: 0.5, cpPf: 0 });
    expect(a.byCategory.style).toEqual({ samples: 0, concepts: 0, cp: null, pf: null, cpPf: null });
    expect(a.byClass.photorealistic).toEqual({
      samples: 2,
      concepts: 2,
      cp: 7 / 8,
      pf: 6 / 8,
      cpPf: (7 / 8) * (6 / 8),
    });
    expect(a.byClass.style_transfer).toMatchObject({ samples: 1, cp: 0.5, pf: 1 });
  });

  it('accepts fractional scores from expected-value scoring', () => {
    const a = aggregate([s('A-p0', 'A', 'animal', 'photorealistic', 2.5, 3.25)], 0);
    expect(a.overall.cp).toBeCloseTo(0.625, 12);
    expect(a.overall.pf).toBeCloseTo(0.8125, 12);
  });

  it.each([
    [{ cp: 5 }, /"A-p0".*cp is 5.*0 to 4/],
    [{ pf: -1 }, /pf is -1/],
    [{ cp: NaN }, /cp is NaN/],
    [{ category: 'plant' }, /category is "plant"/],
    [{ promptClass: 'weird' }, /promptClass is "weird"/],
  ])('refuses a sample with %o', (patch, message) => {
    const bad = { ...SAMPLES[0]!, ...patch } as ScoredSample;
    expect(() => aggregate([bad], 0)).toThrow(InvalidSampleError);
    expect(() => aggregate([bad], 0)).toThrow(message);
  });

  it('averages each metric over the samples with its outcome, and counts failures scored 0', () => {
    const samples: ScoredSample[] = [
      s('A-p0', 'A', 'animal', 'photorealistic', 4, 2),
      { ...s('A-p4', 'A', 'animal', 'style_transfer', 2, 0), pf: null }, // PF: judge service failed
      {
        ...s('B-p0', 'B', 'object', 'photorealistic', 0, 0),
        failedAs: { cp: 'corrupt', pf: 'corrupt' },
      },
    ];
    const a = aggregate(samples, 1);
    expect(a.overall.cp).toBeCloseTo((4 + 2 + 0) / 12, 12);
    expect(a.overall.pf).toBeCloseTo((2 + 0) / 8, 12);
    expect(a.overall.cpPf).toBeCloseTo((6 / 12) * (2 / 8), 12);
    expect([a.scored, a.counted, a.failed, a.overall.samples]).toEqual([3, 1, 1, 3]);
  });

  it('refuses a failure kind on a metric without an outcome', () => {
    const bad = {
      ...s('A-p0', 'A', 'animal', 'photorealistic', 0, 0),
      pf: null,
      failedAs: { pf: 'x' },
    };
    expect(() => aggregate([bad], 0)).toThrow(/failedAs.pf is "x"/);
  });

  it('refuses duplicate ids and a concept filed under two categories', () => {
    expect(() => aggregate([SAMPLES[0]!, SAMPLES[0]!], 0)).toThrow(/unique ids/);
    const moved = s('A-p1', 'A', 'object', 'photorealistic', 1, 1);
    expect(() => aggregate([SAMPLES[0]!, moved], 0)).toThrow(
      /animal \(as other samples of concept A\)/,
    );
  });

  it('refuses a failure count that is not a count', () => {
    expect(() => aggregate(SAMPLES, -1)).toThrow(InvalidOptionError);
    expect(() => aggregate(SAMPLES, 1.5)).toThrow(/option failed is 1.5/);
  });
});
