// The judge-size images of one scoring run: prepared once each, a little ahead of the calls that
// need them, announced once (for the artifact), and freed when no sample needs them any more (a
// generated image with its sample, a reference with the last sample of its concept), so that
// memory follows what is in flight, not the size of the run. In batch mode every judgment is in
// flight until its batch answers, so each image is kept in a file instead (`spillDir`).
import {
  DEFAULT_PREPARE_CONCURRENCY,
  limitConcurrency,
  PreparedImageMemo,
  prepareImage,
  spillTo,
  type PreparedImage,
} from './prepare-image.ts';
import type { PreparedEvent, ScoreItem } from './items.ts';

export interface ImageSupplyOptions {
  readonly size: number;
  /** Calls in flight: how far ahead to prepare. */
  readonly concurrency: number;
  readonly prepareConcurrency?: number;
  readonly onPrepared?: (event: PreparedEvent) => void | Promise<void>;
  /** Keep each image in a file of this folder, not in memory (the stage removes the folder). */
  readonly spillDir?: string;
}

export class ImageSupply {
  readonly #items: readonly ScoreItem[];
  readonly #options: ImageSupplyOptions;
  readonly #memo: PreparedImageMemo;
  readonly #announced = new Set<string>();
  /** Samples not yet done, per reference image. */
  readonly #referenceUsers = new Map<string, number>();
  /** Far enough ahead to hide decoding behind the calls in flight, near enough to keep memory small. */
  readonly #lookahead: number;

  constructor(items: readonly ScoreItem[], options: ImageSupplyOptions) {
    this.#items = items;
    this.#options = options;
    this.#memo = new PreparedImageMemo(
      limitConcurrency(prepareImage, options.prepareConcurrency ?? DEFAULT_PREPARE_CONCURRENCY),
      options.spillDir === undefined ? undefined : spillTo(options.spillDir),
    );
    this.#lookahead = Math.ceil(options.concurrency / 2) + 1;
    for (const item of items) {
      this.#referenceUsers.set(
        item.referencePath,
        (this.#referenceUsers.get(item.referencePath) ?? 0) + 1,
      );
    }
  }

  /** The generated image of an item, or its concept's reference image. */
  async get(item: ScoreItem, role: 'generated' | 'reference'): Promise<PreparedImage> {
    const file = role === 'generated' ? item.imagePath : item.referencePath;
    const image = await this.#memo.get(file, this.#options.size, asIs(item, role));
    const id = role === 'generated' ? item.sample.id : item.sample.concept;
    const key = `${role}\0${id}`;
    if (this.#options.onPrepared && !this.#announced.has(key)) {
      this.#announced.add(key);
      await this.#options.onPrepared({ role, id, path: file, image });
    }
    return image;
  }

  /** Starts preparing the images of the item `lookahead` places after `slot`. */
  prefetch(slot: number): void {
    const ahead = this.#items[slot + this.#lookahead];
    if (!ahead) return;
    const size = this.#options.size;
    this.#memo.get(ahead.imagePath, size, asIs(ahead, 'generated')).catch(() => undefined);
    this.#memo.get(ahead.referencePath, size, asIs(ahead, 'reference')).catch(() => undefined);
  }

  /** The item's last judgment is done: its generated image, and a reference no other needs, go. */
  release(item: ScoreItem): void {
    this.#memo.release(item.imagePath, this.#options.size, asIs(item, 'generated'));
    const users = (this.#referenceUsers.get(item.referencePath) ?? 1) - 1;
    this.#referenceUsers.set(item.referencePath, users);
    if (users === 0)
      this.#memo.release(item.referencePath, this.#options.size, asIs(item, 'reference'));
  }
}

function asIs(item: ScoreItem, role: 'generated' | 'reference'): boolean {
  return item.asPrepared?.includes(role) ?? false;
}
