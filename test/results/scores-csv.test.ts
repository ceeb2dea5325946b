// scores.csv: per-sample scores keyed like upstream's released ratings.
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/compare/index.ts';
import { buildResultsFile } from '../../src/results/build.ts';
import { scoredSamplesOf } from '../../src/results/parse.ts';
import { scoresCsv } from '../../src/results/scores-csv.ts';
import { FINGERPRINT, results, stats } from './fixtures.ts';

const specs = [
  {
    concept: 'live_subject_animal_00_cotton_top_tamarin',
    category: 'animal' as const,
    promptIndex: 0,
    cp: 3,
    pf: 4,
  },
  {
    concept: 'live_subject_human_00_spider_man',
    category: 'human' as const,
    promptIndex: 5,
    cp: 2.87654,
    pf: null,
  },
  { concept: 'style_00_ukiyo_e', category: 'style' as const, promptIndex: 8, cp: null, pf: null },
];
const UPSTREAM: Record<string, string> = {
  'live_subject_animal_00_cotton_top_tamarin-p0': 'live_subject_animal_00_cotton-top_tamarin-0',
  'live_subject_human_00_spider_man-p5': 'live_subject_human_00_spider-man-5',
  'style_00_ukiyo_e-p8': 'style_00_ukiyo-e-8',
};

function built() {
  const r = results(specs);
  const samples = r.samples.map((s) => ({ ...s, upstreamKey: UPSTREAM[s.id]! }));
  return buildResultsFile({
    version: '1.0.0',
    createdAt: '2026-11-26T00:00:00.000Z',
    run: r.run,
    fingerprint: FINGERPRINT,
    samples,
    records: r.records,
    stats: stats(),
    failures: r.failures,
    aggregate: aggregate(scoredSamplesOf(r), r.failures.length),
    history: [],
    comparison: { kind: 'none', reason: 'no baseline yet' },
  });
}

describe('upstream keys', () => {
  it('go into every record of results.json, next to the id, with the names upstream gives', () => {
    const file = built();
    expect(file.records.map((r) => [r.id, r.upstreamKey])).toEqual(
      Object.entries(UPSTREAM).map(([id, key]) => [id, key]),
    );
    expect(Object.keys(file.records[0]!).slice(0, 2)).toEqual(['id', 'upstreamKey']);
    expect(file.samples.map((s) => s.upstreamKey)).toEqual(Object.values(UPSTREAM));
  });
});

describe('scoresCsv', () => {
  it('has one row per planned sample: upstream key, category, class, CP and PF on the 0-4 scale', () => {
    const file = built();
    expect(scoresCsv(file.samples, file.records).split('\r\n')).toEqual([
      'upstream_key,category,prompt_class,cp,pf',
      'live_subject_animal_00_cotton-top_tamarin-0,animal,photorealistic,3,4',
      // An unscored metric is an empty cell; expected scores keep 4 decimals.
      'live_subject_human_00_spider-man-5,human,style_transfer,2.8765,',
      'style_00_ukiyo-e-8,style,imaginative,,',
      '',
    ]);
  });

  it('quotes a field with a comma or a quote (RFC 4180), and falls back to our id without a key', () => {
    const csv = scoresCsv(
      [
        {
          id: 'a',
          upstreamKey: 'object_00_salt, pepper-1',
          category: 'object',
          promptClass: 'photorealistic',
        },
        { id: 'object_01_x-p2', category: 'object', promptClass: 'photorealistic' },
      ],
      [],
    );
    expect(csv.split('\r\n').slice(1, 3)).toEqual([
      '"object_00_salt, pepper-1",object,photorealistic,,',
      'object_01_x-p2,object,photorealistic,,',
    ]);
  });
});
