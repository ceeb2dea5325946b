/// <reference lib="dom" />
// The HTML report in a real browser (Debian's Chromium through playwright-core), opened from
// disk with JavaScript disabled and enabled: it makes no request, every image decodes, nothing
// overflows at 800 px or on a phone, and the CSS-only filters hide and show the right cards.
// Screenshots go to .tmp/browser/report/ for a human to look at.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTML_REPORT_BOUND, renderHtmlReport } from '../../src/report/html/index.ts';
import { isChanged, orderSamples } from '../../src/report/html/order.ts';
import { judgeImageFile } from '../../src/pipeline/results-folder.ts';
import { sampleThumbnails } from '../../src/pipeline/thumbnails.ts';
import { launchChromium, noBrowser, outputDir } from '../harness/browser.ts';
import { skipAllIf } from '../harness/skip.ts';
import { reportInput, reportSamplesOf, type FixtureOptions } from '../report/fixtures.ts';
import { writeFixtureImages } from '../report/html-fixtures.ts';

// Long unbroken words, markup and a long reply: what would push a careless layout past 800 px.
const LONG = 'supercalifragilistic'.repeat(12);
const options: FixtureOptions = {
  concepts: 16,
  shift: { cp: -0.7, pf: 0.2 },
  failEvery: 11,
  prompt: (id) => `a photo of ${id} on a beach, <b>bold</b> ${LONG}`,
  reply: (id, side, metric) =>
    `${side} ${metric} of ${id}: the subject keeps its colour but loses its texture. ${LONG}\n` +
    `${'A long analysis sentence. '.repeat(20)}\nScore: 2`,
  reason: (id) => `the judge refused ${id} ${LONG}`,
  history: Array.from({ length: 12 }, (_, i) => ({
    runId: i,
    sha: `${(i + 10).toString(16)}`.repeat(20),
    createdAt: '',
    cp: 0.55 + 0.04 * Math.sin(i),
    pf: 0.8 + 0.03 * Math.cos(i),
  })),
};
const samples = reportSamplesOf(options);
const { listed, failed } = orderSamples(samples);

let browser: Browser;
let url: string;
let imageCount: number;
let dir: string;

beforeAll(async () => {
  if (noBrowser) return;
  dir = outputDir('report');
  const images = await writeFixtureImages(samples, path.join(dir, 'images'));
  // One baseline image that is there but cannot be read: a placeholder, not a broken <img>.
  writeFileSync(judgeImageFile(images.baselineDir, 'generated', listed[1]!.id), 'not a jpeg');
  const thumbnails = await sampleThumbnails(samples, images, () => undefined);
  const html = renderHtmlReport({
    report: reportInput(options),
    samples,
    thumbnails,
    byteBound: HTML_REPORT_BOUND,
    generator: 'dreambench-action test',
  });
  imageCount = html.match(/<img /g)?.length ?? 0;
  const file = path.join(dir, 'report.html');
  writeFileSync(file, html);
  url = pathToFileURL(file).href;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

async function open(
  js: boolean,
  width: number,
): Promise<{ context: BrowserContext; page: Page; requests: string[] }> {
  const context = await browser.newContext({
    javaScriptEnabled: js,
    viewport: { width, height: 1000 },
  });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  return { context, page, requests };
}

const visibleCards = (page: Page) =>
  page.$$eval('#samples .card', (cards) =>
    cards
      .filter((c) => getComputedStyle(c).display !== 'none')
      .map((c) => c.id.slice('sample-'.length)),
  );

describe('the HTML report in Chromium', () => {
  skipAllIf(noBrowser);
  for (const js of [false, true]) {
    it(`JavaScript ${js ? 'enabled' : 'disabled'}: no request, every image decodes, fits 800 px`, async () => {
      const { context, page, requests } = await open(js, 800);
      try {
        expect(requests.filter((r) => r !== url && !r.startsWith('data:'))).toEqual([]);
        const images = await page.$$eval('img', (imgs) =>
          imgs.map((i) => ({ ok: i.complete && i.naturalWidth > 0, alt: i.alt })),
        );
        expect(images).toHaveLength(imageCount);
        expect(images.filter((i) => !i.ok)).toEqual([]);
        expect(await page.locator('.noimg.unreadable').count()).toBe(1);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width).toBeLessThanOrEqual(800);
        await page.screenshot({ path: path.join(dir, `top-800-js-${js ? 'on' : 'off'}.png`) });
        await page.locator('#samples .card').first().scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(dir, `sample-800-js-${js ? 'on' : 'off'}.png`) });
      } finally {
        await context.close();
      }
    });
  }

  it('fits a phone (390 px) with no horizontal scrolling', async () => {
    const { context, page } = await open(false, 390);
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      await page.locator('#samples .card').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(dir, 'phone-390.png') });
    } finally {
      await context.close();
    }
  });

  it('filters by category, prompt class and "changed only" without JavaScript', async () => {
    const { context, page } = await open(false, 800);
    try {
      const ids = (pred: (s: (typeof listed)[number]) => boolean) =>
        listed.filter(pred).map((s) => s.id);
      expect(await visibleCards(page)).toEqual(ids(() => true));
      await page.click('label[for=f-cat-human]');
      expect(await visibleCards(page)).toEqual(ids((s) => s.category === 'human'));
      await page.click('label[for=f-cls-imaginative]');
      const humanImaginative = ids(
        (s) => s.category === 'human' && s.promptClass === 'imaginative',
      );
      expect(humanImaginative.length).toBeGreaterThan(0);
      expect(await visibleCards(page)).toEqual(humanImaginative);
      await page.click('label[for=f-cat-all]');
      await page.click('label[for=f-changed]');
      const changedImaginative = ids((s) => isChanged(s) && s.promptClass === 'imaginative');
      expect(changedImaginative.length).toBeLessThan(
        ids((s) => s.promptClass === 'imaginative').length,
      );
      expect(await visibleCards(page)).toEqual(changedImaginative);
      await page.locator('.filters').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(dir, 'filtered.png') });
      await page.click('label[for=f-changed]');
      await page.click('label[for=f-cls-all]');
      expect(await visibleCards(page)).toEqual(ids(() => true));
      // The failures are not filtered away: they are the news.
      expect(await page.locator('#failures .card').count()).toBe(failed.length);
    } finally {
      await context.close();
    }
  });
});
