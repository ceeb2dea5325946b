import { describe, expect, it } from 'vitest';
import { absoluteReport, aggregate, fingerprintDiff } from '../../src/compare/index.ts';
import type { Fingerprint, ScoredSample } from '../../src/types.ts';
import { FINGERPRINT } from '../report/fixtures.ts';

const samples: ScoredSample[] = Array.from({ length: 24 }, (_, k) => ({
  id: `c${k % 8}-p${k}`,
  concept: `c${k % 8}`,
  category: (['animal', 'human', 'object', 'style'] as const)[k % 4]!,
  promptClass: (['photorealistic', 'style_transfer', 'imaginative'] as const)[k % 3]!,
  cp: (k * 7) % 5,
  pf: 1 + ((k * 3) % 4),
}));

describe('absoluteReport', () => {
  const opts = { confidence: 0.9, seed: 3, iterations: 400 };
  const r = absoluteReport(samples, 1, opts);

  it('is the aggregate plus intervals around it, with verdict no-baseline', () => {
    expect(r.verdict).toBe('no-baseline');
    expect(r.aggregate).toEqual(aggregate(samples, 1));
    const { cp, pf, cpPf } = r.aggregate.overall;
    expect(r.intervals.overall.cp![0]).toBeLessThan(cp!);
    expect(r.intervals.overall.cp![1]).toBeGreaterThan(cp!);
    expect(r.intervals.overall.pf![0]).toBeLessThan(pf!);
    expect(r.intervals.overall.cpPf![1]).toBeGreaterThan(cpPf!);
    expect(r.intervals.byClass.photorealistic.cp).not.toBeNull();
    // Animal is 2 of 8 images: 7 draws miss both in (6/8)^7 = 13% of replicates, too often.
    expect(r.intervals.byCategory.animal.cp).toBeNull();
    expect(absoluteReport(samples, 1, opts)).toEqual(r);
  });

  it('widens its intervals with the confidence asked for', () => {
    const width = (confidence: number) => {
      const [lo, hi] = absoluteReport(samples, 1, { ...opts, confidence }).intervals.overall.cp!;
      return hi - lo;
    };
    expect(width(0.99)).toBeGreaterThan(width(0.9));
    expect(width(0.9)).toBeGreaterThan(width(0.5));
  });

  it('has no intervals with a single reference image', () => {
    const one = samples.filter((x) => x.concept === 'c0');
    expect(absoluteReport(one, 0, opts).intervals.overall).toEqual({
      cp: null,
      pf: null,
      cpPf: null,
    });
  });
});

const FP: Fingerprint = {
  ...FINGERPRINT,
  datasetSha256: 'aa',
  categories: ['animal', 'style'],
  templatesSha256: 'bb',
};

describe('fingerprintDiff', () => {
  it('is empty for equal fingerprints, and category order does not matter', () => {
    expect(fingerprintDiff(FP, { ...FP })).toEqual([]);
    expect(fingerprintDiff(FP, { ...FP, categories: ['style', 'animal'] })).toEqual([]);
  });

  it('lists every differing field with both values and its class', () => {
    const pr: Fingerprint = {
      dataset: 'dreambench',
      datasetRevision: 'v2',
      datasetSha256: 'cc',
      sampleSeed: 1,
      samples: 'all',
      categories: ['animal'],
      judgeModel: 'gpt-4o-mini',
      judgeScoring: 'sampled',
      judgeRepeats: 3,
      templatesSha256: 'dd',
      imageSize: 768,
      judgeServed: ['gpt-4o-mini-2024-07-18'],
      judgeEndpoint: 'azure',
      judgeTemperature: 0,
      judgeOutputTokens: { cp: 1000, pf: 1000 },
      finalTurn: 'upstream',
      imagePreparation: { version: 2, fit: 'cover', quality: 95 },
    };
    const diff = fingerprintDiff(FP, pr);
    expect(new Set(diff.map((d) => d.field))).toEqual(new Set(Object.keys(FP)));
    expect(diff).toContainEqual({ field: 'samples', base: 150, pr: 'all', class: 'refused' });
    expect(diff).toContainEqual({
      field: 'categories',
      base: ['animal', 'style'],
      pr: ['animal'],
      class: 'refused',
    });
    expect(fingerprintDiff(FP, { ...FP, judgeRepeats: 3 })).toEqual([
      { field: 'judgeRepeats', base: 1, pr: 3, class: 'rejudge' },
    ]);
    const classes = Object.fromEntries(diff.map((d) => [d.field, d.class]));
    expect(classes).toEqual({
      dataset: 'refused',
      datasetRevision: 'refused',
      datasetSha256: 'refused',
      sampleSeed: 'refused',
      samples: 'refused',
      categories: 'refused',
      judgeModel: 'rejudge',
      judgeServed: 'rejudge',
      judgeEndpoint: 'rejudge',
      judgeScoring: 'rejudge',
      judgeRepeats: 'rejudge',
      judgeTemperature: 'rejudge',
      judgeOutputTokens: 'noted',
      templatesSha256: 'rejudge',
      finalTurn: 'rejudge',
      // Larger than the baseline's stored images: they cannot be enlarged honestly.
      imageSize: 'refused',
      imagePreparation: 'refused',
    });
  });

  it("judges a larger baseline again at this run's smaller size, never a smaller one at a larger size", () => {
    expect(fingerprintDiff({ ...FP, imageSize: 768 }, FP)).toEqual([
      { field: 'imageSize', base: 768, pr: 512, class: 'rejudge' },
    ]);
    expect(fingerprintDiff(FP, { ...FP, imageSize: 768 })[0]!.class).toBe('refused');
  });

  it('treats another served snapshot as a judge change though the requested alias is the same', () => {
    const pr = { ...FP, judgeModel: 'gpt-4o', judgeServed: ['gpt-4o-2024-11-20'] };
    expect(fingerprintDiff({ ...FP, judgeModel: 'gpt-4o' }, pr)).toEqual([
      {
        field: 'judgeServed',
        base: ['gpt-4o-2024-08-06'],
        pr: ['gpt-4o-2024-11-20'],
        class: 'rejudge',
      },
    ]);
  });

  it('only notes what an older baseline did not record, and the output-token limits', () => {
    const older = { ...FP, judgeEndpoint: null, judgeOutputTokens: null };
    expect(fingerprintDiff(older, FP).map((d) => [d.field, d.class])).toEqual([
      ['judgeEndpoint', 'noted'],
      ['judgeOutputTokens', 'noted'],
    ]);
  });
});
