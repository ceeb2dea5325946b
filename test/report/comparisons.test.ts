// What the comment says about comparisons that stay valid: a baseline judged again, one that was
// not (and why), differences only noted, and a run judged by more than one snapshot.
import { describe, expect, it } from 'vitest';
import { aggregate, fingerprintDiff } from '../../src/compare/index.ts';
import { renderComment } from '../../src/report/index.ts';
import type { ReportInput, RejudgeView } from '../../src/report/model.ts';
import type { ScoredSample } from '../../src/types.ts';
import { FINGERPRINT, reportInput, tableAfter } from './fixtures.ts';

const OLD = { ...FINGERPRINT, judgeModel: 'gpt-4o-2024-08-06', judgeServed: ['gpt-4o-2024-08-06'] };
const NEW = {
  ...FINGERPRINT,
  judgeModel: 'gpt-4.1-2025-04-14',
  judgeServed: ['gpt-4.1-2025-04-14'],
};

const samples = (cp: number, pf: number): ScoredSample[] =>
  Array.from({ length: 6 }, (_, i) => ({
    id: `object_0${i >> 1}_x-p${i}`,
    concept: `object_0${i >> 1}_x`,
    category: 'object',
    promptClass: 'photorealistic',
    cp,
    pf,
  }));

function withComparison(edit: (input: ReportInput) => ReportInput['comparison']): ReportInput {
  const input = reportInput({ shift: { cp: 0, pf: 0 } });
  return { ...input, comparison: edit(input) };
}

const rejudge: RejudgeView = {
  differences: fingerprintDiff({ ...OLD, judgeOutputTokens: null }, NEW),
  judged: 148,
  scored: 147,
  leftOut: {
    count: 2,
    examples: ['object_07_cup-p3: the baseline artifact holds no stored image of it'],
  },
  calls: 290,
  cacheHits: 6,
  costUsd: 1.2345,
  served: ['gpt-4.1-2025-04-14'],
  reduced: { from: 768, to: 512 },
  before: aggregate(samples(3, 2), 0),
  after: aggregate(samples(2, 2), 0),
};

describe('a baseline judged again', () => {
  const input = withComparison((i) => {
    if (i.comparison.kind !== 'compared') throw new Error('fixture is not compared');
    return { ...i.comparison, rejudged: rejudge, baselineAggregate: rejudge.after };
  });
  const text = renderComment(input);

  it('says what differed, how many images were judged again and what it cost', () => {
    expect(text).toContain(
      "🔁 **The baseline was judged again with this run's judge**, since it was judged differently " +
        '(judge-model gpt-4o-2024-08-06 → gpt-4.1-2025-04-14; served snapshot gpt-4o-2024-08-06 → ' +
        'gpt-4.1-2025-04-14): 148 stored baseline images judged again (147 scored; 290 calls, 6 cache ' +
        'hits, served gpt-4.1-2025-04-14; $1.23), so both sides above are scored by the same judge.',
    );
  });

  it("keeps the baseline's first numbers beside the new ones, in the line and in the paper table", () => {
    expect(text).toContain(
      'The baseline over those samples as first judged: CP 0.750, PF 0.500, CP·PF 0.375; ' +
        'as judged again: CP 0.500, PF 0.500, CP·PF 0.250.',
    );
    const rows = tableAfter(text, '| | n |').slice(2);
    expect(rows.map((r) => [r[0], r[6]])).toEqual([
      ['this run', expect.stringMatching(/^0\.\d{3}$/)],
      ['baseline, judged again', '0.500'],
      ['baseline as first judged', '0.750'],
    ]);
  });

  it('says when the stored images were reduced, what was left out, and what is only noted', () => {
    expect(text).toContain("Its images, stored at 768 px, were reduced to this run's 512 px");
    expect(text).toContain(
      '⚠️ 2 paired samples could not be judged again and pair with nothing (object\\_07\\_cup-p3: ' +
        'the baseline artifact holds no stored image of it; …).',
    );
    expect(text).toContain(
      'Noted, not in the way of the comparison: output-token limits not recorded → CP 64, PF 400.',
    );
  });
});

describe('a baseline judged differently and not judged again', () => {
  it('gives the reason and every differing field with what it counts as', () => {
    const input = withComparison((i) => ({
      kind: 'incompatible',
      baseline: i.comparison.kind === 'none' ? (undefined as never) : i.comparison.baseline,
      differences: fingerprintDiff(OLD, NEW),
      notRejudged:
        'the baseline artifact holds none of the judge-size images (images/) of the paired samples',
    }));
    const text = renderComment(input);
    expect(text).toContain(
      'The baseline was judged differently and was not judged again: the baseline artifact holds ' +
        'none of the judge-size images (images/) of the paired samples.',
    );
    expect(tableAfter(text, '| field |').slice(2)).toEqual([
      [
        'judge-model',
        'gpt-4o-2024-08-06',
        'gpt-4.1-2025-04-14',
        'judge side: the baseline can be judged again',
      ],
      [
        'served snapshot',
        'gpt-4o-2024-08-06',
        'gpt-4.1-2025-04-14',
        'judge side: the baseline can be judged again',
      ],
    ]);
  });

  it('calls a change of sample or image preparation not comparable', () => {
    const input = withComparison((i) => ({
      kind: 'incompatible',
      baseline: i.comparison.kind === 'none' ? (undefined as never) : i.comparison.baseline,
      differences: fingerprintDiff(
        { ...FINGERPRINT, imagePreparation: { version: 2, fit: 'cover', quality: 95 } },
        FINGERPRINT,
      ),
    }));
    expect(tableAfter(renderComment(input), '| field |').slice(2)).toEqual([
      [
        'image preparation',
        'v2 (cover, JPEG quality 95)',
        'v1 (contain, JPEG quality 90)',
        'not comparable',
      ],
    ]);
  });
});

describe('a run judged by more than one snapshot', () => {
  it('says so, with the judgments of each', () => {
    const input = reportInput();
    const text = renderComment({
      ...input,
      judge: {
        ...input.judge,
        servedModels: ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20'],
        servedCounts: { 'gpt-4o-2024-08-06': 200, 'gpt-4o-2024-11-20': 100 },
      },
    });
    expect(text).toContain(
      '⚠️ The judgments of this run come from more than one snapshot: gpt-4o-2024-08-06 (200 ' +
        'judgments), gpt-4o-2024-11-20 (100 judgments).',
    );
    expect(renderComment(input)).not.toContain('more than one snapshot');
  });
});
