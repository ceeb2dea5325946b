// Markdown building blocks. Every argument here is already-safe text: callers escape what came
// from outside (escape.ts) before it reaches a table, a summary line or a link label.
import { markdownTable } from 'markdown-table';
import { safeUrl } from './escape.ts';

/** A GFM table; delimiters are not padded to align, which would spend the comment's budget on
 * spaces. `align` is one letter per column (`l`, `r`, `c`). */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align = '',
): string {
  return markdownTable([header, ...rows], {
    alignDelimiters: false,
    align: align === '' ? null : [...align],
  });
}

/** A collapsible section. `summary` is HTML context: pass escapeHtml'd text. */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body.trim()}\n\n</details>`;
}

/** A markdown link, or the bare label when the URL is missing or not http(s). */
export function link(label: string, url: string | undefined): string {
  const href = safeUrl(url);
  return href === undefined ? label : `[${label}](${href})`;
}

export function heading(level: 2 | 3 | 4, text: string): string {
  return `${'#'.repeat(level)} ${text}`;
}

/** Joins blocks with blank lines, skipping empty ones. */
export function blocks(...parts: readonly (string | undefined)[]): string {
  return parts.filter((p): p is string => p !== undefined && p.trim() !== '').join('\n\n');
}
