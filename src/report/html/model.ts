// What the HTML report is given: the report's view (as for the comment), every planned sample with
// its scores on both sides, and the thumbnails the edge made. Plain data; no paths, no clock.
import type { Category, PromptClass, SampleFailure } from '../../types.ts';
import type { ReportInput } from '../model.ts';

/** One side's judge scores of a sample (0-4); null where that metric was not scored. */
export interface SideScores {
  readonly cp: number | null;
  readonly pf: number | null;
}

export interface ReportSample {
  readonly id: string;
  readonly concept: string;
  readonly category: Category;
  readonly promptClass: PromptClass;
  readonly prompt: string;
  /** This run's scores; undefined when the sample never reached the judge. */
  readonly pr?: SideScores;
  /** The baseline's scores, when the run was compared with one. */
  readonly base?: SideScores;
  /** Set when the sample ended failed in this run. */
  readonly failure?: SampleFailure;
}

/** A JPEG thumbnail as a data: URI, with its size in pixels. */
export interface Thumbnail {
  readonly src: string;
  readonly width: number;
  readonly height: number;
}

/** A side's picture: the thumbnail, or word that the file exists but could not be read. */
export type Picture = Thumbnail | 'unreadable';

export interface SampleThumbnails {
  readonly reference?: Picture;
  readonly baseline?: Picture;
  readonly pr?: Picture;
}

export interface HtmlReportInput {
  readonly report: ReportInput;
  /** Every planned sample, in plan order. */
  readonly samples: readonly ReportSample[];
  /** By sample id; a sample without an entry (or a side without one) shows no image there. */
  readonly thumbnails: ReadonlyMap<string, SampleThumbnails>;
  /** The page's size bound in bytes: past it, samples are listed without their images. */
  readonly byteBound: number;
  /** `dreambench-action 0.1.0`, for the footer. */
  readonly generator: string;
}
