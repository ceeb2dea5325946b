// Realistic report inputs: a real Comparison and AbsoluteReport computed by src/compare from
// seeded synthetic DreamBench++-like scores, plus prompts, judge replies and failures.
import { absoluteReport, compare, fingerprintDiff } from '../../src/compare/index.ts';
import type { ReportSample } from '../../src/report/html/model.ts';
import type { HistoryPoint, ReportInput, SampleView } from '../../src/report/model.ts';
import type { Fingerprint, SampleFailure, ScoredSample } from '../../src/types.ts';
import { DREAMBENCH_LIKE, simulatePair } from '../compare/score-model.ts';

export const FINGERPRINT: Fingerprint = {
  dataset: 'dreambench-plus',
  datasetRevision: 'main',
  datasetSha256: 'a'.repeat(64),
  sampleSeed: 0,
  samples: 150,
  categories: [],
  judgeModel: 'gpt-4o-2024-08-06',
  judgeScoring: 'expected',
  judgeRepeats: 1,
  templatesSha256: 'b'.repeat(64),
  imageSize: 512,
  judgeServed: ['gpt-4o-2024-08-06'],
  judgeEndpoint: 'openai',
  judgeTemperature: 1,
  judgeOutputTokens: { cp: 64, pf: 400 },
  finalTurn: 'labelled',
  imagePreparation: { version: 1, fit: 'contain', quality: 90 },
};

export interface FixtureOptions {
  readonly kind?: 'compared' | 'incompatible' | 'none';
  readonly concepts?: number;
  readonly promptsPerConcept?: number;
  /** Latent shift of the PR on the 0-4 scale. */
  readonly shift?: { cp: number; pf: number };
  /** PR samples turned into failures (every n-th). */
  readonly failEvery?: number;
  readonly prompt?: (id: string) => string;
  readonly reply?: (id: string, side: 'base' | 'pr', metric: 'cp' | 'pf') => string;
  readonly reason?: (id: string) => string;
  readonly history?: readonly HistoryPoint[];
  readonly failOnRegression?: boolean;
  readonly mode?: 'check' | 'baseline';
  /** Seed of the simulated scores (seed 11 draws a PF regression along with a CP shift). */
  readonly seed?: number;
}

const KINDS = ['missing', 'unparseable', 'refused'] as const;

function failuresOf(pr: readonly ScoredSample[], every: number, reason: (id: string) => string) {
  const failures: SampleFailure[] = [];
  const kept: ScoredSample[] = [];
  pr.forEach((s, i) => {
    if (every > 0 && i % every === every - 1) {
      const kind = KINDS[failures.length % KINDS.length]!;
      failures.push({
        id: s.id,
        stage: kind === 'missing' ? 'generate' : 'judge',
        kind,
        reason: reason(s.id),
      });
    } else kept.push(s);
  });
  return { failures, kept };
}

function views(samples: readonly ScoredSample[], o: FixtureOptions): Map<string, SampleView> {
  const prompt = o.prompt ?? ((id: string) => `a photo of the subject of ${id} on a beach`);
  const reply = o.reply ?? ((id, side, m) => `${side} ${m} judgement of ${id}. Score: 3`);
  return new Map(
    samples.map((s) => [
      s.id,
      {
        prompt: prompt(s.id),
        cpReply: reply(s.id, 'pr', 'cp'),
        pfReply: reply(s.id, 'pr', 'pf'),
        baseCpReply: reply(s.id, 'base', 'cp'),
        basePfReply: reply(s.id, 'base', 'pf'),
      },
    ]),
  );
}

const STATS = { confidence: 0.95, seed: 7, iterations: 200 };

/** The simulated scores behind a fixture: both sides, and this run's failures. */
function simulated(o: FixtureOptions) {
  const design = { concepts: o.concepts ?? 50, promptsPerConcept: o.promptsPerConcept ?? 3 };
  const { base, pr } = simulatePair(
    DREAMBENCH_LIKE,
    design,
    o.shift ?? { cp: 0, pf: 0 },
    o.seed ?? 1,
  );
  const { failures, kept } = failuresOf(
    pr,
    o.failEvery ?? 0,
    o.reason ?? ((id) => `no image written for ${id}`),
  );
  return { base, pr, failures, kept };
}

/** The HTML report's samples for the same fixture: every planned sample, scores on both sides. */
export function reportSamplesOf(o: FixtureOptions = {}): ReportSample[] {
  const { base, pr, failures } = simulated(o);
  const baseById = new Map(base.map((b) => [b.id, b]));
  const failed = new Map(failures.map((f) => [f.id, f]));
  const prompt = o.prompt ?? ((id: string) => `a photo of the subject of ${id} on a beach`);
  const compared = (o.kind ?? 'compared') === 'compared';
  return pr.map((s) => {
    const b = baseById.get(s.id)!;
    const failure = failed.get(s.id);
    return {
      id: s.id,
      concept: s.concept,
      category: s.category,
      promptClass: s.promptClass,
      prompt: prompt(s.id),
      ...(failure ? { failure } : { pr: { cp: s.cp, pf: s.pf } }),
      ...(compared ? { base: { cp: b.cp, pf: b.pf } } : {}),
    };
  });
}

export function reportInput(o: FixtureOptions = {}): ReportInput {
  const { base, pr, failures, kept } = simulated(o);
  const absolute = absoluteReport(kept, failures.length, STATS);
  const kind = o.kind ?? 'compared';
  const baseline = {
    runId: 4242,
    runUrl: 'https://github.com/o/r/actions/runs/4242',
    sha: 'def5678'.padEnd(40, '0'),
    createdAt: '2025-01-01T00:00:00Z',
  };
  const comparison =
    kind === 'compared'
      ? ({
          kind,
          baseline,
          comparison: compare(base, kept, { ...STATS, tolerance: 0.02 }),
        } as const)
      : kind === 'incompatible'
        ? ({
            kind,
            baseline,
            differences: fingerprintDiff(
              { ...FINGERPRINT, judgeModel: 'gpt-4o-2024-05-13', imageSize: 1024 },
              FINGERPRINT,
            ),
          } as const)
        : ({ kind, reason: 'no successful baseline run on main' } as const);
  const verdict =
    kind === 'compared'
      ? comparison.kind === 'compared'
        ? comparison.comparison.verdict
        : 'pass'
      : 'no-baseline';
  return {
    commentId: 'default',
    mode: o.mode ?? 'check',
    verdict,
    gate: { failOnRegression: o.failOnRegression ?? true },
    absolute,
    comparison,
    planned: pr.length,
    failures,
    samples: views(pr, o),
    judge: {
      model: 'gpt-4o-2024-08-06',
      servedModels: ['gpt-4o-2024-08-06'],
      systemFingerprints: ['fp_abc123'],
      scoring: 'expected',
      scoringUsed: { expected: 290, sampled: 10 },
      repeats: 1,
      calls: 300,
      cacheHits: 120,
      cacheMisses: 180,
      costUsd: 1.2345,
      promptTokens: 1_234_567,
      cachedPromptTokens: 400_000,
      completionTokens: 54_321,
      refusalsByCategory: { human: 3 },
      budgetStopped: false,
      maxCostUsd: undefined,
    },
    fingerprint: FINGERPRINT,
    links: {
      run: 'https://github.com/o/r/actions/runs/99',
      artifact: 'https://github.com/o/r/actions/runs/99/artifacts/7',
    },
    history: o.history ?? [],
    sha: 'abc1234'.padEnd(40, '0'),
  };
}

/** Splits a markdown table row on pipes that are not backslash-escaped. */
export function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The table (header, delimiter and rows) that starts at the line beginning with `header`. */
export function tableAfter(text: string, header: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  if (start < 0) throw new Error(`no table starting with ${header}`);
  const rows: string[][] = [];
  for (let i = start; i < lines.length && lines[i]!.startsWith('|'); i++)
    rows.push(cells(lines[i]!));
  return rows;
}
