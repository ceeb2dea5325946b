// Converts an image file into what the judge sees: a size x size sRGB JPEG, as a data URL.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { ImagePrepareError } from './errors.ts';
import { DataUrl } from './transport/data-url.ts';

export interface PreparedImage {
  /** JPEG bytes, metadata stripped. */
  readonly bytes: Buffer;
  /** sha256 of `bytes`: the cache key component and the results record's image hash. */
  readonly sha256: string;
}

const WHITE = { r: 255, g: 255, b: 255 };

/**
 * What prepareImage does, for the fingerprint: bump `version` with any change to its steps (a
 * baseline's stored images were made by the version it records, and cannot be made again).
 */
export const IMAGE_PREPARATION = { version: 1, fit: 'contain', quality: 90 } as const;

// libvips' operation cache only pays when the same file is processed again; the score stage
// prepares each file once (memoized above it), so the cache would just hold decoded images and
// open files (up to 50 MB and 20 files) and serialise threads on its lock.
sharp.cache(false);

/**
 * EXIF orientation applied, transparency flattened onto white, sRGB, then fitted into a
 * `size` square with `contain` and white padding, JPEG quality 90, no metadata.
 *
 * Why `contain`: concept preservation is judged on the subject's shape and proportions. Stretching
 * (what the upstream scripts do) distorts proportions — a stretched dog is a fatter dog — and
 * `cover` can crop away the very part that identifies the subject (a face at the edge, a
 * teapot's spout). Padding keeps every pixel and every proportion; the cost is a few white bars
 * for non-square inputs, which both DreamBench++ references and most generated images are not.
 */
export async function prepareImage(file: string, size: number): Promise<PreparedImage> {
  let bytes: Buffer;
  try {
    bytes = await sharp(file, { failOn: 'error' })
      .rotate()
      .flatten({ background: WHITE })
      .toColourspace('srgb')
      .resize(size, size, { fit: IMAGE_PREPARATION.fit, background: WHITE })
      .jpeg({ quality: IMAGE_PREPARATION.quality })
      .toBuffer();
  } catch (error) {
    throw new ImagePrepareError(file, error);
  }
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * An image that is already a judge image of this size (a baseline's stored one): its bytes as
 * they are, so the judge sees exactly what was judged before. It must be a `size` x `size` JPEG.
 */
export async function readPrepared(file: string, size: number): Promise<PreparedImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
    const { format, width, height } = await sharp(bytes).metadata();
    if (format !== 'jpeg' || width !== size || height !== size)
      throw new Error(
        `it is a ${width}x${height} ${format}, not a ${size}x${size} JPEG judge image`,
      );
  } catch (error) {
    throw new ImagePrepareError(file, error);
  }
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * A prepared image kept in a file instead of in memory (batch judging, where every judgment waits
 * on a batch at once): `bytes` reads the file, and its data URL reads and encodes it each time a
 * request body is written (once per batch line, again only for a judgment asked again).
 */
class SpilledImage implements PreparedImage {
  readonly sha256: string;
  readonly url: DataUrl;
  readonly #file: string;
  constructor(file: string, image: PreparedImage) {
    this.#file = file;
    this.sha256 = image.sha256;
    this.url = DataUrl.jpegFrom(() => this.bytes, image.bytes);
  }
  get bytes(): Buffer {
    return readFileSync(this.#file);
  }
}

/** Writes each image it is given into `dir` (a file of its own) and gives it back spilled. */
export function spillTo(dir: string): (image: PreparedImage) => Promise<PreparedImage> {
  let made: Promise<unknown> | undefined;
  let n = 0;
  return async (image) => {
    await (made ??= mkdir(dir, { recursive: true }));
    const file = path.join(dir, `${++n}.jpg`);
    await writeFile(file, image.bytes);
    return new SpilledImage(file, image);
  };
}

// A reference goes into 9 CP requests and a generated image into its CP and PF requests: encode
// each once. Weak keys: the URL lives exactly as long as the memo keeps the image.
const dataUrls = new WeakMap<PreparedImage, DataUrl>();

export function toDataUrl(image: PreparedImage): DataUrl {
  if (image instanceof SpilledImage) return image.url;
  let url = dataUrls.get(image);
  if (url === undefined) {
    url = DataUrl.jpeg(image.bytes);
    dataUrls.set(image, url);
  }
  return url;
}

export type ImagePreparer = (file: string, size: number) => Promise<PreparedImage>;

/**
 * One preparation per core. Each runs on a libuv thread; unbounded, the 4 pool threads would
 * crowd out the event loop that sends the judge requests on a small runner, and hold up to 4
 * decoded full-size images (plus a malloc arena each) at once, for no gain in throughput.
 */
export const DEFAULT_PREPARE_CONCURRENCY = Math.max(1, availableParallelism());

/** `prepare` with at most `max` calls running; the rest start in call order. */
export function limitConcurrency(prepare: ImagePreparer, max: number): ImagePreparer {
  if (!Number.isInteger(max) || max < 1)
    throw new RangeError(`limitConcurrency: max must be a positive integer, got ${max}`);
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (file, size) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await prepare(file, size);
    } finally {
      // Hand the slot straight to the next caller, so `running` never over-counts.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/**
 * Prepares each (path, size) once: references are shared by the 9 prompts of a concept.
 * Generated images are released by the caller once their sample is judged, so memory follows
 * what is in flight.
 */
export class PreparedImageMemo {
  readonly #prepare: ImagePreparer;
  readonly #keep: ((image: PreparedImage) => Promise<PreparedImage>) | undefined;
  readonly #entries = new Map<string, Promise<PreparedImage>>();
  /** `keep`: how an image is held once made (`spillTo`: on disk); default as it is. */
  constructor(
    prepare: ImagePreparer = prepareImage,
    keep?: (image: PreparedImage) => Promise<PreparedImage>,
  ) {
    this.#prepare = prepare;
    this.#keep = keep;
  }
  /** `asIs`: the file is already a judge image of this size (readPrepared), not to be redone. */
  get(file: string, size: number, asIs = false): Promise<PreparedImage> {
    const key = memoKey(file, size, asIs);
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = asIs ? readPrepared(file, size) : this.#prepare(file, size);
      if (this.#keep) entry = entry.then(this.#keep);
      this.#entries.set(key, entry);
    }
    return entry;
  }
  release(file: string, size: number, asIs = false): void {
    this.#entries.delete(memoKey(file, size, asIs));
  }
}

function memoKey(file: string, size: number, asIs: boolean): string {
  return `${asIs ? 'as-is:' : ''}${size}\0${file}`;
}
