// The job summary of a run whose batches outlasted the wait: as GitHub renders it (GFM, here by
// `marked`), it names each batch by the id the Batch API gave it, so that a reader can look the
// batch up or cancel it, and it links the run only through a safe URL.
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import {
  pendingLine,
  renderPendingSummary,
  type PendingView,
} from '../../src/report/pending-summary.ts';

const view: PendingView = {
  pendingSamples: 12,
  planned: 24,
  batches: [
    { id: 'batch_67f0a1b2c3d4e5f6', status: 'in_progress', requests: 40 },
    { id: 'batch_<b>x</b>', status: 'finalizing', requests: 8 },
  ],
  waitMinutes: 30,
  recorded: true,
  mode: 'baseline',
  runUrl: 'https://github.com/o/r/actions/runs/7',
};

/** The table's body cells as text, as a browser would show them. */
async function cells(markdown: string): Promise<string[][]> {
  const html = await marked.parse(markdown, { gfm: true });
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  const text = (s: string) =>
    s
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .trim();
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => text(c[1]!)),
  );
}

describe('renderPendingSummary', () => {
  it('shows each batch id, status and request count as the Batch API gave them', async () => {
    expect(await cells(renderPendingSummary(view))).toEqual([
      ['batch_67f0a1b2c3d4e5f6', 'in_progress', '40'],
      ['batch_<b>x</b>', 'finalizing', '8'],
    ]);
  });

  it('links the run, and only an http(s) one', async () => {
    const html = await marked.parse(renderPendingSummary(view), { gfm: true });
    expect(html).toContain('<a href="https://github.com/o/r/actions/runs/7">');
    const unsafe = renderPendingSummary({ ...view, runUrl: 'javascript:alert(1)' });
    expect(await marked.parse(unsafe, { gfm: true })).not.toContain('href');
  });

  it('says nothing was published and that the next run collects the batches', () => {
    const text = renderPendingSummary(view);
    expect(text).toContain('12 samples of 24 wait on these batches');
    expect(text).toContain('No baseline was published');
    expect(pendingLine(view)).toContain(
      'batch_67f0a1b2c3d4e5f6 (in_progress), batch_<b>x</b> (finalizing)',
    );
    expect(text).toContain('the next run of this workflow and configuration collects them');
    expect(pendingLine(view)).toContain('They are recorded');
  });

  it('says the next run will not collect them when the record was not kept', () => {
    const lost = { ...view, recorded: false };
    for (const text of [renderPendingSummary(lost), pendingLine(lost)]) {
      expect(text).toContain('could not be recorded');
      expect(text).toContain('OpenAI dashboard (Batches)');
      expect(text).not.toMatch(/are recorded|collects them/);
    }
  });
});
