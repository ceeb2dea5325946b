// The comment's gate part: the test's intervals and what they are, the verdict words (within
// tolerance), the gate line that states the tolerance exactly, and how many failures counted.
import { describe, expect, it } from 'vitest';
import { absoluteReport, compare, type Comparison } from '../../src/compare/index.ts';
import { renderComment } from '../../src/report/index.ts';
import { comparedTable, gateLine, intervalLine } from '../../src/report/metrics-table.ts';
import type { ReportInput } from '../../src/report/model.ts';
import type { SampleFailure } from '../../src/types.ts';
import { CALIBRATED, simulatePair, withRefusals, withWorstBroken } from '../compare/score-model.ts';
import { reportInput, tableAfter } from './fixtures.ts';

const OPTS = { confidence: 0.95, seed: 3, iterations: 50 };
const DESIGN = { concepts: 30, promptsPerConcept: 2 };

function withComparison(c: Comparison, failures: SampleFailure[] = []): ReportInput {
  const input = reportInput();
  if (input.comparison.kind !== 'compared') throw new Error('fixture is not compared');
  return {
    ...input,
    verdict: c.verdict,
    failures,
    comparison: { ...input.comparison, comparison: c },
  };
}

describe('failures counted as the lowest score', () => {
  const { base, pr } = simulatePair(CALIBRATED, DESIGN, { cp: 0, pf: 0 }, 5, 'expected');
  const broken = withWorstBroken(pr, 0.3);
  const c = compare(withRefusals(base, 0.03, 9), broken, { ...OPTS, tolerance: 0.02 });
  const failures: SampleFailure[] = broken
    .filter((s) => s.failedAs)
    .map((s) => ({ id: s.id, stage: 'generate', kind: 'corrupt', reason: 'does not decode' }));
  const text = renderComment(withComparison(c, failures));

  it('fail the gate when a model breaks 30% of its images, otherwise unchanged', () => {
    expect(c.pairing.counted.pr).toEqual({ samples: 18, byKind: { corrupt: 18 } });
    expect(c.verdict).toBe('regression');
    expect(text.split('\n')[1]).toMatch(/^## ❌ Regression in concept preservation/);
  });

  it('are named with their count and side', () => {
    const base = c.pairing.counted.base;
    expect(base.samples).toBeGreaterThan(0);
    expect(text).toContain(
      `Counted as the lowest score (0), because the model's image was missing, broken or refused by the judge: ` +
        `18 samples in this run (18 corrupt), ${base.samples} sample${base.samples === 1 ? '' : 's'} in the baseline (${base.samples} refused).`,
    );
  });

  it('are marked in the failure list as counting, unlike the service’s', () => {
    const mixed: SampleFailure[] = [
      ...failures,
      { id: 'x-p0', stage: 'judge', kind: 'timeout', reason: 'slow' },
    ];
    const withTimeout = renderComment(withComparison(c, mixed));
    expect(withTimeout).toContain(
      'Failures: 19 samples not scored (18 counted as the lowest score, 1 left out)',
    );
    const rows = tableAfter(withTimeout, '| stage |');
    expect(rows[0]).toEqual(['stage', 'kind', 'samples', 'counts as', 'example reason']);
    expect(rows.find((r) => r[1] === 'corrupt')![3]).toBe('lowest score (0)');
    expect(rows.find((r) => r[1] === 'timeout')![3]).toBe('left out');
  });
});

describe('without a baseline', () => {
  it('says how many failures the absolute numbers count as the lowest score', () => {
    const { pr } = simulatePair(CALIBRATED, DESIGN, { cp: 0, pf: 0 }, 5, 'expected');
    const absolute = absoluteReport(withWorstBroken(pr, 0.1), 0, OPTS);
    const text = renderComment({ ...reportInput({ kind: 'none' }), absolute });
    expect(text).toContain(
      "These numbers count 6 samples as the lowest score (0), because the model's image was missing, broken or refused by the judge.",
    );
    expect(renderComment(reportInput({ kind: 'none' }))).not.toContain('These numbers count');
  });
});

describe('intervals and verdict words', () => {
  it('reads "within tolerance" for a significant drop smaller than the tolerance', () => {
    const { base, pr } = simulatePair(
      CALIBRATED,
      { concepts: 150, promptsPerConcept: 1 },
      { cp: 0, pf: 0 },
      1,
      'expected',
    );
    const lower = pr.map((s) => ({ ...s, cp: Math.max(0, s.cp! - 0.12) })); // about -0.03
    const c = compare(base, lower, { ...OPTS, tolerance: { cp: 0.05, pf: 0.02 } });
    expect(c.cp.verdict).toBe('within tolerance');
    const text = renderComment(withComparison(c));
    expect(text.split('\n')[1]).toBe(
      '## ✅ Within tolerance: a significant but small change in concept preservation',
    );
    expect(tableAfter(text, '| | baseline |')[2]![6]).toBe('✅ within tolerance');
    expect(c.cp.ci[1]).toBeLessThan(0);
    expect(gateLine(c, true)).toContain('larger than its tolerance (CP 0.050, PF 0.020)');
  });

  it('says what the intervals are, and marks an end Holm tested at its second step', () => {
    const { base, pr } = simulatePair(CALIBRATED, DESIGN, { cp: -1.2, pf: -1.2 }, 2, 'expected');
    const c = compare(base, pr, { ...OPTS, tolerance: 0.02 });
    expect([c.cp.verdict, c.pf.verdict]).toEqual(['regression', 'regression']);
    // Both drops are significant: each upper bound is the one-sided 95% one of Holm's second step.
    expect([c.cp.upper.confidence, c.pf.upper.confidence]).toEqual(
      [0.95, 0.95].map((x) => expect.closeTo(x, 12)),
    );
    expect(comparedTable(c)).toMatch(/\[−\d\.\d{3}, −\d\.\d{3}†\]/);
    expect(intervalLine(c)).toBe(
      "CP and PF: the interval is the gate's own test (paired, cluster-robust t with 29 df), each end a one-sided 97.5% bound " +
        "(†: 95%, Holm's second step, as the other metric's change that way was significant), so it excludes 0 exactly when " +
        'the change is significant; p is one-sided in the direction of the change, Holm-adjusted. CP·PF: cluster bootstrap, not gated.',
    );
  });

  it('states the gate exactly: significance, and the measured drop past the tolerance', () => {
    expect(gateLine({ tolerance: { cp: 0.02, pf: 0.02 }, confidence: 0.95 }, true)).toBe(
      'Gate: a drop in CP or PF fails the check when it is significant (one-sided, 95%, Holm over CP and PF) ' +
        '**and** the measured drop is larger than the tolerance (0.020). The tolerance applies to the measured drop, ' +
        'not to the interval: a significant drop no larger than it passes as within tolerance. ' +
        'An improvement never fails the check.',
    );
  });
});
