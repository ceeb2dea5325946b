// Named errors of the plan stage. Each names the input or file and quotes the offending value.

/** A dataset file (caption, image, layout) that breaks the DreamBench++ layout. */
export class DatasetFormatError extends Error {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`dataset file ${JSON.stringify(file)}: ${problem}`);
    this.name = 'DatasetFormatError';
    this.file = file;
  }
}

/** The hub answered 404 for the revision (or the file at that revision). */
export class DatasetRevisionNotFoundError extends Error {
  readonly revision: string;
  readonly endpoint: string;
  constructor(revision: string, endpoint: string, repo: string) {
    super(
      `dataset-revision ${JSON.stringify(revision)} not found on ${endpoint} (repository ${repo}); ` +
        'use a branch, tag or commit that exists there',
    );
    this.name = 'DatasetRevisionNotFoundError';
    this.revision = revision;
    this.endpoint = endpoint;
  }
}

/** The hub refused the credentials (401/403). The token itself is never part of the message. */
export class DatasetAuthError extends Error {
  readonly status: number;
  readonly endpoint: string;
  constructor(status: number, endpoint: string, tokenSet: boolean) {
    super(
      `${endpoint} refused the dataset download with HTTP ${status}: ` +
        (tokenSet
          ? 'HF_TOKEN is set but not accepted; check the token and its access to the dataset'
          : 'the dataset needs a token; set HF_TOKEN'),
    );
    this.name = 'DatasetAuthError';
    this.status = status;
    this.endpoint = endpoint;
  }
}

/** Any other failed download (after tool-cache's retries). */
export class DatasetDownloadError extends Error {
  readonly url: string;
  constructor(url: string, cause: unknown) {
    super(`downloading ${url} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'DatasetDownloadError';
    this.url = url;
  }
}

/** An archive entry that would land outside the extraction folder, or is a link. */
export class UnsafeArchiveEntryError extends Error {
  readonly archive: string;
  readonly entry: string;
  constructor(archive: string, entry: string, why: string) {
    super(
      `archive ${JSON.stringify(archive)} entry ${JSON.stringify(entry)} ${why}; refusing to extract`,
    );
    this.name = 'UnsafeArchiveEntryError';
    this.archive = archive;
    this.entry = entry;
  }
}

/** An archive whose entries declare more uncompressed bytes than allowed (counted entry by entry). */
export class ArchiveTooLargeError extends Error {
  readonly archive: string;
  readonly declaredBytes: number;
  readonly maxBytes: number;
  constructor(archive: string, declaredBytes: number, maxBytes: number) {
    super(
      `archive ${JSON.stringify(archive)} declares at least ${declaredBytes} uncompressed bytes, ` +
        `more than the allowed ${maxBytes}; refusing to extract`,
    );
    this.name = 'ArchiveTooLargeError';
    this.archive = archive;
    this.declaredBytes = declaredBytes;
    this.maxBytes = maxBytes;
  }
}

/** An archive that is no zip, holds no files, or whose data is damaged. */
export class ArchiveContentError extends Error {
  readonly archive: string;
  readonly problem: string;
  constructor(archive: string, problem: string) {
    super(`archive ${JSON.stringify(archive)} ${problem}`);
    this.name = 'ArchiveContentError';
    this.archive = archive;
    this.problem = problem;
  }
}

/** What a dataset URL answered is not a usable archive: names the dataset, the URL and the bytes. */
export class DatasetArchiveError extends Error {
  readonly dataset: string;
  readonly url: string;
  constructor(dataset: string, url: string, what: string) {
    super(`dataset ${JSON.stringify(dataset)}: ${url} returned ${what}`);
    this.name = 'DatasetArchiveError';
    this.dataset = dataset;
    this.url = url;
  }
}

/** An unknown `dataset` input. */
export class UnknownDatasetError extends Error {
  readonly dataset: string;
  constructor(dataset: string) {
    super(
      `dataset ${JSON.stringify(dataset)} is neither "dreambench-plus", "dreambench" nor an existing folder ` +
        'in the DreamBench++ layout (images/…, captions/…)',
    );
    this.name = 'UnknownDatasetError';
    this.dataset = dataset;
  }
}

/** A `categories` input that leaves no concept of the dataset to sample. */
export class CategoryFilterError extends Error {
  readonly categories: readonly string[];
  /** The categories the dataset does have, in the canonical order. */
  readonly present: readonly string[];
  constructor(categories: readonly string[], present: readonly string[]) {
    super(
      `Input "categories" selects no concept of this dataset: ${JSON.stringify(categories.join(', '))}; ` +
        (present.length > 0 ? `it has ${present.join(', ')}` : 'it has no concepts at all'),
    );
    this.name = 'CategoryFilterError';
    this.categories = categories;
    this.present = present;
  }
}
