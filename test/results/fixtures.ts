// Small, hand-made results for the results and pipeline unit tests.
import { RESULTS_SCHEMA_VERSION } from '../../src/constants.ts';
import { dreamBenchPlusPromptClass } from '../../src/plan/concept-naming.ts';
import type { ResultsFile } from '../../src/results/schema.ts';
import { emptyStats, type JudgeRecord, type ScoreStats } from '../../src/score/score-samples.ts';
import type { Category, Fingerprint } from '../../src/types.ts';
import { FINGERPRINT } from '../report/fixtures.ts';

export { FINGERPRINT };

export function stats(over: Partial<ScoreStats> = {}): ScoreStats {
  return { ...emptyStats(0), ...over };
}

export interface SampleSpec {
  readonly concept: string;
  readonly category?: Category;
  readonly promptIndex: number;
  readonly cp: number | null;
  readonly pf: number | null;
}

const classOf = dreamBenchPlusPromptClass;

export function record(s: SampleSpec): JudgeRecord {
  const metric = (m: 'cp' | 'pf', score: number | null) => ({
    metric: m,
    template: m === 'cp' ? ('subject' as const) : ('text' as const),
    judgments: [],
    score,
    scoring: score === null ? null : ('sampled' as const),
  });
  return {
    id: `${s.concept}-p${s.promptIndex}`,
    concept: s.concept,
    category: s.category ?? 'object',
    promptClass: classOf(s.promptIndex),
    promptIndex: s.promptIndex,
    imageSha256: null,
    referenceSha256: null,
    cp: metric('cp', s.cp),
    pf: metric('pf', s.pf),
    scored: s.cp !== null && s.pf !== null,
    costUsd: 0,
    errors: [],
  };
}

export function results(
  specs: readonly SampleSpec[],
  over: {
    shard?: { index: number; count: number } | null;
    fingerprint?: Fingerprint;
    costUsd?: number;
  } = {},
): ResultsFile {
  const records = specs.map(record);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    generator: { name: 'dreambench-action', version: '0.0.0' },
    createdAt: '2026-11-25T03:00:00.000Z',
    run: {
      repository: 'octo-org/octo-repo',
      runId: 1,
      runAttempt: 1,
      workflow: 'DreamBench',
      eventName: 'push',
      ref: 'refs/heads/main',
      sha: 'c'.repeat(40),
      prNumber: null,
      url: 'https://github.com/octo-org/octo-repo/actions/runs/1',
      mode: 'baseline',
      shard: over.shard ?? null,
    },
    fingerprint: over.fingerprint ?? FINGERPRINT,
    summary: {
      planned: specs.length,
      scored: 0,
      failed: 0,
      cp: null,
      pf: null,
      cpPf: null,
      costUsd: 0,
    },
    judge: {
      model: 'gpt-4o-2024-08-06',
      scoring: 'expected',
      repeats: 1,
      stats: stats({ samples: specs.length, costUsd: over.costUsd ?? 0, calls: 2 * specs.length }),
    },
    samples: records.map((r) => ({
      id: r.id,
      concept: r.concept,
      category: r.category,
      subject: 'teapot',
      promptIndex: r.promptIndex,
      promptClass: r.promptClass,
      prompt: `prompt ${r.promptIndex}`,
      seed: 1,
    })),
    records,
    failures: records
      .filter((r) => !r.scored)
      .map((r) => ({ id: r.id, stage: 'judge', kind: 'unparseable', reason: 'no score' })),
    history: [],
  };
}
