// The per-sample scores as a simple CSV (pure), keyed like upstream's released ratings so that a
// user can join ours with the paper's per-sample GPT or human scores: one row per planned sample,
// in plan order; CP and PF on the judge's 0-4 scale (the mean over repeats, so fractional under
// `expected` scoring), empty where the metric was not scored (results.json says why).

export const SCORES_CSV_HEADER = ['upstream_key', 'category', 'prompt_class', 'cp', 'pf'] as const;

interface CsvSample {
  readonly id: string;
  readonly upstreamKey?: string;
  readonly category: string;
  readonly promptClass: string;
}

interface CsvRecord {
  readonly id: string;
  readonly cp: { readonly score: number | null };
  readonly pf: { readonly score: number | null };
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function score(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : String(Number(v.toFixed(4)));
}

export function scoresCsv(samples: readonly CsvSample[], records: readonly CsvRecord[]): string {
  const byId = new Map(records.map((r) => [r.id, r]));
  const rows = samples.map((s) => {
    const r = byId.get(s.id);
    // A sample of an older file (schema 1 or 2) has no upstream key: our id stands in, so no row goes without a key.
    return [
      s.upstreamKey ?? s.id,
      s.category,
      s.promptClass,
      score(r?.cp.score),
      score(r?.pf.score),
    ];
  });
  return [SCORES_CSV_HEADER, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
