// Size of the HTML report at 30, 150 and 1,350 samples (a PR run, the contract's default, and all
// of DreamBench++), on judge-size images made from the DreamBooth photographs the way the score
// stage makes them (512 px, JPEG 90), each sample's baseline and PR image a different crop of its
// subject so that no two images are alike. Prints bytes per sample against the ~60 KB the issue
// budgets, the totals against their bounds (10 MB at 150, 60 MB at 1,350), and how many samples
// kept their images under the report's own bound.
//   node bench/report.ts [30 150 1350]
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { forEachLimited } from '../src/concurrency.ts';
import { judgeImageFile } from '../src/pipeline/results-folder.ts';
import { sampleThumbnails } from '../src/pipeline/thumbnails.ts';
import { HTML_REPORT_BOUND, renderHtmlReport } from '../src/report/html/index.ts';
import type { ReportSample } from '../src/report/html/model.ts';
import { reportInput, reportSamplesOf, type FixtureOptions } from '../test/report/fixtures.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const photosDir = path.resolve(repoRoot, '../shared/data/dreambooth');
const IDEAL_PER_SAMPLE = 60_000;
const LIMITS: Readonly<Record<number, number>> = { 150: 10_000_000, 1350: 60_000_000 };
const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const SIZES = sizes.length > 0 ? sizes : [30, 150, 1350];

const photos = existsSync(photosDir)
  ? readdirSync(photosDir)
      .map((d) => path.join(photosDir, d, '00.jpg'))
      .filter((p) => existsSync(p))
  : [];

/** A judge-size image: the photo cropped by `k` (a different view for every k), 512 px, JPEG 90. */
async function judgeSize(photo: string, k: number): Promise<Buffer> {
  const img = sharp(photo).autoOrient();
  const { width = 512, height = 512 } = await img.clone().metadata();
  const side = Math.round(Math.min(width, height) * (0.6 + (0.3 * ((k * 7) % 10)) / 10));
  const left = Math.round(((width - side) * ((k * 37) % 100)) / 100);
  const top = Math.round(((height - side) * ((k * 53) % 100)) / 100);
  return img
    .extract({ left, top, width: side, height: side })
    .resize(512, 512, { fit: 'contain', background: '#ffffff' })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function writeImages(samples: readonly ReportSample[], root: string) {
  const resultsDir = path.join(root, 'results');
  const baselineDir = path.join(root, 'baseline');
  const put = async (file: string, bytes: Buffer) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
  };
  const concepts = [...new Set(samples.map((s) => s.concept))];
  const photoOf = (concept: string) => photos[concepts.indexOf(concept) % photos.length]!;
  await forEachLimited(concepts, os.availableParallelism(), async (c) =>
    put(
      judgeImageFile(resultsDir, 'reference', c),
      await judgeSize(photoOf(c), concepts.indexOf(c)),
    ),
  );
  await forEachLimited([...samples.entries()], os.availableParallelism(), async ([i, s]) => {
    await put(
      judgeImageFile(baselineDir, 'generated', s.id),
      await judgeSize(photoOf(s.concept), 2 * i + 1),
    );
    await put(
      judgeImageFile(resultsDir, 'generated', s.id),
      await judgeSize(photoOf(s.concept), 2 * i + 2),
    );
  });
  return { resultsDir, baselineDir };
}

function design(n: number): FixtureOptions {
  const promptsPerConcept = n >= 1350 ? 9 : 3;
  return {
    concepts: Math.round(n / promptsPerConcept),
    promptsPerConcept,
    shift: { cp: -0.3, pf: 0 },
    failEvery: 50,
    prompt: (id) =>
      `a photo of the subject of ${id} on a sandy beach at sunset, in the style of a postcard`,
    reply: (id, side, metric) =>
      metric === 'pf'
        ? `The ${side} image of ${id} shows the subject on a beach; the sunset and the postcard style are present, the sand less so.\nScore: 3`
        : 'Score: 3',
  };
}

const mb = (b: number) => `${(b / 1_000_000).toFixed(2)} MB`;

if (photos.length === 0) {
  console.log(`skipped: no photographs at ${photosDir}`);
} else {
  for (const n of SIZES) {
    const options = design(n);
    const samples = reportSamplesOf(options);
    const root = mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
    try {
      const started = performance.now();
      const dirs = await writeImages(samples, root);
      const madeImages = performance.now();
      const thumbnails = await sampleThumbnails(samples, dirs, () => undefined);
      const html = renderHtmlReport({
        report: reportInput(options),
        samples,
        thumbnails,
        byteBound: HTML_REPORT_BOUND,
        generator: 'bench',
      });
      const seconds = (performance.now() - madeImages) / 1000;
      const bytes = Buffer.byteLength(html);
      const withImages = (html.match(/alt="PR image"/g) ?? []).length;
      const perSample = bytes / samples.length;
      const limit = LIMITS[samples.length];
      console.log(
        `${samples.length} samples: ${mb(bytes)} = ${(perSample / 1000).toFixed(1)} KB/sample ` +
          `(${(perSample / IDEAL_PER_SAMPLE).toFixed(2)}x the 60 KB budget)` +
          (limit ? `, ${(bytes / limit).toFixed(2)}x its ${mb(limit)} bound` : '') +
          `; ${withImages} of ${samples.length} with images; thumbnails + render ${seconds.toFixed(1)} s ` +
          `(images made in ${((madeImages - started) / 1000).toFixed(1)} s)`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}
