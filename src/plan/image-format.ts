// Image format sniffing by magic bytes (never by file extension).

export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** File extensions (lowercase, without the dot) images of those formats are named with. */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp'] as const;

/** Whether a file name has one of those extensions, in any case. */
export function hasImageExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return (
    dot >= 0 && (IMAGE_EXTENSIONS as readonly string[]).includes(name.slice(dot + 1).toLowerCase())
  );
}

/** The format the leading bytes announce, or null when they are not PNG, JPEG or WebP. */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  const b = (i: number) => head[i];
  if (
    b(0) === 0x89 &&
    b(1) === 0x50 &&
    b(2) === 0x4e &&
    b(3) === 0x47 &&
    b(4) === 0x0d &&
    b(5) === 0x0a
  )
    return 'png';
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return null;
}
