// Escaping for text we did not write: prompts, ids and file names, judge replies, model names.
// Everything such text can do on GitHub is neutralised here, in one place:
// - HTML: `<`, `>`, `&`, quotes become entities, so `<script>`, `</details>` and `-->` (which could
//   close our marker comment) stay text;
// - markdown: punctuation that starts emphasis, code, links, tables or math is backslash-escaped;
//   line breaks become `<br>` so a value can never start a heading, list or fence, or split a row;
// - notifications: GitHub finds @mentions and #123 references in the *rendered* text, after
//   entities are decoded, so `&#64;` would still ping. A zero-width space after `@` / `#` breaks
//   the pattern and is invisible. (Backtick-wrapping also works, but needs the text's own
//   backticks escaped and renders as code; the ZWSP keeps prose readable.)
// - cross-references: a github.com issue URL in a comment adds a backlink on that issue, so `://`
//   is broken the same way;
// - autolinks: GitHub also links bare `www.<domain>` text; a zero-width space after `www` stops it;
// - bidi controls (overrides, embeddings, isolates and the marks U+200E, U+200F, U+061C) and the
//   other control characters are removed: they reorder or hide text (Trojan Source).
//
// Two contexts need two functions: inside raw HTML (`<summary>`, attributes) backslashes are shown
// literally, so only HTML escaping applies there; in markdown both apply.

const ZWSP = '\u200b';

export const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Markdown punctuation that can start inline syntax; `$` is GitHub's math delimiter. */
const MARKDOWN_SPECIAL = /[\\`*_[\]~|$!]/g;

/** What would open a block (heading, quote, list, setext underline) at the start of a line. */
const LINE_START = /^(\d*)([-+=#>]|(?<=\d)[.)])/;

/** C0/C1 controls except tab and newlines, and every bidi control: the ALM, LRM and RLM marks,
 * embeddings, overrides and isolates. */
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function neutraliseNotifications(s: string): string {
  return s
    .replace(/@(?=[\p{L}\p{N}_-])/gu, `@${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/\b(GH-)(?=\d)/gi, `$1${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\b(www)\./gi, `$1${ZWSP}.`);
}

function stripControls(s: string): string {
  return s.replace(CONTROL, '');
}

/** Text for an HTML context (`<summary>`, attribute values): no markdown is parsed there. */
export function escapeHtml(s: string): string {
  const clean = neutraliseNotifications(stripControls(s));
  return clean.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!).replace(/\r\n?|\n/g, ' ');
}

/** Text for a markdown context, including table cells: one line, no active syntax. */
export function escapeMarkdown(s: string): string {
  const clean = neutraliseNotifications(stripControls(s));
  return clean
    .replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!)
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .split(/\r\n?|\n/)
    .map((line) => line.trim())
    .join('<br>')
    .replace(/(<br>){3,}/g, '<br><br>')
    .replace(LINE_START, '$1\\$2');
}

/** Text for SVG/XML or Pango markup (labels drawn into images). */
export function escapeXml(s: string): string {
  return stripControls(s).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/** Shortens `s` to at most `max` code points (an ellipsis included), before escaping, so an entity
 * is never cut in half. Surrounding whitespace is trimmed. */
export function truncate(s: string, max: number): string {
  const trimmed = s.trim();
  const points = Array.from(trimmed);
  if (points.length <= max) return trimmed;
  return `${points
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}…`;
}

/** A link target we are willing to print: http(s) only, with characters that would end a
 * markdown destination percent-encoded. Anything else yields undefined. */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.href.replace(/[()<>"' ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
