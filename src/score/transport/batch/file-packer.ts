// Which batch input file each request goes into (pure). The Batch API takes at most 50,000
// requests and 200 MB per input file, one model per batch
// (https://platform.openai.com/docs/guides/batch). Judge requests carry base64 images (a CP
// request with two 512 px images is ~270 KB), so bytes bind long before the count: 1,350
// samples make ~550 MB, three files. Next fit, in arrival order: a file is closed when the next
// line would not fit, which wastes less than one line per file.

export interface FileLimits {
  readonly requests: number;
  readonly bytes: number;
}

/** The API's limits per input file. 200 MB read as 200,000,000 bytes, the stricter reading. */
export const BATCH_FILE_LIMITS: FileLimits = { requests: 50_000, bytes: 200_000_000 };

export interface PackedFile {
  readonly model: string;
  requests: number;
  bytes: number;
}

export class FilePacker {
  readonly #limits: FileLimits;
  readonly files: PackedFile[] = [];
  /** The open (last) file of each model. */
  readonly #open = new Map<string, number>();

  constructor(limits: FileLimits = BATCH_FILE_LIMITS) {
    this.#limits = limits;
  }

  /** The index of the file a line of `bytes` for `model` goes into; `undefined` if no file can hold it. */
  place(model: string, bytes: number): number | undefined {
    if (bytes > this.#limits.bytes) return undefined;
    const at = this.#open.get(model);
    const open = at === undefined ? undefined : this.files[at]!;
    if (open && open.requests < this.#limits.requests && open.bytes + bytes <= this.#limits.bytes) {
      open.requests += 1;
      open.bytes += bytes;
      return at;
    }
    this.files.push({ model, requests: 1, bytes });
    this.#open.set(model, this.files.length - 1);
    return this.files.length - 1;
  }
}
