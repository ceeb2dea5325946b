// The HTML report's renderer (pure) on realistic fixtures with thumbnails made by the real edge:
// every sample once, largest change first, escaped text, the comment's own tables, the filters'
// classes and rules, the size bound, and the inline markdown it converts.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/html/index.ts';
import { inlineHtml, markdownHtml } from '../../src/report/html/from-markdown.ts';
import type { HtmlReportInput, SampleThumbnails } from '../../src/report/html/model.ts';
import { changeOf } from '../../src/report/html/order.ts';
import { failureCounts, failureOverview, groupFailures } from '../../src/report/failures.ts';
import { subline } from '../../src/report/headline.ts';
import * as m from '../../src/report/metrics-table.ts';
import { fixtureThumbnails } from './html-fixtures.ts';
import { reportInput, reportSamplesOf, type FixtureOptions } from './fixtures.ts';

const NASTY = '<script>alert(1)</script> <img src=x onerror=alert(2)> "quoted" & @octocat';
const options: FixtureOptions = {
  concepts: 8,
  shift: { cp: -0.8, pf: 0 },
  failEvery: 7,
  prompt: (id) => `${id}: ${NASTY}`,
  reply: (id, side, metric) => `${side} ${metric} of ${id}: ${NASTY}\nline two\nScore: 2`,
  reason: (id) => `no image for ${id} ${NASTY}`,
  history: [1, 2, 3].map((i) => ({
    runId: i,
    sha: `${i}`.repeat(40),
    createdAt: '',
    cp: 0.5 + i / 50,
    pf: 0.8,
  })),
};
const samples = reportSamplesOf(options);
const report = reportInput(options);
let thumbnails: Map<string, SampleThumbnails>;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'html-report-'));

beforeAll(async () => {
  thumbnails = await fixtureThumbnails(samples, tmp);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const input = (over: Partial<HtmlReportInput> = {}): HtmlReportInput => ({
  report,
  samples,
  thumbnails,
  byteBound: 48_000_000,
  generator: 'dreambench-action 0.0.0-test',
  ...over,
});

/** The cards in page order: id, classes and markup. */
function cardsOf(html: string) {
  return [...html.matchAll(/<li class="([^"]+)" id="sample-([^"]+)">([\s\S]*?)<\/li>/g)].map(
    (x) => ({
      classes: x[1]!.split(' '),
      id: x[2]!,
      body: x[3]!,
    }),
  );
}

function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  expect(start, id).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('renderHtmlReport', () => {
  it('shows every planned sample once: scored ones by change, failures apart with their reason', () => {
    const html = renderHtmlReport(input());
    const listed = cardsOf(section(html, 'samples'));
    const failed = cardsOf(section(html, 'failures'));
    expect([...listed, ...failed].map((c) => c.id).sort()).toEqual(samples.map((s) => s.id).sort());
    expect(failed.map((c) => c.id)).toEqual(report.failures.map((f) => f.id));
    const byId = new Map(samples.map((s) => [s.id, s]));
    const changes = listed.map((c) => changeOf(byId.get(c.id)!)!);
    expect(changes).toEqual([...changes].sort((a, b) => b - a));
    expect(changes[0]).toBeGreaterThan(0);
    for (const c of failed) expect(c.body).toContain(`no image for ${c.id}`);
  });

  it('gives each card its three images, its scores on both sides and the change', () => {
    const html = renderHtmlReport(input());
    const [top] = cardsOf(section(html, 'samples'));
    const s = samples.find((x) => x.id === top!.id)!;
    expect([...top!.body.matchAll(/alt="(\w+) image"/g)].map((x) => x[1])).toEqual([
      'reference',
      'baseline',
      'PR',
    ]);
    const cp = /<tr><th>CP<\/th><td>(.*?)<\/td><td>(.*?)<\/td><td class="(\w*)">(.*?)<\/td>/.exec(
      top!.body,
    )!;
    expect(cp.slice(1, 3)).toEqual([String(s.base!.cp), String(s.pr!.cp)]);
    const d = s.pr!.cp! - s.base!.cp!;
    expect(cp[3]).toBe(d < 0 ? 'neg' : d > 0 ? 'pos' : '');
  });

  it('escapes prompts, replies, reasons and ids, and keeps the reply lines', () => {
    const html = renderHtmlReport(input());
    expect(html).not.toMatch(/<script|<img src=x/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp;');
    expect(html).toMatch(/: &lt;script&gt;[^\n]*\nline two\nScore: 2<\/p>/);
  });

  it('loads nothing: a content policy forbidding requests, data: images only, no script', () => {
    const html = renderHtmlReport(input());
    expect(html).toContain(`content="default-src 'none'; img-src data:;`);
    const srcs = [...html.matchAll(/ src="([^"]*)"/g)].map((x) => x[1]!);
    expect(srcs.length).toBeGreaterThan(samples.length * 2);
    for (const src of srcs) expect(src.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(html).not.toMatch(/<(script|link|iframe)\b|url\(/);
  });

  it("shows the comment's own metrics table, gate line and breakdowns", () => {
    if (report.comparison.kind !== 'compared') throw new Error('fixture is compared');
    const c = report.comparison.comparison;
    const html = renderHtmlReport(input());
    const numbers = section(html, 'numbers');
    // The very table of the comment, intervals included: the page cannot show other numbers.
    expect(numbers).toContain(markdownHtml(m.comparedTable(c)));
    expect(numbers).toContain(markdownHtml(m.intervalLine(c)));
    expect(numbers).toContain('<th class="r">p (Holm)</th>');
    expect(numbers).toContain(`<td class="r">${c.cp.pr.toFixed(3)}</td>`);
    expect(numbers).toContain('<strong>CP</strong> concept preservation');
    expect(numbers).toContain(m.gateLine(c, true).slice(0, 40));
    expect(section(html, 'groups')).toMatch(/<td>animal<\/td><td class="r">\d+ \(\d+ img\)<\/td>/);
    expect(html).toContain('<h1>❌ Regression in concept preservation</h1>');
    expect(html).toContain(`<p>${inlineHtml(subline(report))} · <a href="${report.links.run}">`);
    expect(html).toMatch(/against baseline <a href="https:[^"]+">[0-9a-f]{7}<\/a>/);
  });

  it("lists the failure kinds with the comment's own table: count, how each counts, a reason", () => {
    const failures = section(renderHtmlReport(input()), 'failures');
    const overview = failureOverview(groupFailures(report.failures), {
      maxKinds: 100,
      reasonChars: 160,
    });
    expect(failures).toContain(markdownHtml(overview));
    expect(failures).toContain('<th>counts as</th>');
    expect(failures).toContain('<td>lowest score (0)</td>');
    expect(failures).toContain(failureCounts(report.failures));
  });

  it('marks each card for the CSS filters and writes a rule per option', () => {
    const html = renderHtmlReport(input());
    const byId = new Map(samples.map((s) => [s.id, s]));
    for (const card of cardsOf(section(html, 'samples'))) {
      const s = byId.get(card.id)!;
      expect(card.classes).toContain(`cat-${s.category}`);
      expect(card.classes).toContain(`cls-${s.promptClass}`);
      expect(card.classes.includes('changed')).toBe(changeOf(s)! > 0);
    }
    expect(html).toContain('#f-cat-human:checked~.cards>.card:not(.cat-human)');
    expect(html).toContain('#f-cls-style_transfer:checked~.cards>.card:not(.cls-style_transfer)');
    expect(html).toContain('#f-changed:checked~.cards>.card:not(.changed)');
    expect(html).toMatch(/<input class="sr" type="radio" name="cat" id="f-cat-all" checked>/);
  });

  it('draws the trend as inline SVG with a legend naming both lines', () => {
    const trend = section(renderHtmlReport(input()), 'trend');
    expect(trend).toContain('<svg class="trend"');
    expect(trend.match(/<polyline /g)).toHaveLength(2);
    expect(trend).toContain('CP concept preservation</text>');
    expect(trend).toContain('PF prompt following</text>');
  });

  it('past its size bound keeps the images of the failures and the largest changes only', () => {
    const full = renderHtmlReport(input());
    const bound = Math.round(Buffer.byteLength(full) * 0.45);
    const html = renderHtmlReport(input({ byteBound: bound }));
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(bound);
    const listed = cardsOf(section(html, 'samples'));
    const withImages = listed.map((c) => c.body.includes('<img '));
    const kept = withImages.filter(Boolean).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(listed.length);
    // A prefix of the list (the largest changes) has images, the rest a note and no image.
    expect(withImages).toEqual(listed.map((_, i) => i < kept));
    expect(listed.at(-1)!.body).toContain('Images left out to keep this report under');
    expect(listed.at(-1)!.body).toContain("The judge's words");
    for (const c of cardsOf(section(html, 'failures')))
      expect(c.body.includes('<img ') || !thumbnails.get(c.id)?.pr).toBe(true);
  });
});

describe('the markdown the comment renderers write, as HTML', () => {
  it('converts tables with their alignment and inline bold, code and <br>', () => {
    const html = markdownHtml('| a | **b** |\n| :- | -: |\n| `x` | 1<br>2 |');
    expect(html).toBe(
      '<div class="table"><table><thead><tr><th>a</th><th class="r"><strong>b</strong></th></tr></thead>' +
        '<tbody><tr><td><code>x</code></td><td class="r">1<br>2</td></tr></tbody></table></div>',
    );
  });

  it('unescapes markdown escapes, keeps entities, and escapes any other markup', () => {
    expect(inlineHtml('a\\_b \\| c &amp; <b>x</b> "q"')).toBe(
      'a_b | c &amp; &lt;b&gt;x&lt;/b&gt; &quot;q&quot;',
    );
  });

  it('links http(s) only', () => {
    expect(inlineHtml('[run](https://github.com/o/r?a=1&b=2)')).toBe(
      '<a href="https://github.com/o/r?a=1&amp;b=2">run</a>',
    );
    expect(inlineHtml('[x](javascript:alert(1))')).not.toContain('href');
  });

  it('turns headings, list items and paragraphs into blocks', () => {
    expect(markdownHtml('### Judge\n\n- one\n- two\n\ntext\nmore', -1)).toBe(
      '<h2>Judge</h2>\n<ul><li>one</li><li>two</li></ul>\n<p>text more</p>',
    );
  });
});
