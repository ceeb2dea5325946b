// The contact sheet (an edge: reads image files, uses sharp): one row per sample with its label
// and its prompt, columns reference | baseline | PR, every image letterboxed into a square cell on
// white. An image that cannot be read is drawn as a placeholder (and reported to `onUnreadable`):
// one damaged file must not cost the sheet, let alone the run.
// Labels are drawn with sharp's text input (Pango); where that fails (no fonts, the WebAssembly
// build) an SVG text is tried, and failing that the label is left out — a sheet without captions
// is still useful, and the ids are in the report next to it.
import sharp, { type OverlayOptions } from 'sharp';
import { escapeXml, truncate } from './escape.ts';
import { ContactSheetImageError, ContactSheetOptionError } from './errors.ts';

export interface ContactSheetRow {
  readonly id: string;
  readonly label: string;
  /** A second line under the label (the prompt). */
  readonly caption?: string;
  /** Image files. */
  readonly reference: string;
  readonly baseline?: string;
  readonly pr: string;
}

export interface ContactSheetOptions {
  /** Side of a square cell in pixels (16-2048). */
  readonly cell: number;
  /** Default `jpeg` (quality 85). */
  readonly format?: 'jpeg' | 'png';
  /** How labels are drawn; `auto` tries Pango text, then SVG. `none` draws no labels. */
  readonly labels?: 'auto' | 'svg' | 'none';
  /** Told of each image that could not be read; it is drawn as a placeholder instead. */
  readonly onUnreadable?: (error: ContactSheetImageError) => void;
}

export interface ContactSheetLayout {
  readonly width: number;
  readonly height: number;
  readonly gap: number;
  /** Height of one line of a row's label strip. */
  readonly labelHeight: number;
  /** Lines in a row's label strip (the label, then the caption). */
  readonly labelLines: number;
  readonly columns: readonly string[];
  /** Top-left corner of a cell. */
  readonly cellAt: (row: number, column: number) => { readonly left: number; readonly top: number };
  /** Top-left corner of line `line` of a row's label strip (full sheet width minus the gaps). */
  readonly labelAt: (row: number, line?: number) => { readonly left: number; readonly top: number };
}

const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };
/** Fill of a cell with no image (no baseline for that sample). */
export const EMPTY_CELL = { r: 230, g: 230, b: 230, alpha: 1 };
/** Fill of a cell whose image could not be read; a dark cross is drawn over it. */
export const UNREADABLE_CELL = { r: 250, g: 222, b: 222, alpha: 1 };

/** Where everything goes: a header strip of column titles, then per row a label strip and cells. */
export function contactSheetLayout(
  rows: number,
  withBaseline: boolean,
  cell: number,
  labelLines = 1,
): ContactSheetLayout {
  const gap = Math.max(4, Math.round(cell / 32));
  const labelHeight = Math.max(16, Math.round(cell / 12));
  const columns = withBaseline ? ['reference', 'baseline', 'PR'] : ['reference', 'PR'];
  const firstRow = gap + labelHeight;
  const strip = labelLines * labelHeight;
  const rowHeight = strip + cell + gap;
  const labelAt = (row: number, line = 0) => ({
    left: gap,
    top: firstRow + row * rowHeight + line * labelHeight,
  });
  return {
    width: gap + columns.length * (cell + gap),
    height: firstRow + rows * rowHeight,
    gap,
    labelHeight,
    labelLines,
    columns,
    labelAt,
    cellAt: (row, column) => ({
      left: gap + column * (cell + gap),
      top: labelAt(row).top + strip,
    }),
  };
}

function validate(rows: readonly ContactSheetRow[], opts: ContactSheetOptions): void {
  if (!Number.isInteger(opts.cell) || opts.cell < 16 || opts.cell > 2048)
    throw new ContactSheetOptionError('cell', opts.cell, 'an integer from 16 to 2048');
  if (rows.length === 0 || rows.length > 200)
    throw new ContactSheetOptionError('rows', rows.length, 'from 1 to 200 rows');
}

/** A pale cell with a dark cross: there was an image, and it could not be read. */
function placeholder(cell: number): Promise<Buffer> {
  const w = Math.max(2, Math.round(cell / 40));
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${cell}" height="${cell}">` +
    `<g stroke="#8b1a1a" stroke-width="${w}"><line x1="0" y1="0" x2="${cell}" y2="${cell}"/>` +
    `<line x1="${cell}" y1="0" x2="0" y2="${cell}"/></g></svg>`;
  return sharp({ create: { width: cell, height: cell, channels: 3, background: UNREADABLE_CELL } })
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toBuffer();
}

/** The cell's image, or a placeholder and the reason when the file cannot be read. */
async function letterbox(
  row: ContactSheetRow,
  column: string,
  file: string,
  cell: number,
): Promise<{ image: Buffer; unreadable?: ContactSheetImageError }> {
  try {
    const image = await sharp(file)
      .autoOrient()
      .resize(cell, cell, { fit: 'contain', background: WHITE })
      .flatten({ background: WHITE })
      .png()
      .toBuffer();
    return { image };
  } catch (error) {
    return {
      image: await placeholder(cell),
      unreadable: new ContactSheetImageError(row.id, column, file, error),
    };
  }
}

/** Crops a rendered label to its strip. */
async function cropTo(png: Buffer, width: number, height: number): Promise<Buffer> {
  const meta = await sharp(png).metadata();
  const w = Math.min(width, meta.width);
  const h = Math.min(height, meta.height);
  return sharp(png).extract({ left: 0, top: 0, width: w, height: h }).png().toBuffer();
}

function pangoLabel(text: string, width: number, height: number): Promise<Buffer> {
  const size = Math.max(8, Math.round(height * 0.62));
  return sharp({
    text: { text: escapeXml(text), font: `sans ${size}`, dpi: 72, rgba: true, width, wrap: 'none' },
  })
    .png()
    .toBuffer();
}

function svgLabel(text: string, width: number, height: number): Promise<Buffer> {
  const size = Math.max(8, Math.round(height * 0.62));
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<text x="0" y="${Math.round(height * 0.78)}" font-family="sans-serif" font-size="${size}" fill="#000">${escapeXml(text)}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A label image no larger than width x height, or undefined when no renderer works here. */
export async function renderLabel(
  text: string,
  width: number,
  height: number,
  how: 'auto' | 'svg' | 'none' = 'auto',
): Promise<Buffer | undefined> {
  const renderers = how === 'none' ? [] : how === 'svg' ? [svgLabel] : [pangoLabel, svgLabel];
  const short = truncate(
    text.replace(/\s+/g, ' '),
    Math.max(4, Math.floor(width / (height * 0.3))),
  );
  for (const render of renderers) {
    try {
      return await cropTo(await render(short, width, height), width, height);
    } catch {
      // Try the next renderer: fonts or the text feature may be missing on this machine.
    }
  }
  return undefined;
}

async function rowOverlays(
  row: ContactSheetRow,
  r: number,
  layout: ContactSheetLayout,
  opts: ContactSheetOptions,
): Promise<OverlayOptions[]> {
  const cell = opts.cell;
  const files =
    layout.columns.length === 3 ? [row.reference, row.baseline, row.pr] : [row.reference, row.pr];
  const drawn = await Promise.all(
    files.map(async (file, c) => {
      const { left, top } = layout.cellAt(r, c);
      if (file === undefined) {
        const empty = {
          create: { width: cell, height: cell, channels: 3, background: EMPTY_CELL },
        };
        return { overlay: { input: empty, left, top } as OverlayOptions };
      }
      const { image, unreadable } = await letterbox(row, layout.columns[c]!, file, cell);
      return { overlay: { input: image, left, top }, unreadable };
    }),
  );
  // Reported in column order once the row is drawn, whichever file failed first.
  for (const { unreadable } of drawn) if (unreadable) opts.onUnreadable?.(unreadable);
  return drawn.map((d) => d.overlay);
}

async function labelOverlays(
  rows: readonly ContactSheetRow[],
  layout: ContactSheetLayout,
  cell: number,
  how: 'auto' | 'svg' | 'none',
): Promise<OverlayOptions[]> {
  const strips = [
    ...layout.columns.map((title, c) => ({
      text: title,
      ...layout.cellAt(-1, c),
      top: layout.gap,
      width: cell,
    })),
    ...rows.flatMap((row, r) =>
      [row.label, row.caption ?? ''].slice(0, layout.labelLines).map((text, line) => ({
        text,
        ...layout.labelAt(r, line),
        width: layout.width - 2 * layout.gap,
      })),
    ),
  ].filter((s) => s.text.trim() !== '');
  const overlays: OverlayOptions[] = [];
  for (const s of strips) {
    const input = await renderLabel(s.text, s.width, layout.labelHeight, how);
    if (input !== undefined) overlays.push({ input, left: s.left, top: s.top });
  }
  return overlays;
}

/** A grid image of the given rows (the caller picks them, e.g. the largest regressions). */
export async function buildContactSheet(
  rows: readonly ContactSheetRow[],
  opts: ContactSheetOptions,
): Promise<Buffer> {
  validate(rows, opts);
  const layout = contactSheetLayout(
    rows.length,
    rows.some((r) => r.baseline !== undefined),
    opts.cell,
    rows.some((r) => r.caption !== undefined && r.caption.trim() !== '') ? 2 : 1,
  );
  const cells: OverlayOptions[] = [];
  for (const [r, row] of rows.entries()) cells.push(...(await rowOverlays(row, r, layout, opts)));
  const labels = await labelOverlays(rows, layout, opts.cell, opts.labels ?? 'auto');
  const sheet = sharp({
    create: { width: layout.width, height: layout.height, channels: 3, background: WHITE },
  }).composite([...cells, ...labels]);
  return opts.format === 'png' ? sheet.png().toBuffer() : sheet.jpeg({ quality: 85 }).toBuffer();
}
