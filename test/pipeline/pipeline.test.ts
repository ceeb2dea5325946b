import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { absoluteReport } from '../../src/compare/index.ts';
import { parseConfig } from '../../src/config.ts';
import { comparisonView, type BaselineFound } from '../../src/pipeline/baseline.ts';
import { EventPayloadError, readRunContext } from '../../src/pipeline/context.ts';
import { gateFailure, healthFailure, outputsOf } from '../../src/pipeline/outputs.ts';
import { scoredSamplesOf } from '../../src/results/parse.ts';
import { inputDefaults } from '../harness/action-yml.ts';
import { tempDir } from '../harness/temp.ts';
import { pullRequestEvent, pushEvent, workflowRunEvent } from '../harness/events.ts';
import { FINGERPRINT, results, type SampleSpec } from '../results/fixtures.ts';

const config = parseConfig((name) => inputDefaults()[name] ?? '', '/ws');
const view = { runId: 1, runUrl: 'u', sha: 's', createdAt: 'c' };

/** 20 reference images x 3 prompts; `drop` lowers every CP score by that much (0-4 scale). */
function specs(drop = 0): SampleSpec[] {
  return Array.from({ length: 60 }, (_, i) => {
    const base = 2 + ((i * 7) % 3) - 1; // 1, 2, 3 in a fixed pattern
    return {
      concept: `object_${String(Math.floor(i / 3)).padStart(2, '0')}_x`,
      promptIndex: i % 3 === 0 ? 0 : i % 3 === 1 ? 4 : 7,
      cp: Math.max(0, base + 1 - drop),
      pf: base,
    };
  });
}

function baseline(s: SampleSpec[], fingerprint = FINGERPRINT): BaselineFound {
  return { results: results(s, { fingerprint }), dir: '/b', view };
}

describe('comparisonView', () => {
  const current = (s: SampleSpec[]) => ({
    fingerprint: FINGERPRINT,
    scored: scoredSamplesOf(results(s)),
  });

  it('passes a missing baseline through with its reason', () => {
    expect(comparisonView(config, { missing: 'no baseline yet' }, current(specs()))).toEqual({
      kind: 'none',
      reason: 'no baseline yet',
    });
  });

  it('names every fingerprint field that differs', () => {
    const other = { ...FINGERPRINT, judgeModel: 'gpt-4o-mini', imageSize: 768 };
    const v = comparisonView(config, baseline(specs(), other), current(specs()));
    expect(v.kind).toBe('incompatible');
    expect(v.kind === 'incompatible' && v.differences.map((d) => d.field)).toEqual([
      'judgeModel',
      'imageSize',
    ]);
  });

  it('compares like with like and finds a drop of one CP point on every sample', () => {
    const v = comparisonView(config, baseline(specs()), current(specs(1)));
    if (v.kind !== 'compared') throw new Error(`expected a comparison, got ${v.kind}`);
    expect(v.comparison.cp.delta).toBeCloseTo(-0.25, 12);
    expect(v.comparison.pf.delta).toBe(0);
    expect(v.comparison.verdict).toBe('regression');
    expect(v.comparison.pairing).toMatchObject({ paired: 60, pairedConcepts: 20 });
  });

  it('leaves out, and counts, baseline records that name a sample of this run as another one', () => {
    // Concept object_00_x is "style" in the baseline and "object" in this run: three records.
    const base = specs().map((x, i) => (i < 3 ? { ...x, category: 'style' as const } : x));
    const v = comparisonView(config, baseline(base), current(specs()));
    if (v.kind !== 'compared') throw new Error(`expected a comparison, got ${v.kind}`);
    expect(v.comparison.pairing).toMatchObject({ paired: 57, pairedConcepts: 19 });
    expect(v.baseline.leftOut?.count).toBe(3);
    expect(v.baseline.leftOut?.examples[0]).toBe(
      'record object_00_x-p0: category "style" is not this run\'s "object"',
    );
  });

  it('falls back to absolute numbers when fewer than two reference images pair', () => {
    const one = specs().slice(0, 3);
    const v = comparisonView(config, baseline(one), current(one));
    expect(v.kind).toBe('none');
    expect(v.kind === 'none' && v.reason).toMatch(/too few samples scored on both sides/);
  });
});

describe('outputs and the gate line', () => {
  const scored = scoredSamplesOf(results(specs(1)));
  const absolute = absoluteReport(scored, 0, { confidence: 0.95, seed: 0, iterations: 200 });
  const compared = comparisonView(config, baseline(specs()), { fingerprint: FINGERPRINT, scored });

  it('formats every contract output', () => {
    const out = outputsOf({
      verdict: 'regression',
      absolute,
      comparison: compared,
      scored: 60,
      failed: 2,
      costUsd: 0.12345,
    });
    expect(out).toMatchObject({
      'concept-preservation': absolute.aggregate.overall.cp!.toFixed(3),
      'concept-preservation-delta': '-0.250',
      'prompt-following-delta': '0.000',
      verdict: 'regression',
      'samples-scored': '60',
      'samples-failed': '2',
      'cost-usd': '0.1235',
      'comment-url': '',
    });
  });

  it('puts each absolute metric in its own output', () => {
    // CP 4/4 and PF 2/4 on every sample: 1.000, 0.500 and their product 0.500.
    const even = specs().map((x) => ({ ...x, cp: 4, pf: 2 }));
    const own = absoluteReport(scoredSamplesOf(results(even)), 0, {
      confidence: 0.95,
      seed: 0,
      iterations: 50,
    });
    const out = outputsOf({
      verdict: 'no-baseline',
      absolute: own,
      scored: 60,
      failed: 0,
      costUsd: 0,
    });
    expect(out['concept-preservation']).toBe('1.000');
    expect(out['prompt-following']).toBe('0.500');
    expect(out['cp-pf']).toBe('0.500');
  });

  it('leaves deltas empty without a baseline', () => {
    const out = outputsOf({
      verdict: 'no-baseline',
      absolute,
      comparison: { kind: 'none', reason: 'x' },
      scored: 60,
      failed: 0,
      costUsd: 0,
    });
    expect(out['concept-preservation-delta']).toBe('');
    expect(out['cp-pf-delta']).toBe('');
  });

  it('says in one line why the gate failed, and nothing when it passes or is off', () => {
    const line = gateFailure(compared, true);
    expect(line).toMatch(
      /^DreamBench regression: concept preservation -0\.250 \[-0\.250, -0\.250\] \(Holm p=0(\.0+)?, one-sided; tolerance 0\.020\)/,
    );
    expect(line).not.toContain('\n');
    expect(line).toContain('over 60 paired samples');
    expect(line).not.toContain('prompt following'); // PF did not regress
    expect(gateFailure(compared, false)).toBeUndefined();
    expect(gateFailure({ kind: 'none', reason: 'x' }, true)).toBeUndefined();
  });
});

describe('readRunContext', () => {
  function contextFor(event: ReturnType<typeof pullRequestEvent>, extra: NodeJS.ProcessEnv = {}) {
    const dir = tempDir('dreambench-ctx-');
    writeFileSync(path.join(dir, 'event.json'), JSON.stringify(event.payload));
    return readRunContext({
      GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
      GITHUB_EVENT_NAME: event.name,
      GITHUB_REF: event.ref,
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_RUN_ID: '77',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_WORKFLOW_REF: 'octo-org/octo-repo/.github/workflows/bench.yml@refs/heads/main',
      RUNNER_TEMP: '/tmp/runner',
      ...extra,
    });
  }

  it('names the event file when it is damaged, and takes none as an empty payload', () => {
    const dir = tempDir('dreambench-ctx-');
    const file = path.join(dir, 'event.json');
    writeFileSync(file, '{"pull_request": ');
    expect(() => readRunContext({ GITHUB_EVENT_PATH: file })).toThrow(EventPayloadError);
    expect(() => readRunContext({ GITHUB_EVENT_PATH: file })).toThrow(
      new RegExp(`^The event file GITHUB_EVENT_PATH \\(${file}\\) is not valid JSON \\(`),
    );
    expect(() => readRunContext({ GITHUB_EVENT_PATH: path.join(dir, 'gone.json') })).toThrow(
      /cannot be read \(ENOENT/,
    );
    expect(readRunContext({}).pullRequest).toBeUndefined();
  });

  it('reads the PR, its base branch and the workflow file', () => {
    const ctx = contextFor(pullRequestEvent({ number: 12, baseRef: 'release' }));
    expect(ctx.pullRequest).toMatchObject({ number: 12, baseRef: 'release', fromFork: false });
    expect(ctx.workflowFile).toBe('bench.yml');
    expect(ctx.runUrl).toBe('https://github.com/octo-org/octo-repo/actions/runs/77');
    expect(ctx.workDir).toBe('/tmp/runner/dreambench');
  });

  it('recognises a fork PR', () => {
    expect(contextFor(pullRequestEvent({ fork: true })).pullRequest?.fromFork).toBe(true);
  });

  it('finds the PR of a workflow_run in its payload, or for a fork in DREAMBENCH_PR_NUMBER', () => {
    expect(contextFor(workflowRunEvent({ prNumber: 4 })).pullRequest).toEqual({
      number: 4,
      baseRef: 'main',
      headSha: 'a'.repeat(40),
      fromFork: false,
      source: 'event',
    });
    const fork = workflowRunEvent({ fork: true });
    expect(contextFor(fork).pullRequest).toBeUndefined();
    expect(contextFor(fork, { DREAMBENCH_PR_NUMBER: '31' }).pullRequest).toMatchObject({
      number: 31,
      baseRef: 'main',
      fromFork: true,
      source: 'env', // to be checked against the API before use
    });
  });

  it('has no PR on a push', () => {
    const ctx = contextFor(pushEvent());
    expect(ctx.pullRequest).toBeUndefined();
    expect(ctx.defaultBranch).toBe('main');
  });
});

describe('healthFailure', () => {
  const f = (id: string, kind: string) => ({
    id,
    stage: 'judge' as const,
    kind,
    reason: `${kind} for ${id}`,
  });
  /** `complete` samples with both outcomes, `judged` of them scored by the judge. */
  const outcomes = (complete: number, judged = complete) => ({
    judged,
    scored: scoredSamplesOf(results(specs().slice(0, complete))),
  });

  it('fails a run in which nothing was scored, counting the kinds', () => {
    expect(
      healthFailure(
        3,
        outcomes(0),
        [f('a', 'missing'), f('b', 'missing'), f('c', 'unparseable')],
        1,
      ),
    ).toBe(
      'No sample was scored: all 3 failed (2 missing, 1 unparseable); the report lists each with its reason',
    );
  });

  it('fails on a judge that could not be used, even if some samples scored', () => {
    expect(healthFailure(3, outcomes(2), [f('c', 'auth')], 1)).toBe(
      'The judge could not be used: auth for c',
    );
  });

  it('lets a run with some ordinary failures pass to the gate', () => {
    expect(healthFailure(3, outcomes(2), [f('c', 'timeout')], 0.5)).toBeUndefined();
  });
});
