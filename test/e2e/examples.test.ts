// The isolated pattern of examples/generate-then-judge.yml, end to end on dist/index.js with the
// example's own `with:` inputs: a GPU job plans with images-dir and runs the generator there; a
// second job, in another workspace holding only the downloaded images, judges them.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/action-yml.ts';
import { tempDir } from '../harness/temp.ts';
import { GENERATOR, pushEvent, startStack, type Stack } from './stack.ts';

interface Step {
  readonly uses?: string;
  readonly with?: Record<string, string | number>;
}

/**
 * The `with:` of each step of `job` that runs this action, as input strings; inputs given by an
 * expression (`${{ secrets.… }}`) are left to the stack, which sets the loopback judge's key.
 */
function actionSteps(file: string, job: string): Record<string, string>[] {
  const workflow = parse(readFileSync(path.join(repoRoot, file), 'utf8'));
  return (workflow.jobs[job].steps as Step[])
    .filter((s) => s.uses?.startsWith('OWNER/dreambench-action@'))
    .map((s) =>
      Object.fromEntries(
        Object.entries(s.with ?? {})
          .map(([k, v]) => [k, String(v)] as const)
          .filter(([, v]) => !v.includes('${{')),
      ),
    );
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

describe('examples/generate-then-judge.yml', () => {
  it('plans into images-dir, and the judge job scores what the generator left there', async () => {
    const [plan] = actionSteps('examples/generate-then-judge.yml', 'generate');
    const [judge] = actionSteps('examples/generate-then-judge.yml', 'judge');
    expect(plan).toMatchObject({ mode: 'plan', 'images-dir': 'generated' });
    expect(judge).toMatchObject({ 'images-dir': 'generated', samples: plan!.samples });
    const samples = '12'; // the example's 150, scaled to the loopback benchmark

    const gpu = tempDir('dreambench-gpu-job-');
    const planned = await stack.run({
      runId: 9101,
      workspace: gpu,
      event: pushEvent(),
      inputs: { ...plan, samples, 'generate-command': '', 'openai-api-key': '' },
    });
    expect(planned.exitCode, planned.stdout).toBe(0);
    const manifest = readFileSync(planned.outputs['manifest-file']!, 'utf8').trim().split('\n');
    expect(manifest).toHaveLength(12);
    for (const line of manifest) {
      expect(path.dirname(JSON.parse(line).output_image)).toBe(path.join(gpu, 'generated'));
    }
    execFileSync(process.execPath, [GENERATOR, planned.outputs['manifest-file']!]);

    // upload-artifact, then download-artifact into the judge job's own workspace.
    const hosted = tempDir('dreambench-judge-job-');
    cpSync(path.join(gpu, 'generated'), path.join(hosted, 'generated'), { recursive: true });
    const judged = await stack.run({
      runId: 9102,
      workspace: hosted,
      event: pushEvent(),
      inputs: { ...judge, samples, 'generate-command': '' },
    });
    expect(judged.exitCode, judged.stdout).toBe(0);
    expect(judged.outputs['samples-scored']).toBe('12');
    expect(judged.outputs['samples-failed']).toBe('0');
    expect(judged.stdout).not.toContain('Running generate-command');
  });
});

describe('examples/fork-safe/: the three workflows fit together', () => {
  const dir = 'examples/fork-safe';
  const read = (name: string) =>
    parse(readFileSync(path.join(repoRoot, dir, name), 'utf8')) as {
      name: string;
      on: Record<string, { workflows?: string[] } | null>;
      jobs: Record<string, { steps: (Step & { env?: Record<string, string> })[] }>;
    };
  const pr = read('dreambench-pr.yml');
  const score = read('dreambench-score.yml');
  const stepOf = (w: typeof pr, uses: string) =>
    Object.values(w.jobs)
      .flatMap((j) => j.steps)
      .find((s) => s.uses?.startsWith(uses))!;

  it('workflow 2 follows workflow 1 by name and downloads the artifact it uploads', () => {
    expect(score.on.workflow_run?.workflows).toEqual([pr.name]);
    const upload = stepOf(pr, 'actions/upload-artifact@').with!;
    const download = stepOf(score, 'actions/download-artifact@').with!;
    expect(download.name).toBe(upload.name);
    // pr/ uploaded, downloaded into pr: the plan's images-dir is the judge's images-dir.
    expect(upload.path).toBe(`${download.path}/`);
    expect(actionSteps(`${dir}/dreambench-pr.yml`, 'generate')[0]!['images-dir']).toBe(
      actionSteps(`${dir}/dreambench-score.yml`, 'score')[0]!['images-dir'],
    );
  });

  it('compares with the baselines of the baseline workflow, over the same sample', () => {
    const env = stepOf(score, 'OWNER/dreambench-action@').env!;
    const baselineFile = env.DREAMBENCH_BASELINE_WORKFLOW!;
    expect(baselineFile).toBe('dreambench-baseline.yml');
    const samples = [
      actionSteps(`${dir}/dreambench-pr.yml`, 'generate')[0]!.samples,
      actionSteps(`${dir}/dreambench-score.yml`, 'score')[0]!.samples,
      actionSteps(`${dir}/${baselineFile}`, 'baseline')[0]!.samples,
    ];
    expect(new Set(samples)).toEqual(new Set(['150']));
  });
});
