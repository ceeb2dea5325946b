// An image as the API takes it, `data:image/jpeg;base64,…`, held as its ASCII bytes: written
// into request bodies as they are, so that no request builds a JS string of a few hundred KB
// (JSON.stringify of a CP call's two images) and encodes it again; 2,700 calls of that were
// most of the judge stage's memory churn. `toJSON` gives the string where a body is built as
// an object (the SDK's Azure client).

export class DataUrl {
  /** `data:<mime>;base64,<base64>` in ASCII. */
  readonly ascii: Buffer;
  readonly width: number | undefined;
  readonly height: number | undefined;

  private constructor(ascii: Buffer, size: { width: number; height: number } | undefined) {
    this.ascii = ascii;
    this.width = size?.width;
    this.height = size?.height;
  }

  static jpeg(bytes: Buffer): DataUrl {
    const ascii = Buffer.from(`data:image/jpeg;base64,${bytes.toString('base64')}`, 'latin1');
    return new DataUrl(ascii, jpegSize(bytes));
  }

  toString(): string {
    return this.ascii.toString('latin1');
  }

  toJSON(): string {
    return this.toString();
  }
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
