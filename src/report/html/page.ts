// The page around the report: a content policy that allows no request at all (images are data:
// URIs, styles inline, no script), a viewport for phones, and one stylesheet that keeps every
// line within 800 px: wide tables scroll inside their own box, long words wrap.

/** Nothing may be fetched: not a font, a stylesheet, a script or a remote image. */
export const CONTENT_POLICY =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const CSS = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--card:#f6f8fa;--line:#d1d9e0;
--neg:#cf222e;--pos:#1a7f37;--accent:#0969da;--on-accent:#fff}
@media (prefers-color-scheme:dark){:root{--fg:#f0f6fc;--muted:#9198a1;--bg:#0d1117;--card:#151b23;
--line:#3d444d;--neg:#ff7b72;--pos:#3fb950;--accent:#4493f8;--on-accent:#0d1117}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif}
header,main,footer{max-width:1000px;margin:0 auto;padding:0 16px}
h1{font-size:1.5rem;margin:16px 0 4px}h2{font-size:1.25rem;margin:28px 0 8px;
border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:1rem;margin:0 0 2px}
h4{font-size:.85rem;margin:10px 0 2px;color:var(--muted)}
p{margin:6px 0}a{color:var(--accent)}code{font-size:.9em;overflow-wrap:anywhere}
.muted,figcaption,.n{color:var(--muted)}.n{font-size:.85em}
nav a{margin-right:12px;white-space:nowrap}
.table{max-width:100%;overflow-x:auto;margin:8px 0}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:.9rem}
th,td{border:1px solid var(--line);padding:3px 7px;vertical-align:top;text-align:left}
.r{text-align:right}.c{text-align:center}
.neg{color:var(--neg);font-weight:600}.pos{color:var(--pos);font-weight:600}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap;border:0}
.filterable{display:flex;flex-direction:column;counter-reset:shown}
.filters{order:1;display:flex;flex-wrap:wrap;gap:4px 16px}.shown{order:2}.cards{order:3}
fieldset{border:0;margin:0;padding:0;min-width:0}legend{font-size:.85em;color:var(--muted);padding:0}
.filters label{display:inline-block;margin:2px 4px 2px 0;padding:1px 10px;border:1px solid var(--line);
border-radius:999px;cursor:pointer;user-select:none}
.filters label .n{color:inherit;opacity:.85}
.shown::before{content:"Showing " counter(shown)}
.cards{list-style:none;margin:8px 0;padding:0;display:grid;gap:14px}
.card{counter-increment:shown;min-width:0;padding:12px;border:1px solid var(--line);border-radius:8px;
background:var(--card)}
.prompt{font-style:italic;overflow-wrap:anywhere}
.images{display:grid;grid-template-columns:repeat(3,minmax(0,256px));gap:8px;margin:8px 0}
.images.two{grid-template-columns:repeat(2,minmax(0,256px))}
figure{margin:0;min-width:0}
img{display:block;width:100%;height:auto;border-radius:4px;background:#fff}
.noimg{aspect-ratio:1;display:flex;align-items:center;justify-content:center;padding:4px;
border:1px dashed var(--line);border-radius:4px;color:var(--muted);font-size:.8rem;text-align:center}
.scores td,.scores th{min-width:3.2em}
.said{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:0 16px}
.said>div{min-width:0}
.reply{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.failure{color:var(--neg);overflow-wrap:anywhere}
summary{cursor:pointer;margin-top:6px}
.trend{width:100%;max-width:720px;height:auto}
.trend text{font-size:12px;fill:var(--muted)}.trend .grid{stroke:var(--line)}
footer{margin:32px auto;color:var(--muted);font-size:.85rem}
`;

export function page(title: string, css: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${title}</title>`,
    `<style>${CSS}${css}</style>`,
    '</head>',
    `<body>${body}</body>`,
    '</html>',
    '',
  ].join('\n');
}
