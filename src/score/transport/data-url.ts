// An image as the API takes it, `data:image/jpeg;base64,…`, held as its ASCII bytes: written
// into request bodies as they are, so that no request builds a JS string of a few hundred KB
// (JSON.stringify of a CP call's two images) and encodes it again; 2,700 calls of that were
// most of the judge stage's memory churn. `toJSON` gives the string where a body is built as
// an object (the SDK's Azure client). A batch's URLs are read from disk when written (`jpegFrom`).

export class DataUrl {
  readonly width: number | undefined;
  readonly height: number | undefined;
  readonly #ascii: Buffer | undefined;
  readonly #read: (() => Buffer) | undefined;

  private constructor(
    ascii: Buffer | undefined,
    read: (() => Buffer) | undefined,
    size: { width: number; height: number } | undefined,
  ) {
    this.#ascii = ascii;
    this.#read = read;
    this.width = size?.width;
    this.height = size?.height;
  }

  static jpeg(bytes: Buffer): DataUrl {
    return new DataUrl(asciiOf(bytes), undefined, jpegSize(bytes));
  }

  /**
   * A JPEG that `read` gives (from disk), held as that and its size only: read and encoded each
   * time the URL is written. Batch judging keeps thousands of requests waiting on a batch at
   * once; this way they hold no image.
   */
  static jpegFrom(read: () => Buffer, bytes: Buffer): DataUrl {
    return new DataUrl(undefined, read, jpegSize(bytes));
  }

  /** `data:<mime>;base64,<base64>` in ASCII. */
  get ascii(): Buffer {
    return this.#ascii ?? asciiOf(this.#read!());
  }

  toString(): string {
    return this.ascii.toString('latin1');
  }

  toJSON(): string {
    return this.toString();
  }
}

function asciiOf(jpeg: Buffer): Buffer {
  return Buffer.from(`data:image/jpeg;base64,${jpeg.toString('base64')}`, 'latin1');
}

/** Width and height from a JPEG's start-of-frame marker; `undefined` for anything else. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 2; i + 9 < bytes.length;) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
    i += 2 + view.getUint16(i + 2);
  }
  return undefined;
}
