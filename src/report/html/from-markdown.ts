// The comment's own renderers (metrics table, gate lines, breakdowns, judge section) write GFM;
// the HTML report shows the very same text, so it converts that small subset here instead of
// keeping a second copy of each renderer: tables, headings, list items, paragraphs, and inline
// bold, code, links and <br>. Whatever else could be markup is escaped: the input was already
// escaped for markdown by its renderer, and this stays safe even if it was not.
import { HTML_ENTITIES, safeUrl } from '../escape.ts';

const INLINE = new RegExp(
  [
    /\\([!-/:-@[-`{-~])/.source, // 1: a backslash escape of ASCII punctuation
    /\*\*(.+?)\*\*/.source, // 2: bold
    /`([^`]+)`/.source, // 3: code
    /\[((?:\\.|[^\]\\])+)\]\(([^)\s]+)\)/.source, // 4, 5: a link
    /(<br>)/.source, // 6: a line break our renderers write
    /(&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);)/.source, // 7: an entity, kept as is
    /([&<>"'])/.source, // 8: anything else HTML would read
  ].join('|'),
  'gi',
);

/** A link around `html`, or `html` alone when the URL is missing or not http(s). */
export function anchor(html: string, url: string | undefined): string {
  const href = safeUrl(url);
  return href === undefined ? html : `<a href="${href.replace(/&/g, '&amp;')}">${html}</a>`;
}

/** Inline markdown (one line of a cell or paragraph) as HTML. */
export function inlineHtml(md: string): string {
  return md.replace(
    INLINE,
    (
      _all,
      esc?: string,
      bold?: string,
      code?: string,
      label?: string,
      url?: string,
      br?: string,
      entity?: string,
      special?: string,
    ) => {
      if (esc !== undefined) return HTML_ENTITIES[esc] ?? esc;
      if (bold !== undefined) return `<strong>${inlineHtml(bold)}</strong>`;
      if (code !== undefined) return `<code>${inlineHtml(code)}</code>`;
      if (label !== undefined) return anchor(inlineHtml(label), url);
      if (br !== undefined) return '<br>';
      if (entity !== undefined) return entity;
      return HTML_ENTITIES[special!]!;
    },
  );
}

/** Splits a table row on the pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

function alignments(delimiter: string): string[] {
  return cells(delimiter).map((c) =>
    c.startsWith(':') && c.endsWith(':') ? 'c' : c.endsWith(':') ? 'r' : '',
  );
}

function tableHtml(lines: readonly string[]): string {
  const [header, delimiter, ...rows] = lines;
  const align = alignments(delimiter ?? '');
  const cell = (tag: 'th' | 'td', text: string, i: number) =>
    `<${tag}${align[i] ? ` class="${align[i]}"` : ''}>${inlineHtml(text)}</${tag}>`;
  const head = cells(header ?? '')
    .map((c, i) => cell('th', c, i))
    .join('');
  const body = rows.map(
    (r) =>
      `<tr>${cells(r)
        .map((c, i) => cell('td', c, i))
        .join('')}</tr>`,
  );
  return `<div class="table"><table><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

type Block =
  | { kind: 'table' | 'list' | 'para'; lines: string[] }
  | { kind: 'heading'; text: string; level: number };

function blocksOf(md: string): Block[] {
  const blocks: Block[] = [];
  for (const line of md.split('\n')) {
    const last = blocks.at(-1);
    const heading = /^(#{1,6}) (.*)$/.exec(line);
    const kind = line.startsWith('|') ? 'table' : line.startsWith('- ') ? 'list' : 'para';
    if (line.trim() === '') blocks.push({ kind: 'para', lines: [] });
    else if (heading)
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
    else if (last && last.kind === kind && 'lines' in last) last.lines.push(line);
    else blocks.push({ kind, lines: [line] });
  }
  return blocks;
}

/**
 * A block of our markdown as HTML. Headings move down by `shift` levels (a comment's `###` is a
 * section of the page, not its title).
 */
export function markdownHtml(md: string, shift = 0): string {
  return blocksOf(md)
    .map((b) => {
      if (b.kind === 'heading') {
        const level = Math.min(6, Math.max(1, b.level + shift));
        return `<h${level}>${inlineHtml(b.text)}</h${level}>`;
      }
      if (b.lines.length === 0) return '';
      if (b.kind === 'table') return tableHtml(b.lines);
      if (b.kind === 'list')
        return `<ul>${b.lines.map((l) => `<li>${inlineHtml(l.slice(2))}</li>`).join('')}</ul>`;
      return `<p>${b.lines.map(inlineHtml).join(' ')}</p>`;
    })
    .filter((h) => h !== '')
    .join('\n');
}
