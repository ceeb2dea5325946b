import { describe, expect, it } from 'vitest';
import { aggregate, compare, fingerprintDiff, GATE_METHOD } from '../../src/compare/index.ts';
import { buildResultsFile, resultsComparison } from '../../src/results/build.ts';
import { ResultsFormatError, ShardMergeError } from '../../src/results/errors.ts';
import { extendHistory } from '../../src/results/history.ts';
import { mergeShards } from '../../src/results/merge.ts';
import { parseResults, scoredSamplesOf } from '../../src/results/parse.ts';
import { FINGERPRINT, results, stats } from './fixtures.ts';
import type { ResultsFile } from '../../src/results/schema.ts';
import { validateBaseline } from '../../src/results/validate-baseline.ts';
import { WIDER_FIELDS } from '../../src/results/fingerprint-upgrade.ts';

/** 20 reference images x 3 prompts, scores 1-3. */
const SIXTY = Array.from({ length: 60 }, (_, i) => ({
  concept: `object_${String(Math.floor(i / 3)).padStart(2, '0')}_x`,
  promptIndex: [0, 4, 7][i % 3]!,
  cp: 1 + ((i * 7) % 3),
  pf: 1 + ((i * 5) % 3),
}));

const specs = [
  { concept: 'object_00_teapot', promptIndex: 0, cp: 3, pf: 4 },
  { concept: 'object_00_teapot', promptIndex: 5, cp: 2, pf: null },
  { concept: 'object_01_vase', promptIndex: 8, cp: 1, pf: 2 },
];

describe('parseResults', () => {
  it('reads back what it wrote and yields each metric with an outcome, CP and PF separately', () => {
    const r = parseResults(JSON.stringify(results(specs)), 'results.json');
    expect(scoredSamplesOf(r).map((s) => [s.id, s.cp, s.pf])).toEqual([
      ['object_00_teapot-p0', 3, 4],
      ['object_00_teapot-p5', 2, null],
      ['object_01_vase-p8', 1, 2],
    ]);
  });

  it('reads schema versions 1, 2 and 3 (an older baseline stays readable)', () => {
    for (const schemaVersion of [1, 2, 3])
      expect(
        parseResults(JSON.stringify({ ...results(specs), schemaVersion }), 'b').schemaVersion,
      ).toBe(schemaVersion);
  });

  it.each([
    ['{', /invalid JSON/],
    ['[]', /expected a JSON object/],
    [
      JSON.stringify({ ...results(specs), schemaVersion: 4 }),
      /schemaVersion 4 is not one this action reads \(1, 2, 3\)/,
    ],
    [JSON.stringify({ ...results(specs), records: undefined }), /"records" is missing/],
    [JSON.stringify({ ...results(specs), failures: {} }), /"failures" is not an array/],
  ])('refuses %s', (text, message) => {
    expect(() => parseResults(text, 'the baseline')).toThrow(ResultsFormatError);
    expect(() => parseResults(text, 'the baseline')).toThrow(message);
  });
});

describe('a version 1 or 2 results.json (before the wider fingerprint)', () => {
  /** What versions 1 and 2 wrote: eleven fingerprint fields, served snapshots in the statistics. */
  function older(schemaVersion = 1) {
    const r = results(specs);
    const narrow = Object.fromEntries(
      Object.entries(r.fingerprint).filter(([k]) => !WIDER_FIELDS.includes(k)),
    );
    const servedModels = { 'gpt-4o-2024-08-06': 5, 'gpt-4o-2024-11-20': 1 };
    return {
      ...r,
      schemaVersion,
      fingerprint: narrow,
      judge: { ...r.judge, stats: stats({ servedModels }) },
    };
  }

  it.each([1, 2])(
    'version %i is read with its fingerprint filled in as it judged, and null where it recorded nothing',
    (version) => {
      const r = parseResults(JSON.stringify(older(version)), 'the baseline');
      expect(r.fingerprint).toEqual({
        ...FINGERPRINT,
        judgeServed: ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20'],
        judgeEndpoint: null,
        judgeTemperature: 1,
        judgeOutputTokens: null,
        finalTurn: 'labelled',
        imagePreparation: { version: 1, fit: 'contain', quality: 90 },
      });
      expect(validateBaseline(r, 'the baseline')).toMatchObject({ ok: true });
    },
  );

  it('compares field by field with a version 3 one: what it did not record is only noted', () => {
    const r = parseResults(JSON.stringify(older()), 'the baseline');
    const now = { ...FINGERPRINT, judgeServed: ['gpt-4o-2024-08-06'] };
    expect(fingerprintDiff(r.fingerprint, now).map((d) => [d.field, d.class])).toEqual([
      ['judgeServed', 'rejudge'],
      ['judgeEndpoint', 'noted'],
      ['judgeOutputTokens', 'noted'],
    ]);
  });
});

describe('buildResultsFile', () => {
  /** The results of `r`'s samples and records, told only of `failures`. */
  const build = (r: ReturnType<typeof results>, failures: ResultsFile['failures']) =>
    buildResultsFile({
      version: '1.0.0',
      createdAt: '2026-11-26T00:00:00.000Z',
      run: r.run,
      fingerprint: FINGERPRINT,
      samples: r.samples,
      records: r.records,
      stats: stats(),
      failures,
      aggregate: aggregate(scoredSamplesOf(r), failures.length),
      history: [],
      comparison: { kind: 'none', reason: 'no baseline yet' },
    });

  it('lists a planned sample that ended neither scored nor failed instead of losing it', () => {
    const r = results(specs);
    const built = build(r, []); // the judge failure of -p5 was "forgotten"
    expect(built.failures).toEqual([
      expect.objectContaining({ id: 'object_00_teapot-p5', kind: 'unaccounted' }),
    ]);
    expect(built.summary).toMatchObject({ planned: 3, scored: 2, failed: 1, counted: 0 });
    // CP counts the sample whose PF has no outcome: per-metric accounting.
    expect(built.summary.cp).toBeCloseTo((3 + 2 + 1) / 3 / 4, 12);
    expect(built.summary.pf).toBeCloseTo((4 + 2) / 2 / 4, 12);
    expect(built.comparison).toEqual({ status: 'none', reason: 'no baseline yet' });
  });

  it('lists the failures in plan order, the lost one among them', () => {
    const planned = [
      { concept: 'object_00_teapot', promptIndex: 0, cp: null, pf: null }, // lost
      { concept: 'object_01_vase', promptIndex: 1, cp: null, pf: null }, // failed, and said so
      { concept: 'object_02_cup', promptIndex: 2, cp: 2, pf: 2 },
    ];
    const r = results(planned);
    const built = build(
      r,
      r.failures.filter((f) => f.id === 'object_01_vase-p1'),
    );
    expect(built.failures.map((f) => [f.id, f.kind])).toEqual([
      ['object_00_teapot-p0', 'unaccounted'],
      ['object_01_vase-p1', 'unparseable'],
    ]);
  });
});

describe('results.json carries the comparison', () => {
  const base = scoredSamplesOf(results(SIXTY));
  const pr = scoredSamplesOf(results(SIXTY.map((x) => ({ ...x, cp: Math.max(0, x.cp - 1) }))));
  const c = compare(base, pr, { confidence: 0.95, tolerance: 0.02, seed: 1, iterations: 50 });
  const baseline = { runId: 41, runUrl: 'https://x/41', sha: 'e'.repeat(40) };

  it('records verdict, deltas, the test intervals with their levels, p-values and the MDE', () => {
    const rec = resultsComparison({ kind: 'compared', baseline, comparison: c });
    if (rec.status !== 'compared') throw new Error(rec.status);
    expect(rec).toMatchObject({
      baseline: { runId: 41, sha: 'e'.repeat(40) },
      verdict: 'regression',
      confidence: 0.95,
      tolerance: { cp: 0.02, pf: 0.02 },
      method: GATE_METHOD,
      pairing: { paired: 60, pairedConcepts: 20, counted: { pr: { samples: 0 } } },
    });
    expect(rec.cp).toEqual({
      base: c.cp.base,
      pr: c.cp.pr,
      delta: c.cp.delta,
      interval: c.cp.ci,
      intervalConfidence: { lower: c.cp.lower.confidence, upper: c.cp.upper.confidence },
      se: c.cp.se,
      df: 19,
      samples: 60,
      concepts: 20,
      p: c.cp.p,
      pAdjusted: c.cp.pAdjusted,
      mde: c.cp.mde,
      tolerance: 0.02,
      verdict: 'regression',
    });
    expect(rec.cpPf.interval).toEqual(c.cpPf.ci);
    expect(JSON.parse(JSON.stringify(rec))).toEqual(rec); // plain JSON
  });

  it('says why there was none', () => {
    expect(resultsComparison({ kind: 'incompatible', baseline, differences: [] })).toEqual({
      status: 'incompatible',
      baseline: { runId: 41, sha: 'e'.repeat(40) },
      differences: [],
    });
  });
});

describe('extendHistory', () => {
  const point = (runId: number) => ({ runId, sha: 'x', createdAt: '', cp: 0.5, pf: 0.5 });
  it('appends newest last, replaces a re-run and keeps the last N', () => {
    expect(extendHistory([point(1), point(2)], point(3)).map((p) => p.runId)).toEqual([1, 2, 3]);
    expect(extendHistory([point(1), point(2)], point(1)).map((p) => p.runId)).toEqual([2, 1]);
    expect(extendHistory([point(1), point(2), point(3)], point(4), 2).map((p) => p.runId)).toEqual([
      3, 4,
    ]);
  });
});

describe('mergeShards', () => {
  const a = results([specs[0]!, specs[1]!], { shard: { index: 1, count: 2 }, costUsd: 0.25 });
  const b = results([specs[2]!], { shard: { index: 2, count: 2 }, costUsd: 0.5 });

  it('combines every slice, in shard order, with counters summed', () => {
    const merged = mergeShards([b, a], 'r-shard-');
    expect(merged.samples.map((s) => s.id)).toEqual([
      'object_00_teapot-p0',
      'object_00_teapot-p5',
      'object_01_vase-p8',
    ]);
    expect(merged.failures.map((f) => f.id)).toEqual(['object_00_teapot-p5']);
    expect(merged.stats.costUsd).toBeCloseTo(0.75, 12);
    expect(merged.stats.calls).toBe(6);
    expect(merged.stats.refusalsByCategory).toEqual({ animal: 0, human: 0, object: 0, style: 0 });
    expect(merged.stats.logprobsSupported).toBe(true);
  });

  it('joins the snapshots the judge served each shard, which may differ', () => {
    const served = (r: typeof a, judgeServed: string[]) => ({
      ...r,
      fingerprint: { ...r.fingerprint, judgeServed },
    });
    const merged = mergeShards(
      [served(a, ['gpt-4o-2024-11-20']), served(b, ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20'])],
      'r-shard-',
    );
    expect(merged.fingerprint.judgeServed).toEqual(['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20']);
  });

  it('sums the nested counters too', () => {
    const counted = (r: typeof a, n: number): typeof a => ({
      ...r,
      judge: {
        ...r.judge,
        stats: stats({
          tokens: { promptTokens: 100 * n, completionTokens: 10 * n, cachedTokens: n },
          scoringUsed: { expected: n, sampled: 2 * n },
          refusalsByCategory: { animal: 0, human: n, object: 0, style: 0 },
          servedModels: { 'gpt-4o-2024-08-06': 2 * n },
          logprobsSupported: n === 1,
        }),
      },
    });
    const merged = mergeShards([counted(a, 1), counted(b, 3)], 'r-shard-');
    expect(merged.stats.tokens).toEqual({
      promptTokens: 400,
      completionTokens: 40,
      cachedTokens: 4,
    });
    expect(merged.stats.scoringUsed).toEqual({ expected: 4, sampled: 8 });
    expect(merged.stats.refusalsByCategory).toEqual({ animal: 0, human: 4, object: 0, style: 0 });
    expect(merged.stats.servedModels).toEqual({ 'gpt-4o-2024-08-06': 8 });
    expect(merged.stats.logprobsSupported).toBe(false);
  });

  it.each([
    ['no shard at all', [], /found no "r-shard-<i>" artifacts/],
    ['a missing slice', [a], /shard\(s\) 2\/2 have no results/],
    ['a slice twice', [a, a, b], /shard 1 appears twice/],
    ['unsharded results', [results(specs)], /not a shard's/],
    [
      'another judge',
      [
        a,
        results([specs[2]!], {
          shard: { index: 2, count: 2 },
          fingerprint: { ...FINGERPRINT, judgeModel: 'x' },
        }),
      ],
      /measured something else than shard 1: judgeModel/,
    ],
    [
      'one sample in two slices',
      [a, results([specs[0]!], { shard: { index: 2, count: 2 } })],
      /in more than one shard/,
    ],
  ])('refuses %s', (_name, shards, message) => {
    expect(() => mergeShards(shards, 'r-shard-')).toThrow(ShardMergeError);
    expect(() => mergeShards(shards, 'r-shard-')).toThrow(message);
  });
});
