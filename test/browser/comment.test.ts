/// <reference lib="dom" />
// The PR comment as GitHub shows it: rendered by a GitHub-flavoured markdown renderer (`marked`,
// GFM) inside a page styled like GitHub's comment body, in Chromium. No table may be wider than
// GitHub's comment width (800 px), even with the longest DreamBench++ ids and expected scores
// (two decimals). Screenshots go to .tmp/browser/comment/.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { marked } from 'marked';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleDelta } from '../../src/compare/index.ts';
import { renderComment } from '../../src/report/index.ts';
import type { ReportInput } from '../../src/report/model.ts';
import { launchChromium, noBrowser, outputDir } from '../harness/browser.ts';
import { skipAllIf } from '../harness/skip.ts';
import { reportInput } from '../report/fixtures.ts';

/** The comment-body rules that decide a table's width on github.com. */
const GITHUB_CSS = `
body{margin:0;padding:16px;background:#fff}
.markdown-body{width:800px;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;
font-size:14px;line-height:1.5;color:#1f2328;word-wrap:break-word}
.markdown-body table{border-spacing:0;border-collapse:collapse;display:block;width:max-content;max-width:100%;overflow:auto}
.markdown-body th{font-weight:600}
.markdown-body th,.markdown-body td{padding:6px 13px;border:1px solid #d1d9e0}
.markdown-body code{padding:.2em .4em;font-size:85%;background:#eff1f2;border-radius:6px}
.markdown-body pre{overflow:auto;background:#f6f8fa;padding:16px}`;

const SUBJECTS = [
  'red_cartoon_character_with_big_eyes',
  'young_woman_with_round_glasses',
  'kitten',
];

/** Real DreamBench++ shapes: `live_subject_<category>_NN_<subject>-pK`, scores with decimals. */
function realistic(input: ReportInput): ReportInput {
  if (input.comparison.kind !== 'compared') throw new Error('fixture is compared');
  const rename = (id: string, i: number) =>
    id.replace(
      /^(\w+?)_(\d+)/,
      (_m, cat: string, n: string) =>
        `${cat === 'object' || cat === 'style' ? '' : 'live_subject_'}${cat}_${n.slice(-2)}_${SUBJECTS[i % 3]}`,
    );
  const clamp = (v: number) => Math.min(4, Math.max(0, v));
  const frac = (d: SampleDelta['cp'], a: number, b: number) => {
    const [base, pr] = [clamp(d.base + a), clamp(d.pr - b)];
    return { base, pr, delta: pr - base };
  };
  const deltas = input.comparison.comparison.sampleDeltas.map((d, i) => ({
    ...d,
    id: rename(d.id, i),
    concept: rename(d.concept, i),
    cp: frac(d.cp, 0.37, 0.21),
    pf: frac(d.pf, 0.12, 0.45),
  }));
  const ids = new Map(
    input.comparison.comparison.sampleDeltas.map((d, i) => [d.id, deltas[i]!.id]),
  );
  return {
    ...input,
    comparison: {
      ...input.comparison,
      comparison: { ...input.comparison.comparison, sampleDeltas: deltas },
    },
    samples: new Map([...input.samples].map(([id, v]) => [ids.get(id) ?? id, v])),
    failures: input.failures.map((f) => ({
      ...f,
      kind: `${f.kind}-after-three-retries`,
      id: ids.get(f.id) ?? f.id,
    })),
  };
}

const history = Array.from({ length: 20 }, (_, i) => ({
  runId: i,
  sha: `${(i + 10).toString(16)}`.repeat(20),
  createdAt: '',
  cp: 0.55 + 0.03 * Math.sin(i),
  pf: 0.8 + 0.02 * Math.cos(i),
}));
/** A baseline judged again too: the paper-layout tables get their longest row labels. */
function rejudged(input: ReportInput): ReportInput {
  if (input.comparison.kind !== 'compared') throw new Error('fixture is compared');
  const a = input.absolute.aggregate;
  const rejudge = {
    differences: [],
    judged: 150,
    scored: 150,
    leftOut: { count: 0, examples: [] },
    calls: 300,
    cacheHits: 0,
    costUsd: 1.5,
    served: ['gpt-4o-2024-11-20'],
    before: a,
    after: a,
  };
  return { ...input, comparison: { ...input.comparison, rejudged: rejudge, baselineAggregate: a } };
}

const comment = renderComment(
  rejudged(realistic(reportInput({ shift: { cp: -0.6, pf: 0 }, failEvery: 13, history }))),
);

interface Table {
  readonly head: string;
  readonly scrolls: boolean;
  readonly natural: number;
}

let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (noBrowser) return;
  dir = outputDir('comment');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the PR comment at GitHub width', () => {
  skipAllIf(noBrowser);
  it('renders with GFM, and no table is wider than 800 px', async () => {
    const body = await marked.parse(comment, { gfm: true });
    const file = path.join(dir, 'comment.html');
    writeFileSync(
      file,
      `<!DOCTYPE html><meta charset="utf-8"><style>${GITHUB_CSS}</style><div class="markdown-body">${body}</div>`,
    );
    const page = await browser.newPage({
      viewport: { width: 840, height: 1200 },
      javaScriptEnabled: false,
    });
    try {
      await page.goto(pathToFileURL(file).href);
      // Collapsed blocks hold tables too (the breakdowns, the failures): measure them open.
      await page.$$eval('details', (ds) => ds.forEach((d) => d.setAttribute('open', '')));
      const tables = await page.$$eval<Table[], HTMLTableElement>('.markdown-body table', (ts) =>
        ts.map((t) => {
          const head = t.querySelector('tr')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
          // As GitHub lays it out (at most 800 px, cells may wrap): does it scroll sideways?
          const scrolls = t.scrollWidth > t.clientWidth;
          // Its width with no cell wrapped: what it needs to be read as designed.
          t.style.maxWidth = 'none';
          return { head, scrolls, natural: t.offsetWidth };
        }),
      );
      // The main table, the breakdowns, the largest changes and the failures all rendered.
      expect(tables.length).toBeGreaterThanOrEqual(5);
      for (const t of tables) expect(t.scrolls, t.head).toBe(false);
      // The numbers a reviewer came for need no wrapping at all.
      const main = tables.find((t) => t.head.startsWith('baseline PR delta'));
      const changes = tables.find((t) => t.head.startsWith('CP (0-4) PF (0-4) sample'));
      expect(main?.natural).toBeLessThanOrEqual(800);
      expect(changes?.natural).toBeLessThanOrEqual(800);
      const paper = tables.filter((t) => /^n animal|^photorealistic/.test(t.head));
      expect(paper).toHaveLength(2);
      for (const t of paper) expect(t.natural, t.head).toBeLessThanOrEqual(800);
      writeFileSync(path.join(dir, 'tables.json'), JSON.stringify(tables, null, 2));
      await page.locator('.markdown-body').screenshot({ path: path.join(dir, 'comment.png') });
    } finally {
      await page.close();
    }
  });
});
