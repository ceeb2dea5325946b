import { describe, expect, it } from 'vitest';
import {
  characters,
  fitItems,
  fitSections,
  wholeOrNothing,
  type Section,
} from '../../src/report/fit.ts';

const note = (omitted: readonly string[]) => `NOTE: ${omitted.join('; ')}`;

function list(what: string, n: number, size: number, order: number): Section {
  const items = Array.from({ length: n }, (_, i) => `${what}${i}:`.padEnd(size, '.'));
  const parts = { head: `## ${what}`, items, tail: () => '', what };
  return {
    text: fitItems(Infinity, characters, parts).text,
    trim: { order, fit: (b, m) => fitItems(b, m, parts) },
  };
}

describe('fitSections', () => {
  it('returns everything joined when it fits, with no note', () => {
    expect(fitSections([{ text: 'a' }, { text: '' }, { text: 'b' }], 100, characters, note)).toBe(
      'a\n\nb',
    );
  });

  it('keeps fixed sections whole and cuts the long low-priority list hardest', () => {
    const fixed = { text: 'F'.repeat(500) };
    const replies = list('reply', 10, 100, 1); // ~1 KB
    const failures = list('fail', 1000, 100, 2); // ~100 KB
    const out = fitSections([fixed, replies, failures], 5000, characters, note);
    expect(out.length).toBeLessThanOrEqual(5000);
    expect(out).toContain(fixed.text);
    expect(out).toContain('reply9:'); // the short list fits in its share: kept whole
    expect(out).toContain('fail0:');
    expect(out).not.toContain('fail999:');
    expect(out).toMatch(/NOTE: [\d,]+ of 1,000 fail$/);
    // Tighter: both are cut, the one trimmed first (replies) gets the smaller share.
    const tight = fitSections([fixed, replies, failures], 3000, characters, note);
    expect(tight.length).toBeLessThanOrEqual(3000);
    const shown = (what: string) => tight.match(new RegExp(`${what}\\d+:`, 'g'))?.length ?? 0;
    expect(shown('reply')).toBeGreaterThan(0);
    expect(shown('fail')).toBeGreaterThan(shown('reply'));
    expect(tight).toMatch(/NOTE: \d of 10 reply; [\d,]+ of 1,000 fail$/);
  });

  it('drops a whole-or-nothing section only when needed, in trim order', () => {
    const out = fitSections(
      [{ text: 'head' }, wholeOrNothing('B'.repeat(300), 'breakdowns', 4), list('x', 50, 40, 1)],
      700,
      characters,
      note,
    );
    expect(out).toContain('B'.repeat(300));
    expect(out).toMatch(/of 50 x/);
  });

  it('cuts at a line boundary as a last resort when fixed sections alone are too big', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const out = fitSections([{ text: lines }], 300, characters, note);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out).toMatch(/line \d+\n\nNOTE/);
  });
});

describe('fitItems', () => {
  const parts = {
    head: 'HEAD',
    items: ['aaaa', 'bbbb', 'cccc'],
    tail: (shown: number, total: number) => (shown < total ? 'MORE' : ''),
    what: 'items',
    fallback: 'ONE LINE',
  };
  it('keeps items in order while they fit and counts what it left out', () => {
    expect(fitItems(1000, characters, parts)).toEqual({ text: 'HEAD\naaaa\nbbbb\ncccc' });
    expect(fitItems(19, characters, parts)).toEqual({
      text: 'HEAD\naaaa\nMORE',
      omitted: '2 of 3 items',
    });
  });
  it('falls back to a one-liner when not even the head fits', () => {
    expect(fitItems(9, characters, parts)).toEqual({ text: 'ONE LINE', omitted: 'all 3 items' });
    expect(fitItems(3, characters, parts)).toEqual({ text: '', omitted: 'all 3 items' });
  });
});
