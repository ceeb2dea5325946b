// From judge records to outcomes: CP and PF accounted separately, the model's failures scored as
// the lowest score, the judge service's left out; old baselines read the same way.
import { describe, expect, it } from 'vitest';
import { scoredSamplesOf } from '../../src/results/parse.ts';
import { isModelOwned, MODEL_OWNED_FAILURES, toScoredSamples } from '../../src/score/to-scored.ts';
import { results } from '../results/fixtures.ts';
import { judged } from './judgments.ts';

describe('toScoredSamples: per-metric accounting (today both metrics were dropped)', () => {
  it('counts a sample with a CP score and unparseable PF replies in CP', () => {
    const [s] = toScoredSamples([judged(0, [3], ['unparseable'])]);
    expect(s).toMatchObject({ id: 'object_01_mug-p0', cp: 3, pf: null });
    expect(s!.failedAs).toBeUndefined();
  });

  it('leaves out a sample with no outcome at all', () => {
    expect(toScoredSamples([judged(0, ['timeout'], ['rate-limit'])])).toEqual([]);
  });
});

describe('toScoredSamples: the model’s failures are outcomes', () => {
  it('scores a refused metric 0, and a refused repeat 0 in the mean', () => {
    const [a, b] = toScoredSamples([
      judged(0, ['refused'], [4]),
      judged(1, [4, 'refused', 2], [3]),
    ]);
    expect(a).toMatchObject({ cp: 0, pf: 4, failedAs: { cp: 'refused' } });
    expect(b).toMatchObject({ cp: 2, pf: 3, failedAs: { cp: 'refused' } });
  });

  it('leaves out a metric where a repeat failed on the service side, even beside a refusal', () => {
    const [s] = toScoredSamples([judged(0, ['refused', 'timeout'], [2])]);
    expect(s).toMatchObject({ cp: null, pf: 2 });
  });

  it('scores an image that failed generation 0 on both metrics, in plan order', () => {
    const samples = [0, 4, 7].map((i) => ({
      id: `object_01_mug-p${i}`,
      concept: 'object_01_mug',
      category: 'object' as const,
      promptClass: 'photorealistic' as const,
    }));
    const out = toScoredSamples([judged(7, [2], [3]), judged(0, [1], [1])], {
      samples,
      failures: [{ id: 'object_01_mug-p4', stage: 'generate', kind: 'corrupt', reason: 'bad' }],
    });
    expect(out.map((s) => [s.id, s.cp, s.pf, s.failedAs?.cp])).toEqual([
      ['object_01_mug-p0', 1, 1, undefined],
      ['object_01_mug-p4', 0, 0, 'corrupt'],
      ['object_01_mug-p7', 2, 3, undefined],
    ]);
  });

  it('lists the model-owned kinds in one place and treats anything else as the service’s', () => {
    expect(MODEL_OWNED_FAILURES.generate).toEqual(
      expect.arrayContaining(['missing', 'unreadable', 'corrupt', 'empty', 'unsupported-format']),
    );
    expect(isModelOwned('judge', 'refused')).toBe(true);
    for (const kind of [
      'unparseable',
      'timeout',
      'rate-limit',
      'server',
      'budget',
      'image',
      'made-up',
    ])
      expect(isModelOwned('judge', kind)).toBe(false);
    expect(isModelOwned('budget', 'budget')).toBe(false);
    expect(isModelOwned('generate', 'made-up')).toBe(false);
  });
});

describe('toScoredSamples: a damaged baseline', () => {
  it('gives no outcome for a judgment value that is not a score 0-4', () => {
    const r = judged(0, [3], [2]);
    const bad = {
      ...r,
      cp: { ...r.cp, score: null, judgments: [{ ...r.cp.judgments[0]!, value: 7 }] },
    };
    expect(toScoredSamples([bad])).toMatchObject([{ cp: null, pf: 2 }]);
  });

  it('places a sample by its record, skips a planned entry it cannot place, keeps unlisted records', () => {
    const listed = judged(0, [3], [3]);
    const unlisted = judged(4, [1], [1]);
    const out = toScoredSamples([listed, unlisted], {
      samples: [
        { ...listed, category: 'object', promptClass: 'photorealistic' },
        { id: 'x-p1', concept: 'x', category: 'plant' as never, promptClass: 'photorealistic' },
      ],
      failures: [{ id: 'x-p1', stage: 'generate', kind: 'corrupt', reason: 'bad' }],
    });
    expect(out.map((x) => x.id)).toEqual([listed.id, unlisted.id]);
  });
});

describe('scoredSamplesOf: an older baseline reads the same way', () => {
  it('scores the schema-1 baseline’s listed generation failures 0', () => {
    const file = results([
      { concept: 'object_01_mug', promptIndex: 0, cp: 3, pf: 4 },
      { concept: 'object_01_mug', promptIndex: 4, cp: null, pf: null },
    ]);
    const v1 = {
      ...file,
      schemaVersion: 1,
      failures: [
        { id: 'object_01_mug-p4', stage: 'generate' as const, kind: 'missing', reason: 'x' },
      ],
    };
    expect(scoredSamplesOf(v1).map((s) => [s.id, s.cp, s.pf, s.failedAs])).toEqual([
      ['object_01_mug-p0', 3, 4, undefined],
      ['object_01_mug-p4', 0, 0, { cp: 'missing', pf: 'missing' }],
    ]);
  });
});
