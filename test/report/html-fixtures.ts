// Judge-size images for the HTML report's tests, laid out as a results folder and a baseline's
// (references/<concept>.jpg, images/<id>.jpg), then turned into thumbnails by the real edge. The
// DreamBooth photographs are used where ../shared is present, drawn images otherwise.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { ReportSample, SampleThumbnails } from '../../src/report/html/model.ts';
import { judgeImageFile } from '../../src/pipeline/results-folder.ts';
import { sampleThumbnails } from '../../src/pipeline/thumbnails.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const photosDir = path.resolve(repoRoot, '../shared/data/dreambooth');

export const PHOTOS: readonly string[] = existsSync(photosDir)
  ? readdirSync(photosDir)
      .map((d) => path.join(photosDir, d, '00.jpg'))
      .filter((p) => existsSync(p))
  : [];

function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** A 512 px judge-size JPEG: a photograph, or a drawn gradient where there are none. */
async function judgeImage(key: string, variant: 'reference' | 'baseline' | 'pr'): Promise<Buffer> {
  const h = hash(key);
  const base =
    PHOTOS.length > 0
      ? sharp(PHOTOS[h % PHOTOS.length]!)
          .autoOrient()
          .resize(512, 512, { fit: 'cover' })
      : sharp(
          Buffer.from(
            `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512"><defs><linearGradient id="g">` +
              `<stop offset="0" stop-color="hsl(${h % 360},70%,50%)"/><stop offset="1" stop-color="hsl(${(h >> 8) % 360},70%,70%)"/>` +
              `</linearGradient></defs><rect width="512" height="512" fill="url(#g)"/><circle cx="256" cy="256" r="${80 + (h % 120)}" fill="#fff8"/></svg>`,
          ),
        );
  const shown = variant === 'pr' ? base.modulate({ saturation: 0.3 }).blur(4) : base;
  return shown.jpeg({ quality: 90 }).toBuffer();
}

export interface FixtureImages {
  readonly resultsDir: string;
  readonly baselineDir: string;
}

/**
 * Writes every sample's images: a failure of kind `missing` has no PR image, one of kind
 * `corrupt` a file that is not an image; everything else has all three.
 */
export async function writeFixtureImages(
  samples: readonly ReportSample[],
  root: string,
): Promise<FixtureImages> {
  const resultsDir = path.join(root, 'results');
  const baselineDir = path.join(root, 'baseline');
  const put = async (file: string, bytes: Buffer | string) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
  };
  const concepts = new Set<string>();
  for (const s of samples) {
    if (!concepts.has(s.concept)) {
      concepts.add(s.concept);
      await put(
        judgeImageFile(resultsDir, 'reference', s.concept),
        await judgeImage(s.concept, 'reference'),
      );
    }
    await put(
      judgeImageFile(baselineDir, 'generated', s.id),
      await judgeImage(s.concept, 'baseline'),
    );
    if (s.failure?.kind === 'missing') continue;
    await put(
      judgeImageFile(resultsDir, 'generated', s.id),
      s.failure?.kind === 'corrupt' ? 'not an image' : await judgeImage(s.concept, 'pr'),
    );
  }
  return { resultsDir, baselineDir };
}

export async function fixtureThumbnails(
  samples: readonly ReportSample[],
  root: string,
): Promise<Map<string, SampleThumbnails>> {
  const dirs = await writeFixtureImages(samples, root);
  return sampleThumbnails(samples, dirs, () => undefined);
}
