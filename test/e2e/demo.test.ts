// `npm run demo` as a user runs it: `node demo/run.ts` in a child process, writing into a
// temporary folder. It must exit 0 (the PR check failing is the designed outcome) and leave the
// files the README promises.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_FILES } from '../../demo/expectations.ts';
import { repoRoot } from '../harness/action-yml.ts';
import { resultsSchemaErrors } from '../harness/results-schema.ts';

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let outDir: string;
let demo: Exit;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(os.tmpdir(), 'dreambench-demo-test-'));
  // A key in the shell is no consent: without --real-judge the demo must not use it. (Should it
  // try, the base URL is a closed loopback port, so nothing leaves the machine and the run fails.)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DEMO_OUTPUT_DIR: outDir,
    OPENAI_API_KEY: 'sk-in-the-shell-not-for-the-demo',
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
  };
  demo = await new Promise<Exit>((resolve) => {
    execFile(
      process.execPath,
      [path.join(repoRoot, 'demo/run.ts')],
      { cwd: repoRoot, env, timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error.code as number | undefined) ?? 1) : 0, stdout, stderr }),
    );
  });
}, 160_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const read = (name: string) => readFileSync(path.join(outDir, name), 'utf8');

describe('npm run demo', () => {
  it('exits 0 and says the stand-in judge is a stand-in and the check failed', () => {
    expect(demo.stderr).not.toMatch(/demo failed/);
    expect(demo.code, demo.stdout + demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/STAND-IN judge.*mean NOTHING/);
    expect(demo.stdout).toContain(
      'OPENAI_API_KEY is set and not used: only --real-judge spends it.',
    );
    expect(read('log.txt')).not.toContain('sk-in-the-shell-not-for-the-demo');
    expect(demo.stdout).toMatch(/check: ✗ FAILED \(verdict regression, exit code 1\)/);
    expect(demo.stdout).toContain('everything behaved as expected');
  });

  it('writes every promised file into DEMO_OUTPUT_DIR, not demo-output/', () => {
    for (const f of OUTPUT_FILES) {
      expect(existsSync(path.join(outDir, f)), f).toBe(true);
      expect(demo.stdout).toContain(path.join(outDir, f));
    }
  });

  it('keeps the PR comment as posted: marker first, a regression, deltas', () => {
    const comment = read('comment.md');
    // Two baselines published, so the trend chart has two points, CP and PF named in its legend.
    expect(comment).toContain('```mermaid');
    expect(comment).toContain('🟦 **CP concept preservation**');
    expect(comment.startsWith('<!-- dreambench-action:default -->')).toBe(true);
    expect(comment).toMatch(/regression/i);
    expect(comment).toMatch(/48 of 48 samples paired/);
    // The toy model frames each prompt by its seed, so the largest changes do not tie.
    const table = comment.split('### Largest per-sample changes\n\n')[1]!.split('\n\n')[0]!;
    const changes = [...table.matchAll(/^\| [\d.]+ → [\d.]+ \(([−+±][\d.]+)\) \|/gm)].map(
      (m) => m[1],
    );
    expect(changes).toHaveLength(10);
    expect(new Set(changes).size, changes.join(' ')).toBe(changes.length);
    // The summary is the job-summary twin of the comment.
    expect(read('summary.md')).toMatch(/regression/i);
  });

  it('keeps both runs’ results: the baseline published, the PR compared against it', () => {
    const base = JSON.parse(read('baseline-results.json'));
    const pr = JSON.parse(read('results.json'));
    expect(resultsSchemaErrors(base)).toEqual([]);
    expect(resultsSchemaErrors(pr)).toEqual([]);
    expect(pr.comparison).toMatchObject({ status: 'compared', verdict: 'regression' });
    expect(base.records).toHaveLength(48);
    expect(pr.records).toHaveLength(48);
    expect(new Set(pr.records.map((r: { category: string }) => r.category))).toEqual(
      new Set(['animal', 'human', 'object', 'style']),
    );
    const log = read('log.txt');
    expect(log).toContain('===== nightly on main (baseline) (exit 0) =====');
    expect(log).toContain('===== push to main (baseline) (exit 0) =====');
    expect(log).toContain('===== pull request (exit 1) =====');
    expect(log).toContain('toy model (quality 0.6)');
  });

  it('keeps the visual report of the PR run, every sample in it, and says where to open it', () => {
    const html = read('report.html');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<li class="card/g)).toHaveLength(48);
    expect(html).toMatch(/<h1>❌ Regression in /);
    expect(demo.stdout).toContain(
      `open the visual report in a browser: ${pathToFileURL(path.join(outDir, 'report.html')).href}`,
    );
  });

  it('extracts a contact sheet from the artifact that decodes as a JPEG', async () => {
    const meta = await sharp(path.join(outDir, 'contact-sheet.jpg')).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBeGreaterThan(256);
    expect(meta.height).toBeGreaterThan(256);
  });
});

describe('the demo without the DreamBooth photographs', () => {
  it('draws every reference image and still covers the four categories with 9 prompts each', async () => {
    const { buildDemoBenchmark } = await import('../../demo/benchmark.ts');
    const bench = await buildDemoBenchmark(path.join(os.tmpdir(), 'no-such-dreambooth-folder'));
    expect(bench.source).toBe('drawings');
    const images = Object.keys(bench.files).filter((f) => f.startsWith('data/images/'));
    expect(images).toHaveLength(bench.concepts.length);
    expect(new Set(bench.concepts.map((c) => c.category))).toEqual(
      new Set(['animal', 'human', 'object', 'style']),
    );
    for (const image of images) {
      const meta = await sharp(Buffer.from(bench.files[image]!)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 512, 512]);
      const caption =
        bench.files[image.replace('/images/', '/captions/').replace(/\.jpg$/, '.txt')];
      const lines = Buffer.from(caption!).toString('utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(10);
    }
  });
});

describe('which judge the demo uses', () => {
  const key = { OPENAI_API_KEY: ' sk-real ' };

  it('the stand-in without --real-judge, even with OPENAI_API_KEY set', async () => {
    const { chooseDemoJudge } = await import('../../demo/judge.ts');
    expect(chooseDemoJudge([], key)).toEqual({ kind: 'stand-in', keyIgnored: true });
    expect(chooseDemoJudge([], {})).toEqual({ kind: 'stand-in', keyIgnored: false });
  });

  it('the real API with --real-judge and a key, at OPENAI_BASE_URL when set', async () => {
    const { chooseDemoJudge } = await import('../../demo/judge.ts');
    expect(chooseDemoJudge(['--real-judge'], key)).toEqual({
      kind: 'openai',
      apiKey: 'sk-real',
      baseUrl: undefined,
    });
    expect(
      chooseDemoJudge(['--real-judge'], { ...key, OPENAI_BASE_URL: 'http://proxy.example/v1' }),
    ).toMatchObject({ kind: 'openai', baseUrl: 'http://proxy.example/v1' });
  });

  it('refuses --real-judge without a key, and any other argument, saying what it takes', async () => {
    const { chooseDemoJudge } = await import('../../demo/judge.ts');
    expect(() => chooseDemoJudge(['--real-judge'], { OPENAI_API_KEY: ' ' })).toThrow(
      '--real-judge needs OPENAI_API_KEY',
    );
    expect(() => chooseDemoJudge(['--real'], key)).toThrow(
      'unknown argument "--real": the demo takes only --real-judge',
    );
  });
});

describe('what the demo counts as unexpected', () => {
  const ok = {
    judge: 'stand-in' as const,
    marker: '<!-- m -->',
    comment: '<!-- m -->\nregression\n```mermaid\n```',
    contactSheet: true,
    report: true,
    nightly: { exitCode: 0, outputs: { verdict: 'no-baseline', 'samples-failed': '0' } },
    baseline: {
      exitCode: 0,
      outputs: { verdict: 'pass', 'samples-failed': '0', 'concept-preservation-delta': '-0.010' },
    },
    pr: { exitCode: 1, outputs: { verdict: 'regression' } },
  };

  it('nothing when both baselines publish and the PR regresses and fails', async () => {
    const { unexpectedOutcomes } = await import('../../demo/expectations.ts');
    expect(unexpectedOutcomes(ok)).toEqual([]);
  });

  it('a failed baseline, a passing PR under the stand-in judge, a missing comment', async () => {
    const { unexpectedOutcomes } = await import('../../demo/expectations.ts');
    expect(unexpectedOutcomes({ ...ok, baseline: { ...ok.baseline, exitCode: 1 } })).toEqual([
      'the push baseline run exited with 1, expected 0',
    ]);
    expect(
      unexpectedOutcomes({ ...ok, nightly: { ...ok.nightly, outputs: { verdict: 'pass' } } }),
    ).toEqual([
      'the nightly baseline run\'s verdict is "pass", expected "no-baseline"',
      'the nightly baseline run failed undefined samples, expected 0',
    ]);
    expect(
      unexpectedOutcomes({ ...ok, baseline: { exitCode: 0, outputs: { 'samples-failed': '0' } } }),
    ).toEqual(['the push baseline run did not compare with the nightly baseline']);
    expect(unexpectedOutcomes({ ...ok, comment: '<!-- m -->\nregression' })).toEqual([
      'the PR comment shows no trend chart of the two baselines',
    ]);
    expect(
      unexpectedOutcomes({ ...ok, pr: { exitCode: 0, outputs: { verdict: 'pass' } } }),
    ).toEqual(['the PR run\'s verdict is "pass", expected "regression"']);
    expect(unexpectedOutcomes({ ...ok, comment: undefined })).toEqual([
      'the PR run posted no comment',
    ]);
  });

  it('a real judge may pass the PR, but its exit code must match the verdict', async () => {
    const { unexpectedOutcomes } = await import('../../demo/expectations.ts');
    const real = { ...ok, judge: 'openai' as const };
    expect(
      unexpectedOutcomes({ ...real, pr: { exitCode: 0, outputs: { verdict: 'pass' } } }),
    ).toEqual([]);
    expect(
      unexpectedOutcomes({ ...real, pr: { exitCode: 1, outputs: { verdict: 'pass' } } }),
    ).toEqual(['the PR run exited with 1, expected 0 for "pass"']);
  });
});
