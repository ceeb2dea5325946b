// What the score stage is given per sample, and what it announces per prepared image.
import type { Sample } from '../types.ts';
import type { PreparedImage } from './prepare-image.ts';

export interface ScoreItem {
  readonly sample: Sample;
  /** The generated image. */
  readonly imagePath: string;
  /** The reference image the judge compares against (normally `sample.referenceImages[0]`). */
  readonly referencePath: string;
  /**
   * Files that are already judge images of the stage's size (a baseline's stored images), sent
   * byte for byte instead of prepared again.
   */
  readonly asPrepared?: readonly ('generated' | 'reference')[];
}

export interface PreparedEvent {
  readonly role: 'generated' | 'reference';
  /** Sample id for generated images, concept id for references. */
  readonly id: string;
  readonly path: string;
  readonly image: PreparedImage;
}
