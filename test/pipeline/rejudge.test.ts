// Judging the baseline again: which samples (pure), the baseline as judged again, and how the
// comparison reads it.
import { describe, expect, it } from 'vitest';
import { fingerprintDiff } from '../../src/compare/index.ts';
import { parseConfig } from '../../src/config.ts';
import { comparisonView, type BaselineFound } from '../../src/pipeline/baseline.ts';
import { candidatesOf, rejudgedBaseline, type ThisRun } from '../../src/pipeline/rejudge-plan.ts';
import { scoredSamplesOf } from '../../src/results/parse.ts';
import { toScoredSamples } from '../../src/score/to-scored.ts';
import type { ResultsFile } from '../../src/results/schema.ts';
import type { SampleFailure } from '../../src/types.ts';
import { inputDefaults } from '../harness/action-yml.ts';
import { FINGERPRINT, results, stats, type SampleSpec } from '../results/fixtures.ts';

const config = parseConfig((name) => inputDefaults()[name] ?? '', '/ws');
const view = { runId: 1, runUrl: 'u', sha: 's' };
const OLD = { ...FINGERPRINT, judgeModel: 'gpt-4o-2024-08-06' };
const NEW = {
  ...FINGERPRINT,
  judgeModel: 'gpt-4o-2024-11-20',
  judgeServed: ['gpt-4o-2024-11-20'],
};

/** 10 reference images x 3 prompts, every score `cp`/`pf`. */
function specs(cp: number, pf: number): SampleSpec[] {
  return Array.from({ length: 30 }, (_, i) => ({
    concept: `object_${String(Math.floor(i / 3)).padStart(2, '0')}_x`,
    promptIndex: [0, 4, 7][i % 3]!,
    cp,
    pf,
  }));
}

/** A results file whose records carry the hash of their stored image. */
function withImages(r: ResultsFile): ResultsFile {
  return { ...r, records: r.records.map((x) => ({ ...x, imageSha256: `sha-${x.id}` })) };
}

/** This run's side: `failures` lose their records' scores (a refusal keeps its judgment). */
function thisRun(r: ResultsFile, failures: SampleFailure[] = []): ThisRun {
  const failed = new Map(failures.map((f) => [f.id, f]));
  const records = r.records.flatMap((x) => {
    const f = failed.get(x.id);
    if (!f) return [x];
    if (f.stage === 'generate') return [];
    const error = { kind: f.kind, reason: f.reason };
    const judgment = { ...x.cp.judgments[0], value: null, error } as never;
    const metric = (m: typeof x.cp) => ({ ...m, score: null, judgments: [judgment] });
    return [{ ...x, cp: metric(x.cp), pf: metric(x.pf), scored: false }];
  });
  return { samples: r.samples, records, failures, fingerprint: NEW };
}

describe('candidatesOf', () => {
  const base = withImages(results(specs(3, 3), { fingerprint: OLD }));
  const ids = base.samples.map((s) => s.id);

  it('takes every paired sample with its recorded image hash', () => {
    const c = candidatesOf(base, thisRun(results(specs(2, 2))));
    expect(c.candidates.map((x) => x.sample.id)).toEqual(ids);
    expect(c.candidates[0]!.imageSha256).toBe(`sha-${ids[0]}`);
    expect(c.leftOut).toEqual([]);
  });

  it("pays nothing for a sample this run lost to the judge's service, but counts the model's failures", () => {
    const failures: SampleFailure[] = [
      { id: ids[0]!, stage: 'budget', kind: 'budget', reason: 'max-cost-usd' },
      { id: ids[1]!, stage: 'judge', kind: 'rate-limit', reason: '429' },
      { id: ids[2]!, stage: 'generate', kind: 'missing', reason: 'no image' },
      { id: ids[3]!, stage: 'judge', kind: 'refused', reason: 'refused' },
    ];
    const c = candidatesOf(base, thisRun(results(specs(2, 2)), failures));
    const chosen = c.candidates.map((x) => x.sample.id);
    expect(chosen).not.toContain(ids[0]);
    expect(chosen).not.toContain(ids[1]);
    expect(chosen).toContain(ids[2]);
    expect(chosen).toContain(ids[3]);
  });

  it("keeps the baseline's own generation failures as they are, and leaves out a sample it kept no image of", () => {
    const failure: SampleFailure = { id: ids[0]!, stage: 'generate', kind: 'missing', reason: 'x' };
    const damaged = {
      ...base,
      failures: [failure],
      records: base.records.map((x, i) => (i === 1 ? { ...x, imageSha256: null } : x)),
    };
    const c = candidatesOf(damaged, thisRun(results(specs(2, 2))));
    expect(c.kept).toEqual([failure]);
    expect(c.leftOut).toEqual([`${ids[1]}: the baseline recorded no judge image`]);
    expect(c.candidates).toHaveLength(28);
  });

  it('never judges a baseline sample this run did not plan', () => {
    const mine = results(specs(2, 2).slice(0, 6));
    expect(candidatesOf(base, thisRun(mine)).candidates).toHaveLength(6);
  });
});

describe('the baseline judged again', () => {
  const base = withImages(results(specs(3, 3), { fingerprint: OLD }));
  const pr = results(specs(3, 3), { fingerprint: NEW });
  // The new judge scores the same images one CP point lower than the old one did.
  const again = results(specs(2, 3), { fingerprint: NEW });
  const judgedIds = base.samples.map((s) => s.id);

  function rejudged(served = ['gpt-4o-2024-11-20'], run = thisRun(pr)) {
    return rejudgedBaseline({
      baseline: base,
      run,
      differences: fingerprintDiff(OLD, run.fingerprint),
      judgedIds,
      leftOut: [],
      kept: [],
      result: {
        records: [...again.records],
        failures: [],
        pending: [],
        stats: stats({
          samples: 30,
          scored: 30,
          calls: 60,
          costUsd: 0.12,
          servedModels: Object.fromEntries(served.map((m) => [m, 60])),
        }),
      },
      judgedWith: run.fingerprint,
    });
  }

  it("compares as paired with this run's judge and keeps the first numbers beside the new ones", () => {
    const { results: r, view: rejudge } = rejudged();
    expect(r.fingerprint).toEqual(NEW);
    const found: BaselineFound = { results: r, dir: '/b', view, rejudged: rejudge };
    const v = comparisonView(config, found, { fingerprint: NEW, scored: scoredSamplesOf(pr) });
    if (v.kind !== 'compared') throw new Error(`expected a comparison, got ${v.kind}`);
    // Against the new judge's own view of the baseline, the PR's CP is one point (0.25) higher.
    expect(v.comparison.cp.delta).toBeCloseTo(0.25, 12);
    expect(v.rejudged?.before.overall.cp).toBeCloseTo(0.75, 12);
    expect(v.rejudged?.after.overall.cp).toBeCloseTo(0.5, 12);
    expect(v.baselineAggregate?.overall.cp).toBeCloseTo(0.5, 12);
    expect(rejudge).toMatchObject({ judged: 30, scored: 30, calls: 60, costUsd: 0.12 });
  });

  it("is refused, not paired, when the endpoint served it a snapshot this run's images never had", () => {
    const { results: r } = rejudged(['gpt-4o-2025-01-01']);
    expect(r.fingerprint.judgeServed).toEqual(['gpt-4o-2025-01-01']);
    const found: BaselineFound = { results: r, dir: '/b', view };
    const v = comparisonView(config, found, { fingerprint: NEW, scored: scoredSamplesOf(pr) });
    expect(v.kind).toBe('incompatible');
  });

  it('pairs with a run that judged nothing (its model wrote no image): no snapshot of its own to differ', () => {
    const missing = pr.samples.map((s) => ({
      id: s.id,
      stage: 'generate' as const,
      kind: 'missing',
      reason: 'no image',
    }));
    const none: ThisRun = { ...thisRun(pr, missing), fingerprint: { ...NEW, judgeServed: [] } };
    const { results: r, view: rejudge } = rejudged(['gpt-4o-2024-11-20'], none);
    expect(rejudge.served).toEqual(['gpt-4o-2024-11-20']);
    const found: BaselineFound = { results: r, dir: '/b', view, rejudged: rejudge };
    const scored = toScoredSamples(none.records, { samples: pr.samples, failures: missing });
    const v = comparisonView(config, found, { fingerprint: none.fingerprint, scored });
    if (v.kind !== 'compared') throw new Error(`expected a comparison, got ${v.kind}`);
    // Every image missing counts as the lowest score against the baseline as judged again.
    expect(v.comparison.verdict).toBe('regression');
    expect(v.comparison.pairing.paired).toBe(30);
  });

  it('without judging again, another judge is no comparison, and the reason is kept', () => {
    const found: BaselineFound = {
      results: base,
      dir: '/b',
      view,
      notRejudged: 'rejudge-baseline is false',
    };
    const v = comparisonView(config, found, { fingerprint: NEW, scored: scoredSamplesOf(pr) });
    expect(v).toMatchObject({ kind: 'incompatible', notRejudged: 'rejudge-baseline is false' });
    if (v.kind !== 'incompatible') throw new Error('not incompatible');
    expect(v.differences.map((d) => [d.field, d.class])).toEqual([
      ['judgeModel', 'rejudge'],
      ['judgeServed', 'rejudge'],
    ]);
  });

  it('a difference that is only noted does not stand in the way, and is shown', () => {
    const older = { ...FINGERPRINT, judgeOutputTokens: null };
    const found: BaselineFound = {
      results: results(specs(3, 3), { fingerprint: older }),
      dir: '/b',
      view,
    };
    const v = comparisonView(config, found, {
      fingerprint: FINGERPRINT,
      scored: scoredSamplesOf(results(specs(3, 3))),
    });
    if (v.kind !== 'compared') throw new Error(`expected a comparison, got ${v.kind}`);
    expect(v.noted?.map((d) => d.field)).toEqual(['judgeOutputTokens']);
  });
});
