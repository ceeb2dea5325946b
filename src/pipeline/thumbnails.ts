// Thumbnails for the HTML report (an edge: reads the judge-size images, uses sharp): at most
// 256 px, JPEG, as data: URIs. A detailed image that encodes large is encoded again at a lower
// quality, so a sample's three images stay near 40 KB and 150 samples well under 10 MB.
import { existsSync } from 'node:fs';
import os from 'node:os';
import sharp from 'sharp';
import { forEachLimited } from '../concurrency.ts';
import type { Picture, ReportSample, SampleThumbnails } from '../report/html/model.ts';
import { judgeImageFile } from './results-folder.ts';

const THUMBNAIL_SIDE = 256;
const QUALITY = 75;
const QUALITY_LARGE = 55;
/** Encoded bytes above which an image is encoded again at QUALITY_LARGE. */
const LARGE_BYTES = 18_000;

/** undefined when the file does not exist, `unreadable` when it cannot be decoded. */
async function thumbnail(file: string): Promise<Picture | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    const resized = sharp(file)
      .autoOrient()
      .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' });
    const encode = (quality: number) =>
      resized.clone().jpeg({ quality, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    let { data, info } = await encode(QUALITY);
    if (data.length > LARGE_BYTES) ({ data, info } = await encode(QUALITY_LARGE));
    return {
      src: `data:image/jpeg;base64,${data.toString('base64')}`,
      width: info.width,
      height: info.height,
    };
  } catch {
    return 'unreadable';
  }
}

export interface ThumbnailSources {
  /** This run's results folder: its generated and reference images. */
  readonly resultsDir: string;
  /** The compared baseline's extracted artifact. */
  readonly baselineDir: string | undefined;
}

/**
 * Every sample's reference, baseline and PR thumbnails; a reference image is made once per
 * concept. `onUnreadable` hears of each file that exists but could not be decoded.
 */
export async function sampleThumbnails(
  samples: readonly ReportSample[],
  from: ThumbnailSources,
  onUnreadable: (file: string) => void,
): Promise<Map<string, SampleThumbnails>> {
  const made = new Map<string, Promise<Picture | undefined>>();
  const once = (file: string) => {
    let p = made.get(file);
    if (p === undefined) {
      p = thumbnail(file).then((t) => {
        if (t === 'unreadable') onUnreadable(file);
        return t;
      });
      made.set(file, p);
    }
    return p;
  };
  const out = new Map<string, SampleThumbnails>();
  await forEachLimited(samples, Math.max(1, os.availableParallelism()), async (s) => {
    const [reference, pr, baseline] = await Promise.all([
      once(judgeImageFile(from.resultsDir, 'reference', s.concept)),
      once(judgeImageFile(from.resultsDir, 'generated', s.id)),
      from.baselineDir === undefined
        ? undefined
        : once(judgeImageFile(from.baselineDir, 'generated', s.id)),
    ]);
    out.set(s.id, {
      ...(reference ? { reference } : {}),
      ...(baseline ? { baseline } : {}),
      ...(pr ? { pr } : {}),
    });
  });
  return out;
}
