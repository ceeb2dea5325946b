// What a measured run amounts to (assess) when samples failed: the model's failures count as the
// lowest score on the side where they happened, the judge service's are left out, and too many of
// those fail the run's health.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { assess, type Measured } from '../../src/pipeline/assess.ts';
import type { BaselineFound } from '../../src/pipeline/baseline.ts';
import { healthFailure } from '../../src/pipeline/outputs.ts';
import type { RunInfo } from '../../src/results/schema.ts';
import type { SampleFailure } from '../../src/types.ts';
import { inputDefaults } from '../harness/action-yml.ts';
import { FINGERPRINT, results, stats, type SampleSpec } from '../results/fixtures.ts';
import { judgment } from '../score/judgments.ts';

const config = parseConfig((name) => inputDefaults()[name] ?? '', '/ws');
const run: RunInfo = {
  repository: 'octo-org/octo-repo',
  runId: 2,
  runAttempt: 1,
  workflow: 'DreamBench',
  eventName: 'pull_request',
  ref: 'refs/pull/7/merge',
  sha: 'd'.repeat(40),
  prNumber: 7,
  url: 'https://github.com/octo-org/octo-repo/actions/runs/2',
  mode: 'check',
  shard: null,
};

/** 10 reference images x 3 prompts, scores 1-4 in a fixed pattern. */
const SPECS: SampleSpec[] = Array.from({ length: 30 }, (_, i) => ({
  concept: `object_${String(Math.floor(i / 3)).padStart(2, '0')}_x`,
  promptIndex: [0, 4, 7][i % 3]!,
  cp: 1 + ((i * 7) % 4),
  pf: 1 + ((i * 5) % 4),
}));
const BASELINE: BaselineFound = {
  results: results(SPECS),
  dir: '/b',
  view: {
    runId: 1,
    runUrl: 'https://github.com/octo-org/octo-repo/actions/runs/1',
    sha: 'c'.repeat(40),
  },
};

/** The baseline's samples measured again, identical, except `failed` (id -> failure). */
function measured(failed: ReadonlyMap<string, Omit<SampleFailure, 'id'>>): Measured {
  const file = results(SPECS);
  return {
    samples: file.samples,
    records: file.records.filter(
      (r) => !failed.has(r.id) || failed.get(r.id)!.stage !== 'generate',
    ),
    stats: stats({ samples: 30 }),
    failures: [...failed].map(([id, f]) => ({ id, ...f })),
    fingerprint: FINGERPRINT,
    resultsDir: '/r',
  };
}

const every = (n: number, f: Omit<SampleFailure, 'id'>) =>
  new Map(BASELINE.results.samples.filter((_, i) => i % n === 0).map((s) => [s.id, f]));

describe('assess: failures as outcomes (defect 1: broken samples dropped out of the gate)', () => {
  it('fails a PR whose model made 8 of 30 images unreadable, the rest identical to the baseline', () => {
    const broken = new Map(
      [...every(4, { stage: 'generate', kind: 'unreadable', reason: 'cannot read' })].slice(0, 8),
    );
    expect(broken.size).toBe(8);
    const a = assess(config, run, measured(broken), BASELINE, '2026-11-26T00:00:00Z');
    expect(a.verdict).toBe('regression');
    if (a.comparison.kind !== 'compared') throw new Error(a.comparison.kind);
    const c = a.comparison.comparison;
    expect(c.pairing.paired).toBe(30);
    expect(c.pairing.counted.pr).toEqual({ samples: 8, byKind: { unreadable: 8 } });
    expect(c.pairing.counted.base.samples).toBe(0);
    expect(c.cp.delta).toBeCloseTo(-0.0667, 4); // their 8 CP points lost, over 30 samples x 4
    expect(c.cp.verdict).toBe('regression');
    // This run's own numbers count them as 0 too.
    expect(a.absolute.aggregate.counted).toBe(8);
    expect(a.judged).toBe(22);
  });

  it('counts judge refusals as the lowest score, but leaves the service’s failures out', () => {
    const refused = every(5, { stage: 'judge', kind: 'refused', reason: 'the judge refused' });
    const m = measured(refused);
    const records = m.records.map((r) =>
      refused.has(r.id)
        ? {
            ...r,
            scored: false,
            cp: { ...r.cp, score: null, judgments: [refusal(0)] },
          }
        : r,
    );
    const a = assess(config, run, { ...m, records }, BASELINE, '2026-11-26T00:00:00Z');
    if (a.comparison.kind !== 'compared') throw new Error(a.comparison.kind);
    const c = a.comparison.comparison;
    expect(c.pairing.counted.pr).toEqual({ samples: 6, byKind: { refused: 6 } });
    expect(c.pairing.byMetric).toEqual({
      cp: { paired: 30, concepts: 10 },
      pf: { paired: 30, concepts: 10 },
    });
    // A timeout is no outcome: the sample is left out, not counted as a drop.
    const lost = every(5, { stage: 'judge', kind: 'timeout', reason: 'timed out' });
    const t = measured(lost);
    const timedOut = t.records.map((r) =>
      lost.has(r.id)
        ? { ...r, scored: false, cp: { ...r.cp, score: null, judgments: [timeout(0)] } }
        : r,
    );
    const b = assess(config, run, { ...t, records: timedOut }, BASELINE, '2026-11-26T00:00:00Z');
    if (b.comparison.kind !== 'compared') throw new Error(b.comparison.kind);
    expect(b.comparison.comparison.pairing.byMetric.cp.paired).toBe(24);
    expect(b.comparison.comparison.pairing.byMetric.pf.paired).toBe(30);
    expect(b.comparison.comparison.cp.delta).toBe(0);
    expect(b.verdict).toBe('pass');
  });
});

const refusal = (repeat: number) => judgment(null, 'refused', repeat);
const timeout = (repeat: number) => judgment(null, 'timeout', repeat);

describe('healthFailure: too many samples lost to the judge service', () => {
  const outcomes = (complete: number, judged = complete) => ({
    judged,
    scored: Array.from({ length: complete }, (_, i) => ({
      id: `s${i}`,
      concept: `c${i}`,
      category: 'object' as const,
      promptClass: 'photorealistic' as const,
      cp: 2,
      pf: 2,
    })),
  });
  const lost = (n: number, kind = 'timeout'): SampleFailure[] =>
    Array.from({ length: n }, (_, i) => ({ id: `x${i}`, stage: 'judge', kind, reason: kind }));

  it('passes at the threshold and fails above it, naming the input and the kinds', () => {
    expect(healthFailure(20, outcomes(18), lost(2), 0.1)).toBeUndefined();
    const why = healthFailure(20, outcomes(17), lost(3, 'rate-limit'), 0.1);
    expect(why).toMatch(/^3 of 20 samples \(15%\) have no score/);
    expect(why).toContain('(3 rate-limit)');
    expect(why).toContain('max-service-failures allows (10%)');
  });

  it('does not count the model’s failures: they are outcomes', () => {
    const broken = outcomes(20, 10); // 10 scored 0 for broken images, all present as outcomes
    expect(healthFailure(20, broken, lost(10, 'corrupt'), 0)).toBeUndefined();
  });

  it('still fails a run where the judge scored nothing', () => {
    expect(healthFailure(20, outcomes(20, 0), lost(20, 'corrupt'), 1)).toMatch(
      /^No sample was scored/,
    );
  });
});
