import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  escapeMarkdown,
  escapeXml,
  safeUrl,
  truncate,
} from '../../src/report/escape.ts';

// What GitHub would act on in rendered text: a mention, an issue reference, a github URL.
const MENTION = /@[A-Za-z0-9]/;
const ISSUE_REF = /#\d/;
const UNESCAPED = (c: string) => new RegExp(`(?<!\\\\)\\${c}`);

describe('escapeMarkdown', () => {
  const cases: { name: string; input: string; mustNot: RegExp[]; mustContain?: string[] }[] = [
    {
      name: 'script tag',
      input: '<script>alert(1)</script>',
      mustNot: [/<script/i, /<\/script/i],
      mustContain: ['&lt;script&gt;'],
    },
    {
      name: 'closing details',
      input: 'x </details><details open> y',
      mustNot: [/<\/details>/, /<details/],
    },
    {
      name: 'comment close',
      input: 'end --> <!-- dreambench-action:default -->',
      mustNot: [/-->/, /<!--/],
    },
    { name: 'table pipe', input: 'a | b || c', mustNot: [UNESCAPED('|')] },
    { name: 'mention', input: 'thanks @octocat and @github/security-team', mustNot: [MENTION] },
    { name: 'issue reference', input: 'fixes #123 and GH-45', mustNot: [ISSUE_REF, /GH-\d/] },
    { name: 'github url', input: 'see https://github.com/o/r/issues/1', mustNot: [/:\/\//] },
    { name: 'backticks', input: '```js\ncode``` and `x`', mustNot: [UNESCAPED('`'), /\n/] },
    {
      name: 'emphasis and links',
      input: '**bold** _it_ [x](javascript:alert(1)) ![i](u)',
      mustNot: [UNESCAPED('*'), UNESCAPED('_'), UNESCAPED('['), /(?<!\\)!\\?\[/],
    },
    { name: 'math', input: 'costs $5 and $x^2$', mustNot: [UNESCAPED('$')] },
    {
      name: 'line breaks',
      input: 'line one\r\nline two\n\n\n\n\nline three',
      mustNot: [/[\r\n]/, /(<br>){3}/],
      mustContain: ['line one<br>line two<br><br>line three'],
    },
    { name: 'heading at start', input: '# Title', mustNot: [/^#/], mustContain: ['\\# Title'] },
    { name: 'list at start', input: '1. first', mustNot: [/^1\./], mustContain: ['1\\. first'] },
    { name: 'bullet at start', input: '- item', mustNot: [/^-/] },
    { name: 'bidi override', input: 'abc\u202Edcba\u0007', mustNot: [/[\u202e\u0007]/] },
    {
      // Marks and isolates reorder text just as overrides do (Trojan Source, CVE-2021-42574).
      name: 'bidi marks and isolates',
      input: 'a\u200Fb\u061Cc\u200Ed\u2067e\u2069f',
      mustNot: [/[\u061c\u200e\u200f\u2066-\u2069]/],
      mustContain: ['abcdef'],
    },
    {
      // GitHub autolinks www.<domain> in text, as it does URLs.
      name: 'www autolink',
      input: 'visit www.evil.example or WWW.Evil.Example',
      mustNot: [/\bwww\./i],
    },
    {
      name: 'quotes and ampersand',
      input: `"a" & 'b'`,
      mustNot: [/["']/, /& /],
      mustContain: ['&quot;a&quot; &amp; &#39;b&#39;'],
    },
  ];
  for (const c of cases)
    it(`neutralises ${c.name}`, () => {
      const out = escapeMarkdown(c.input);
      for (const re of c.mustNot) expect(out).not.toMatch(re);
      for (const s of c.mustContain ?? []) expect(out).toContain(s);
    });

  it('keeps the visible text (only invisible or escape characters added)', () => {
    const input = 'a @user fixed #12 | see `code` *now*';
    const visible = escapeMarkdown(input)
      .replace(/\u200b/g, '')
      .replace(/\\(.)/g, '$1');
    expect(visible).toBe(input);
  });
});

describe('escapeHtml (summary lines, no markdown parsed)', () => {
  it('escapes HTML but adds no backslashes, which would show literally', () => {
    expect(escapeHtml('a_b *c* </summary>')).toBe('a_b *c* &lt;/summary&gt;');
  });
  it('removes bidi marks and breaks www autolinks', () => {
    const out = escapeHtml('x\u200Fy www.evil.example');
    expect(out).not.toMatch(/[\u200f]|www\./);
    expect(out.replace(/\u200b/g, '')).toBe('xy www.evil.example');
  });
  it('breaks mentions and references and flattens lines', () => {
    const out = escapeHtml('@octocat\n#9');
    expect(out).not.toMatch(MENTION);
    expect(out).not.toMatch(ISSUE_REF);
    expect(out).not.toContain('\n');
  });
});

describe('escapeXml', () => {
  it('drops bidi marks from labels drawn into images', () => {
    expect(escapeXml('a\u200Fb\u061Cc')).toBe('abc');
  });
  it('escapes markup for Pango and SVG', () => {
    expect(escapeXml(`<b>"x" & 'y'</b>`)).toBe(
      '&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;',
    );
  });
});

describe('truncate', () => {
  it('keeps short text and trims whitespace', () => {
    expect(truncate('  hello  ', 10)).toBe('hello');
  });
  it('cuts to at most max code points with an ellipsis, never inside a surrogate pair', () => {
    const out = truncate('😀'.repeat(20), 5);
    expect(Array.from(out)).toHaveLength(5);
    expect(out).toBe('😀😀😀😀…');
  });
  it('cuts before escaping so an entity is never split', () => {
    const out = escapeMarkdown(truncate('<<<<<<<<<<', 4));
    expect(out).toBe('&lt;&lt;&lt;…');
  });
});

describe('safeUrl', () => {
  it.each([
    ['javascript:alert(1)', undefined],
    ['not a url', undefined],
    ['', undefined],
    [undefined, undefined],
    ['https://github.com/o/r/actions/runs/1', 'https://github.com/o/r/actions/runs/1'],
    ['https://x.test/a b)(c', 'https://x.test/a%20b%29%28c'],
  ])('%s → %s', (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });
});
