// Assembles results.json from what the stages produced. Pure: the clock's reading is passed in.
import { comparisonRecord, type Aggregate } from '../compare/index.ts';
import { RESULTS_SCHEMA_VERSION } from '../constants.ts';
import type { ComparisonView, HistoryPoint } from '../report/model.ts';
import type { JudgeRecord, ScoreStats } from '../score/score-samples.ts';
import type { Fingerprint, Sample, SampleFailure } from '../types.ts';
import type {
  PlannedSample,
  ResultsComparison,
  ResultsFile,
  ResultsRecord,
  RunInfo,
} from './schema.ts';

export interface ResultsParts {
  readonly version: string;
  readonly createdAt: string;
  readonly run: RunInfo;
  readonly fingerprint: Fingerprint;
  readonly samples: readonly PlannedSample[];
  readonly records: readonly JudgeRecord[];
  readonly stats: ScoreStats;
  /** Every planned sample without both scores, in plan order (generation and judge failures). */
  readonly failures: readonly SampleFailure[];
  readonly aggregate: Aggregate;
  readonly history: readonly HistoryPoint[];
  /** The comparison with the baseline, or why there was none. */
  readonly comparison: ComparisonView;
}

/** The comparison as results.json records it. */
export function resultsComparison(view: ComparisonView): ResultsComparison {
  if (view.kind === 'none') return { status: 'none', reason: view.reason };
  const baseline = { runId: view.baseline.runId, sha: view.baseline.sha };
  if (view.kind === 'incompatible') {
    const why = view.notRejudged;
    return {
      status: 'incompatible',
      baseline,
      differences: view.differences,
      ...(why ? { notRejudged: why } : {}),
    };
  }
  const r = view.rejudged;
  const rejudged = r && {
    differences: r.differences,
    judged: r.judged,
    scored: r.scored,
    leftOut: r.leftOut.count,
    calls: r.calls,
    cacheHits: r.cacheHits,
    costUsd: r.costUsd,
    served: r.served,
  };
  return {
    status: 'compared',
    baseline,
    ...(rejudged ? { rejudged } : {}),
    ...comparisonRecord(view.comparison),
  };
}

export function plannedSample(s: Sample): PlannedSample {
  return {
    id: s.id,
    concept: s.concept,
    upstreamKey: s.upstreamKey,
    category: s.category,
    subject: s.subject,
    promptIndex: s.promptIndex,
    promptClass: s.promptClass,
    prompt: s.prompt,
    seed: s.seed,
  };
}

/** Failures in plan order, so the report lists them as the sample was planned. */
export function orderFailures(
  samples: readonly { id: string }[],
  failures: readonly SampleFailure[],
): SampleFailure[] {
  const order = new Map(samples.map((s, i) => [s.id, i]));
  return [...failures].sort(
    (a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity),
  );
}

/**
 * The failures, plus one for any planned sample that ended neither scored nor failed. That should
 * never happen; if it does, the sample is still listed rather than silently lost.
 */
function withUnaccounted(p: ResultsParts): SampleFailure[] {
  const scored = new Set(p.records.filter((r) => r.scored).map((r) => r.id));
  const failed = new Set(p.failures.map((f) => f.id));
  const lost = p.samples
    .filter((s) => !scored.has(s.id) && !failed.has(s.id))
    .map((s): SampleFailure => ({
      id: s.id,
      stage: 'judge',
      kind: 'unaccounted',
      reason:
        'the sample ended with neither scores nor a recorded failure (a bug: please report it)',
    }));
  return lost.length === 0 ? [...p.failures] : orderFailures(p.samples, [...p.failures, ...lost]);
}

/** Each record with its sample's upstream key next to its id, so users can join on it. */
function withUpstreamKeys(
  records: readonly JudgeRecord[],
  samples: readonly PlannedSample[],
): ResultsRecord[] {
  const keys = new Map(samples.map((s) => [s.id, s.upstreamKey]));
  return records.map(({ id, ...rest }) => {
    const upstreamKey = keys.get(id);
    return upstreamKey === undefined ? { id, ...rest } : { id, upstreamKey, ...rest };
  });
}

export function buildResultsFile(p: ResultsParts): ResultsFile {
  const failures = withUnaccounted(p);
  const overall = p.aggregate.overall;
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    generator: { name: 'dreambench-action', version: p.version },
    createdAt: p.createdAt,
    run: p.run,
    fingerprint: p.fingerprint,
    summary: {
      planned: p.samples.length,
      scored: p.records.filter((r) => r.scored).length,
      failed: failures.length,
      counted: p.aggregate.counted,
      cp: overall.cp,
      pf: overall.pf,
      cpPf: overall.cpPf,
      costUsd: p.stats.costUsd,
    },
    // From the fingerprint: a merge job's own inputs may not be those its shards judged with.
    judge: {
      model: p.fingerprint.judgeModel,
      scoring: p.fingerprint.judgeScoring,
      repeats: p.fingerprint.judgeRepeats,
      stats: p.stats,
    },
    samples: p.samples,
    records: withUpstreamKeys(p.records, p.samples),
    failures,
    history: p.history,
    comparison: resultsComparison(p.comparison),
  };
}
