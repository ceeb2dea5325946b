// Judge records as the score stage ends them, for tests of what the statistics read from them.
import type { JudgeRecord } from '../../src/score/score-samples.ts';
import { record } from '../results/fixtures.ts';

/** One judgment that scored `value`, or failed with `kind`. */
export function judgment(value: number | null, kind?: string, repeat = 0) {
  return {
    repeat,
    sampled: value,
    expected: null,
    value,
    scoring: 'sampled' as const,
    reply: null,
    model: null,
    systemFingerprint: null,
    attempts: 1,
    latencyMs: 0,
    usage: { promptTokens: 0, cachedTokens: 0, completionTokens: 0 },
    costUsd: 0,
    cached: false,
    refusals: kind === 'refused' ? 1 : 0,
    error: kind ? { kind, reason: kind } : null,
  };
}

/** A record whose metrics had these judgments (value, or a failure kind), as score-samples ends it. */
export function judged(
  promptIndex: number,
  cp: (number | string)[],
  pf: (number | string)[],
): JudgeRecord {
  const metric = (m: 'cp' | 'pf', js: (number | string)[]) => {
    const judgments = js.map((j, repeat) =>
      typeof j === 'number' ? judgment(j, undefined, repeat) : judgment(null, j, repeat),
    );
    const ok = judgments.every((j) => j.value !== null);
    return {
      metric: m,
      template: m === 'cp' ? ('subject' as const) : ('text' as const),
      judgments,
      score: ok ? judgments.reduce((a, j) => a + j.value!, 0) / judgments.length : null,
      scoring: ok ? ('sampled' as const) : null,
    };
  };
  const r = record({ concept: 'object_01_mug', promptIndex, cp: null, pf: null });
  const out = { ...r, cp: metric('cp', cp), pf: metric('pf', pf) };
  return { ...out, scored: out.cp.score !== null && out.pf.score !== null };
}
