// `npm run demo`: the whole product offline. Builds a miniature DreamBench++ benchmark, serves it
// from a loopback hub, starts loopback GitHub (REST + artifacts) and judge servers, then runs the
// committed dist/index.js three times under the runner emulation: a nightly run and a push to main
// with good toy models (each publishes a baseline, so the trend has two points) and a pull request
// with a worse one (comments and fails the check). Writes what a user would look at to
// demo-output/ (or DEMO_OUTPUT_DIR). The real judge only with `--real-judge`
// (npm run demo -- --real-judge), never because OPENAI_API_KEY happens to be set.
//
// Exit code: 0 when everything behaved as designed — including the PR check failing, which is the
// point — and 1 when something unexpected happened.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { contactSheetArtifact, htmlReportArtifact } from '../src/constants.ts';
import { repoRoot } from '../test/harness/action-yml.ts';
import {
  pullRequestEvent,
  pushEvent,
  scheduleEvent,
  type GithubEvent,
} from '../test/harness/events.ts';
import { cleanupShippedAction, runAction, type RunResult } from '../test/harness/runner.ts';
import { startActionsStack } from '../test/harness/servers/actions-env.ts';
import { startHubServer } from '../test/harness/servers/hub.ts';
import { buildDemoBenchmark, zipBenchmark, type DemoBenchmark } from './benchmark.ts';
import { formatReport } from './console-report.ts';
import { OUTPUT_FILES, unexpectedOutcomes } from './expectations.ts';
import {
  chooseDemoJudge,
  DemoUsageError,
  REAL_JUDGE_FLAG,
  startDemoJudge,
  type DemoJudge,
  type JudgeChoice,
} from './judge.ts';

/** The nightly baseline, then a slightly worse model pushed to main: the second baseline. */
const NIGHTLY_QUALITY = '0.95';
const BASELINE_QUALITY = '0.9';
const PR_QUALITY = '0.6';
const SAMPLES = '48';
const PR_NUMBER = 7;
const MARKER = '<!-- dreambench-action:default -->';
const ARTIFACT = 'dreambench-results';
const TOY_MODEL = path.join(repoRoot, 'demo/toy-model.ts');

const started = performance.now();
const outDir = path.resolve(process.env.DEMO_OUTPUT_DIR ?? path.join(repoRoot, 'demo-output'));
// DEMO_DREAMBOOTH_DIR points elsewhere (or at nothing, to see the all-drawn benchmark).
const photosDir = path.resolve(
  process.env.DEMO_DREAMBOOTH_DIR ?? path.join(repoRoot, '../shared/data/dreambooth'),
);

type Actions = Awaited<ReturnType<typeof startActionsStack>>;

interface Servers {
  readonly actions: Actions;
  readonly hubUrl: string;
  readonly judge: DemoJudge;
  readonly toolCache: string;
  close(): Promise<void>;
}

async function startServers(zip: Buffer, choice: JudgeChoice): Promise<Servers> {
  const actions = await startActionsStack();
  const hub = await startHubServer({ files: { 'yuangpeng/dreambench_plus@main/data.zip': zip } });
  const judge = await startDemoJudge(choice);
  const toolCache = mkdtempSync(path.join(os.tmpdir(), 'dreambench-demo-toolcache-'));
  return {
    actions,
    hubUrl: hub.url,
    judge,
    toolCache,
    close: async () => {
      await Promise.all([actions.close(), hub.close(), judge.close()]);
      rmSync(toolCache, { recursive: true, force: true });
    },
  };
}

function runToy(
  s: Servers,
  runId: number,
  event: GithubEvent,
  quality: string,
): Promise<RunResult> {
  return runAction({
    runId,
    event,
    timeoutMs: 180_000,
    inputs: {
      ...s.judge.inputs,
      'generate-command': `"${process.execPath}" "${TOY_MODEL}" {manifest}`,
      samples: SAMPLES,
    },
    env: {
      ...s.actions.env(runId, { ref: event.ref }),
      HF_ENDPOINT: s.hubUrl,
      RUNNER_TOOL_CACHE: s.toolCache,
      TOY_QUALITY: quality,
      ...s.judge.env,
    },
  });
}

/** An unzipped artifact of the PR run (the HTML report, the contact sheet), as GitHub serves it. */
function uploadedFile(actions: Actions, runId: number, name: string): Buffer | undefined {
  const artifact = actions.store.artifacts.find((a) => a.name === name && a.runId === runId);
  return artifact && actions.store.blobContent(artifact);
}

function logOf(title: string, r: RunResult): string {
  return `===== ${title} (exit ${r.exitCode}) =====\n${r.stdout}${r.stderr ? `\n--- stderr ---\n${r.stderr}` : ''}\n`;
}

function copyResults(r: RunResult, to: string): boolean {
  const file = r.outputs['results-file'];
  if (!file || !existsSync(file)) return false;
  writeFileSync(to, readFileSync(file));
  return true;
}

/** An empty output folder: a file left from an earlier run must not pass for this run's. */
function prepareOutputDir(): void {
  mkdirSync(outDir, { recursive: true });
  for (const f of OUTPUT_FILES) rmSync(path.join(outDir, f), { force: true });
}

function benchmarkLabel(benchmark: DemoBenchmark): string {
  const origin =
    benchmark.source === 'photographs'
      ? 'animals and objects are DreamBooth photographs, people and styles drawn'
      : `every image drawn: no DreamBooth photographs at ${photosDir}`;
  return `${benchmark.concepts.length} concepts x 9 prompts (${origin}), served as data.zip from a loopback hub`;
}

/** As GitHub does when a workflow run ends: later runs look baselines up among finished runs. */
function finish(s: Servers, runId: number, event: GithubEvent, r: RunResult): void {
  if (r.exitCode !== 0) return;
  s.actions.github.state.addRun({
    id: runId,
    headBranch: 'main',
    headSha: event.sha,
    event: event.name,
    conclusion: 'success',
  });
}

/** Two baselines (nightly, then a push), then the pull request; `runnerTemps` collects what to clean up. */
async function runAll(s: Servers, runnerTemps: string[]) {
  console.log(`run 1/3: nightly schedule on main, toy model quality ${NIGHTLY_QUALITY} …`);
  const schedule = scheduleEvent();
  const nightly = await runToy(s, 1001, schedule, NIGHTLY_QUALITY);
  runnerTemps.push(nightly.runnerTemp);
  finish(s, 1001, schedule, nightly);
  console.log(`run 2/3: push to main, toy model quality ${BASELINE_QUALITY} …`);
  const push = pushEvent();
  const baseline = await runToy(s, 1002, push, BASELINE_QUALITY);
  runnerTemps.push(baseline.runnerTemp);
  finish(s, 1002, push, baseline);
  console.log(`run 3/3: pull request #${PR_NUMBER}, toy model quality ${PR_QUALITY} …`);
  const pr = await runToy(s, 2001, pullRequestEvent({ number: PR_NUMBER }), PR_QUALITY);
  runnerTemps.push(pr.runnerTemp);
  return { nightly, baseline, pr };
}

const out = (name: string) => path.join(outDir, name);

/** Writes demo-output/; returns the comment and whether the contact sheet and report were found. */
function writeOutputs(s: Servers, runs: Awaited<ReturnType<typeof runAll>>) {
  const { nightly, baseline, pr } = runs;
  const comment = s.actions.github.state
    .commentsOf(s.actions.repository, PR_NUMBER)
    .find((c) => c.body.startsWith(MARKER))?.body;
  if (comment !== undefined) writeFileSync(out('comment.md'), comment);
  writeFileSync(out('summary.md'), pr.summary);
  copyResults(pr, out('results.json'));
  copyResults(baseline, out('baseline-results.json'));
  const sheet = uploadedFile(s.actions, 2001, contactSheetArtifact(ARTIFACT));
  if (sheet) writeFileSync(out('contact-sheet.jpg'), sheet);
  const report = uploadedFile(s.actions, 2001, htmlReportArtifact(ARTIFACT));
  if (report) writeFileSync(out('report.html'), report);
  writeFileSync(
    out('log.txt'),
    logOf('nightly on main (baseline)', nightly) +
      logOf('push to main (baseline)', baseline) +
      logOf('pull request', pr),
  );
  return { comment, contactSheet: sheet !== undefined, report: report !== undefined };
}

async function main(): Promise<number> {
  const choice = chooseDemoJudge(process.argv.slice(2), process.env);
  prepareOutputDir();
  const benchmark = await buildDemoBenchmark(existsSync(photosDir) ? photosDir : undefined);
  const servers = await startServers(zipBenchmark(benchmark), choice);
  console.log(`judge: ${servers.judge.label}`);
  if (choice.kind === 'stand-in' && choice.keyIgnored) {
    console.log(`OPENAI_API_KEY is set and not used: only ${REAL_JUDGE_FLAG} spends it.`);
  }
  console.log(`benchmark: ${benchmarkLabel(benchmark)}`);
  const runnerTemps: string[] = [];
  try {
    const runs = await runAll(servers, runnerTemps);
    const { nightly, baseline, pr } = runs;
    const written = writeOutputs(servers, runs);
    const judge = servers.judge;
    const problems = unexpectedOutcomes({
      judge: judge.kind,
      nightly,
      baseline,
      pr,
      marker: MARKER,
      ...written,
    });
    console.log(
      formatReport({
        judgeLabel: judge.label,
        standIn: judge.kind === 'stand-in',
        benchmark: benchmarkLabel(benchmark),
        qualities: { nightly: NIGHTLY_QUALITY, baseline: BASELINE_QUALITY, pr: PR_QUALITY },
        nightly: nightly.outputs,
        baseline: baseline.outputs,
        pr: pr.outputs,
        prExitCode: pr.exitCode,
        files: OUTPUT_FILES.filter((f) => existsSync(out(f))).map((f) => [f, out(f)] as const),
        ...(written.report ? { open: out('report.html') } : {}),
        seconds: (performance.now() - started) / 1000,
        problems,
      }),
    );
    return problems.length === 0 ? 0 : 1;
  } finally {
    await servers.close();
    // runnerTemp is <home>/_temp; the whole emulated runner home goes.
    for (const temp of runnerTemps) rmSync(path.dirname(temp), { recursive: true, force: true });
    cleanupShippedAction();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof DemoUsageError) console.error(`demo: ${error.message}`);
    else console.error('demo failed:', error);
    process.exitCode = 1;
  },
);
