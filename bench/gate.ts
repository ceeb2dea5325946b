// Operating characteristics of the gate, measured on simulated DreamBench++-like PRs (the
// calibrated score model of test/compare/score-model.ts): false alarms, detection of true CP drops,
// the reported MDE and the power at it, failures on both sides, and interval/verdict agreement,
// for the designs of METHOD.md with expected and sampled scores. Prints METHOD.md's table, then
// each issue-11 target as measured / target. `node bench/gate.ts [runs]` (default 2000 per cell).
import { gate, type Gate } from '../src/compare/index.ts';
import { holmAdjust } from '../src/compare/holm.ts';
import { DESIGNS, operate, simulatedRun, type Scenario } from '../test/compare/operating.ts';
import type { Scoring } from '../test/compare/score-model.ts';

const RUNS = Number(process.argv[2] ?? 2000);
/** False alarms at tolerance 0 sit at the 5% target by construction: measured on more PRs. */
const RUNS_AT_ALPHA = Math.max(RUNS, 5000);
const TOLERANCE = 0.02;
const SEEDS = { null: 1, drop: 500_000, mde: 900_000 };

/** The gate before issue 11: two-sided p-values into Holm, a direction and the tolerance after. */
function beforeVerdict(g: Gate, tolerance: number): boolean {
  const twoSided = [g.cp, g.pf].map((m) =>
    Math.min(1, 2 * Math.min(m.p.regression, m.p.improvement)),
  );
  const adjusted = holmAdjust(twoSided);
  return [g.cp, g.pf].some((m, i) => adjusted[i]! < 0.05 && m.delta < -tolerance);
}

/** Detection rate of the old gate, which also dropped the PR's broken samples instead of counting them. */
function before(s: Scenario): number {
  let fires = 0;
  for (let run = 0; run < s.runs; run++) {
    const { base, pr } = simulatedRun(s, run);
    const kept = pr.filter((x) => x.failedAs === undefined);
    if (beforeVerdict(gate(base, kept, { confidence: 0.95, tolerance: s.tolerance }), s.tolerance))
      fires++;
  }
  return fires / s.runs;
}

const pct = (v: number, digits = 1) => `${(100 * v).toFixed(digits)}%`;
/** The false-alarm rate of one-sided Holm over two independent metrics: 1 - (1 - alpha/2)^2. */
const EXACT = 1 - (1 - 0.05 / 2) ** 2;
const se = (p: number, n: number) => Math.sqrt((p * (1 - p)) / n);
/** Mean and SE of the per-PR difference of two scenarios run on the same simulated PRs. */
function pairedDifference(a: readonly boolean[], b: readonly boolean[]) {
  const d = a.map((x, i) => Number(x) - Number(b[i]));
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  const variance = d.reduce((s, x) => s + (x - mean) ** 2, 0) / (d.length - 1);
  return { mean, se: Math.sqrt(variance / d.length) };
}
const rows: string[] = [];
const pooled = { plain: [] as boolean[], refusals: [] as boolean[] };
const targets: { what: string; measured: number; target: string; ok: boolean }[] = [];
const target = (what: string, measured: number, lo: number, hi = Infinity) =>
  targets.push({
    what,
    measured,
    target: hi === Infinity ? `>= ${lo}` : lo === -Infinity ? `<= ${hi}` : `${lo}-${hi}`,
    ok: measured >= lo && measured <= hi,
  });

const started = performance.now();
for (const [name, design] of Object.entries(DESIGNS)) {
  for (const scoring of ['expected', 'sampled'] as Scoring[]) {
    const cell = (over: Partial<Scenario>) =>
      operate({ design, scoring, tolerance: TOLERANCE, runs: RUNS, seed: SEEDS.null, ...over });
    const fa = cell({});
    const fa0 = cell({ tolerance: 0, runs: RUNS_AT_ALPHA });
    const refusals = cell({ tolerance: 0, refusals: 0.05, runs: RUNS_AT_ALPHA });
    pooled.plain.push(...fa0.regressed);
    pooled.refusals.push(...refusals.regressed);
    const drops = [0.02, 0.05, 0.1].map((cpDrop) => cell({ cpDrop, seed: SEEDS.drop }));
    const atMde = cell({ cpDrop: fa.cpMde, seed: SEEDS.mde });
    const broken = cell({ cpDrop: 0.05, prBroken: 0.1, seed: SEEDS.drop });
    const disagreements = [fa, fa0, refusals, ...drops, atMde, broken].reduce(
      (n, o) => n + o.disagreements,
      0,
    );
    rows.push(
      `| ${name.replace('x', ' × ')} | ${scoring} | ${pct(fa.regression)} | ${pct(fa0.regression)} | ` +
        `${pct(refusals.regression)} | ${drops.map((d) => d.regression.toFixed(2)).join(' | ')} | ` +
        `${fa.cpMde.toFixed(3)} | ${atMde.regression.toFixed(2)} | ${broken.regression.toFixed(2)} |`,
    );
    target(`${name} ${scoring}: false alarms`, fa.regression, -Infinity, 0.05);
    target(`${name} ${scoring}: false alarms, tolerance 0, at least`, fa0.regression, 0.035);
    // The exact rate is 4.94%: an estimate may pass 5.0% by Monte Carlo error alone.
    const margin = 2 * se(EXACT, RUNS_AT_ALPHA);
    target(
      `${name} ${scoring}: false alarms, tolerance 0, at most 5.0% (or within 2 SE = ${pct(margin)} of the exact ${pct(EXACT, 2)})`,
      fa0.regression,
      -Infinity,
      Math.max(0.05, EXACT + margin),
    );
    const extra = pairedDifference(refusals.regressed, fa0.regressed);
    target(
      `${name} ${scoring}: extra false alarms with 5% refusals on both sides (same PRs), at most 2 SE = ${pct(2 * extra.se)}`,
      extra.mean,
      -Infinity,
      2 * extra.se,
    );
    target(`${name} ${scoring}: interval/verdict disagreements`, disagreements, 0, 0);
    if (name === '150x1') {
      target(
        `150x1 ${scoring}: detection of a 0.05 CP drop`,
        drops[1]!.regression,
        scoring === 'expected' ? 0.95 : 0.6,
      );
      const old = before({
        design,
        scoring,
        tolerance: TOLERANCE,
        cpDrop: 0.05,
        runs: RUNS,
        seed: SEEDS.drop,
      });
      console.log(
        `150x1 ${scoring}: a 0.05 CP drop, before issue 11 ${old.toFixed(3)}, now ${drops[1]!.regression.toFixed(3)}`,
      );
    }
    if (name === '17x9')
      target(`17x9 ${scoring}: power at the reported MDE`, atMde.regression, 0.78, 0.85);
    if (name === '50x3') {
      const oldBroken = before({
        design,
        scoring,
        tolerance: TOLERANCE,
        cpDrop: 0.05,
        prBroken: 0.1,
        runs: RUNS,
        seed: SEEDS.drop,
      });
      console.log(
        `50x3 ${scoring}: a 0.05 CP drop with the PR's worst 10% broken, before ${oldBroken.toFixed(3)} (broken samples dropped), now ${broken.regression.toFixed(3)}`,
      );
    }
    console.log(
      `  ${name} ${scoring} done (${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
  }
}

console.log(`\nOperating characteristics, tolerance ${TOLERANCE} unless said, confidence 0.95:\n`);
console.log(
  "| design (images × prompts) | scores | false alarms | false alarms, tolerance 0 | same, 5% refusals both sides | detects 0.02 drop | 0.05 | 0.10 | reported CP MDE | detects a drop of that MDE | 0.05 drop, PR's worst 10% broken |",
);
console.log('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
for (const r of rows) console.log(r);
const rate = (xs: readonly boolean[]) => xs.filter(Boolean).length / xs.length;
const all = pooled.plain.length;
const extra = pairedDifference(pooled.refusals, pooled.plain);
console.log(
  `\nFalse alarms at tolerance 0, pooled over the ${all} PRs of all cells: ${pct(rate(pooled.plain))} ` +
    `(± ${pct(2 * se(rate(pooled.plain), all))}; exact ${pct(EXACT, 2)}); with 5% refusals on both sides ` +
    `${pct(rate(pooled.refusals))}, a difference of ${pct(extra.mean)} ± ${pct(2 * extra.se)}.`,
);
console.log(
  `Cells of tolerance-0 false alarms: ${RUNS_AT_ALPHA} PRs each; the other cells ${RUNS} PRs.`,
);
console.log('\nTargets (issue 11): measured / target');
for (const t of targets)
  console.log(`${t.ok ? 'ok  ' : 'MISS'} ${t.what}: ${t.measured.toFixed(4)} (target ${t.target})`);
const missed = targets.filter((t) => !t.ok).length;
console.log(`\n${targets.length - missed} of ${targets.length} targets met`);
process.exitCode = missed > 0 ? 1 : 0;
