import { describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/constants.ts';
import { renderComment, renderSummary, STEP_SUMMARY_LIMIT } from '../../src/report/index.ts';
import type { SampleFailure } from '../../src/types.ts';
import { reportInput, tableAfter } from './fixtures.ts';

describe('renderSummary', () => {
  const long = 'The subject keeps its shape and colour. '.repeat(40); // ~1.6 KB
  const input = reportInput({ shift: { cp: -0.6, pf: 0 }, failEvery: 10, reply: () => long });
  const summary = renderSummary(input);
  const comment = renderComment(input);

  it('starts like the comment: marker, then the same verdict and main table', () => {
    expect(summary.split('\n').slice(0, 2)).toEqual(comment.split('\n').slice(0, 2));
    expect(summary.startsWith(commentMarker('default'))).toBe(true);
    expect(tableAfter(summary, '| | baseline |')).toEqual(tableAfter(comment, '| | baseline |'));
  });

  it('expands breakdowns and failures instead of collapsing them', () => {
    expect(summary).toContain('### Per category\n\n| category |');
    expect(summary).toContain('### Per prompt class\n\n| prompt class |');
    expect(summary).not.toContain('<summary>Per category');
    expect(summary).toContain('### Failures: 15 samples not scored');
  });

  it('adds the fingerprint table, the method note and the one-side lists', () => {
    const fp = tableAfter(summary, '| field | value |').slice(2);
    expect(fp).toContainEqual(['judge-model', 'gpt-4o-2024-08-06']);
    expect(fp).toContainEqual(['categories', '(all)']);
    expect(summary).toContain('### Method');
    expect(summary).toContain('200 resamples, seed 7');
    expect(summary).toMatch(/Scored only in the baseline \(15\): /);
    expect(comment).not.toContain('### Method');
  });

  it('shows judge replies longer than the comment does, and more largest changes', () => {
    expect(summary).toContain(long.trim().slice(0, 1500).replace(/\.$/, ''));
    expect(comment).not.toContain(long.trim().slice(0, 700));
    expect(tableAfter(summary, '| CP (0-4) | PF (0-4) | sample |').length - 2).toBe(25);
  });

  it('trims to a byte limit (multi-byte text counts by bytes) and says so', () => {
    const failures: SampleFailure[] = Array.from({ length: 5000 }, (_, i) => ({
      id: `s${i}`,
      stage: 'judge',
      kind: 'unparseable',
      reason: '画像を解析できませんでした。'.repeat(20),
    }));
    const text = renderSummary({ ...input, failures }, 200_000);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(200_000);
    expect(text.length).toBeLessThan(200_000);
    expect(text).toMatch(
      /Trimmed to fit the 1 MiB job-summary limit: left out .*[\d,]+ of 5,000 listed failures/,
    );
    expect(Buffer.byteLength(renderSummary(input))).toBeLessThan(STEP_SUMMARY_LIMIT);
  });
});
