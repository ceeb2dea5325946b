// Secrets stay secret, end to end on dist/index.js: the judge key and HF_TOKEN reach only the
// authorization headers of their own servers, even when the judge echoes the key back in its
// replies and error bodies. (The runner masks `::add-mask::` values in its own log, but the
// action's stdout here is raw, so any leak shows.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { RunResult } from '../harness/runner.ts';
import { imagesInRequest, type Behavior } from '../harness/servers/openai.ts';
import { GENERATOR, pullRequestEvent, pushEvent, startStack, type Stack } from './stack.ts';

// Not shaped like an OpenAI key (`sk-…`), so only the action's knowledge of the key can hide it.
const API_KEY = 'dbk-live-Q7fZ2mXw9LpR4tVbN8cK';
const HF_TOKEN = 'hf_e2eT0kenK3yP9sQ2wX7vBzL';
const SECRETS = [API_KEY, HF_TOKEN];

/**
 * A judge that repeats the key it was sent in every reply (scores from `score(i)`), after first
 * quoting it in a retried 500 and in a 400 that fails one sample.
 */
function echoingJudge(score: (i: number) => number) {
  let index = -1;
  return (request: { headers: Record<string, unknown> }): Behavior => {
    index += 1;
    const sent = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (index === 0) {
      // An upstream that quotes the key in an error body, retried at once.
      return {
        kind: 'status',
        status: 500,
        headers: { 'retry-after-ms': '0' },
        body: { error: { message: `upstream failed for key ${sent}`, type: 'server_error' } },
      };
    }
    if (index === 1) {
      return {
        kind: 'status',
        status: 400,
        body: {
          error: { message: `Invalid request from key ${sent}`, type: 'invalid_request_error' },
        },
      };
    }
    return {
      kind: 'reply',
      text: `Your key ${sent} is noted. The subject keeps its shape and colour.\nScore: ${score(index)}`,
    };
  };
}

function leaksIn(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

/** The log as the runner would receive it (debug lines too), minus the lines that register the masks. */
function logWithoutMaskCommands(r: RunResult): string {
  return (r.stdout + r.debug + r.stderr)
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ hfToken: HF_TOKEN });
});
afterAll(async () => {
  await stack?.close();
});

describe('the judge key and HF_TOKEN', () => {
  const inputs = { 'openai-api-key': API_KEY, samples: '12', 'judge-concurrency': '1' };
  const env = { HF_TOKEN };

  it('appear in no log, output, summary, file, comment or artifact, though the judge echoes the key', async () => {
    // A proxy that also echoes the key in the served model and system_fingerprint.
    const echoed = { model: `gpt-4o-proxy-${API_KEY}`, systemFingerprint: `fp_${API_KEY}` };
    stack.judge.set({ respond: echoingJudge(() => 2), ...echoed });
    const push = pushEvent();
    const base = await stack.run({ runId: 8001, event: push, inputs, env });
    if (base.exitCode !== 0) console.log(base.stdout, base.stderr);
    expect(base.exitCode).toBe(0);
    stack.finishRun(8001, push);

    // Different scores, so the comment quotes the judge's words on the largest changes.
    stack.judge.set({ respond: echoingJudge((i) => i % 5), ...echoed });
    const r = await stack.run({
      runId: 8002,
      event: pullRequestEvent({ number: 61 }),
      inputs,
      env,
    });
    if (r.exitCode !== 0) console.log(r.stdout, r.stderr);
    expect(r.exitCode).toBe(0);

    for (const run of [base, r]) {
      // Both are registered with the runner for masking.
      expect(run.stdout).toContain(`::add-mask::${API_KEY}`);
      expect(run.stdout).toContain(`::add-mask::${HF_TOKEN}`);
      expect(leaksIn(logWithoutMaskCommands(run)), 'log').toEqual([]);
      // That covered the debug lines too (request headers and bodies): there are some.
      expect(run.debug).toContain('::debug::');
      expect(run.stdout).not.toContain('::debug::');
      expect(leaksIn(JSON.stringify(run.outputs)), 'GITHUB_OUTPUT').toEqual([]);
      expect(leaksIn(run.summary), 'step summary').toEqual([]);
      const results = readFileSync(run.outputs['results-file']!, 'utf8');
      expect(leaksIn(results), 'results.json').toEqual([]);
      expect(leaksIn(readFileSync(run.outputs['report-file']!, 'utf8')), 'report.md').toEqual([]);
      // The echo happened and was replaced, not dropped: the replies are kept, redacted.
      expect(results).toContain('Your key *** is noted');
    }
    // The 400 that quoted the key is a listed failure, its reason redacted.
    const failures = JSON.parse(readFileSync(r.outputs['results-file']!, 'utf8')).failures;
    expect(failures.map((f: { reason: string }) => f.reason).join('\n')).toMatch(
      /Invalid request from key \*\*\*/,
    );

    const comments = stack.actions.github.state.commentsOf(stack.actions.repository, 61);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('Your key \\*\\*\\* is noted'); // Markdown-escaped
    expect(comments[0]!.body).toContain('served gpt-4o-proxy-\\*\\*\\*');
    expect(leaksIn(comments[0]!.body), 'comment').toEqual([]);

    const artifacts = stack.actions.store.artifacts.filter((a) => [8001, 8002].includes(a.runId));
    // Each run's results (zipped) and HTML report (unzipped), and any contact sheet (unzipped).
    const zipped = artifacts.filter((a) => a.mimeType === 'application/zip');
    expect(zipped).toHaveLength(2);
    expect(artifacts.filter((a) => a.name.endsWith('.html'))).toHaveLength(2);
    for (const a of zipped) {
      const files = unzipSync(stack.actions.store.blobContent(a)!);
      expect(Object.keys(files)).toContain('results.json');
      for (const [name, bytes] of Object.entries(files)) {
        expect(leaksIn(Buffer.from(bytes).toString('latin1')), `artifact file ${name}`).toEqual([]);
      }
    }
    for (const a of artifacts.filter((x) => !zipped.includes(x))) {
      const text = stack.actions.store.blobContent(a)!.toString('latin1');
      expect(leaksIn(text), `artifact ${a.name}`).toEqual([]);
    }
    const html = artifacts.find((a) => a.runId === 8002 && a.name.endsWith('.html'))!;
    expect(stack.actions.store.blobContent(html)!.toString('utf8')).toContain(
      'Your key *** is noted',
    );
  });

  // Inspects every request the runs above made (the servers record them).
  it('travel only in the authorization header of their own server', () => {
    expect(stack.judge.requests.length).toBeGreaterThan(40);
    for (const q of stack.judge.requests) {
      expect(q.headers.authorization).toBe(`Bearer ${API_KEY}`);
      const { authorization: _, ...rest } = q.headers;
      expect(leaksIn(q.url + JSON.stringify(rest) + JSON.stringify(q.body))).toEqual([]);
      expect(imagesInRequest(q.body).length).toBeGreaterThan(0);
    }
    const resolves = stack.hub.requests.filter((q) => q.path.includes('/resolve/'));
    expect(resolves.length).toBeGreaterThan(0);
    for (const q of resolves) expect(q.authorization).toBe(`Bearer ${HF_TOKEN}`);
    for (const q of stack.hub.requests) {
      expect(leaksIn(q.path)).toEqual([]);
      expect(q.authorization ?? '').not.toContain(API_KEY);
    }
    for (const q of [...stack.actions.github.requests, ...stack.actions.results.requests]) {
      expect(leaksIn(q.path + JSON.stringify(q.headers) + q.body.toString('latin1'))).toEqual([]);
    }
  });

  // The command is the repository's own code (on a PR, the PR's): it gets the job's environment
  // without this action's inputs (INPUT_OPENAI-API-KEY: bash passes dashed names through) and tokens.
  it('is not handed to the generate-command', async () => {
    stack.judge.set({});
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dreambench-genenv-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const dump = path.join(dir, 'env.txt');
    const r = await stack.run({
      runId: 8003,
      event: pullRequestEvent({ number: 62 }),
      inputs: {
        ...inputs,
        'artifact-name': 'genenv',
        'generate-command': `env > ${dump} && node ${GENERATOR} {manifest}`,
      },
      // A workflow that also hands the job the key and the token under names of its own.
      env: { ...env, MY_JUDGE_KEY: API_KEY, GITHUB_TOKEN: 'ghs_test_token', KEPT: 'yes' },
    });
    expect(r.exitCode).toBe(0);
    const seen = readFileSync(dump, 'utf8');
    expect(seen).toContain('DREAMBENCH_MANIFEST=');
    expect(seen).toContain(`HF_TOKEN=${HF_TOKEN}`); // the generator may need it for the weights
    expect(seen).toContain('KEPT=yes');
    expect(seen).not.toContain(API_KEY);
    expect(seen).not.toContain('ghs_test_token');
    expect(seen).not.toMatch(/^(INPUT_|ACTIONS_RUNTIME_TOKEN=)/m);
  });

  // The parent of the command is a clean intermediate: `tr '\0' '\n' < /proc/$PPID/environ` used
  // to print INPUT_OPENAI-API-KEY, INPUT_GITHUB-TOKEN and ACTIONS_RUNTIME_TOKEN.
  it("is not in the environment of the command's parent process, and every token is masked", async () => {
    stack.judge.set({});
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dreambench-ppid-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const dump = path.join(dir, 'parent-env.txt');
    const oidc = 'oidc-request-token-Zk3Lq9';
    const r = await stack.run({
      runId: 8004,
      event: pullRequestEvent({ number: 63 }),
      inputs: {
        ...inputs,
        'artifact-name': 'ppid',
        'generate-command': `tr '\\0' '\\n' < /proc/$PPID/environ > ${dump} && node ${GENERATOR} {manifest}`,
      },
      env: { ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc },
    });
    expect(r.exitCode).toBe(0);
    const parent = readFileSync(dump, 'utf8');
    // The runtime token this run was given, as it presented it to the artifact service.
    const runtimeToken = stack.actions.results.requests
      .find(
        (q) =>
          q.pathname.endsWith('/CreateArtifact') &&
          JSON.parse(q.text).workflow_run_backend_id === '8004',
      )!
      .headers.authorization!.replace(/^Bearer /, '');
    expect(runtimeToken).toMatch(/^[\w-]+\.[\w-]+\.$/);
    expect(parent).toContain('DREAMBENCH_MANIFEST=');
    // Registered with the runner before anything else is printed.
    const lines = r.stdout.split('\n');
    const firstOther = lines.findIndex((l) => !l.startsWith('::add-mask::'));
    for (const secret of [API_KEY, 'ghs_test_token', runtimeToken, oidc]) {
      expect(parent).not.toContain(secret);
      const at = lines.indexOf(`::add-mask::${secret}`);
      expect(at, secret).toBeGreaterThanOrEqual(0);
      expect(at, `${secret} masked only after: ${lines[firstOther]}`).toBeLessThan(firstOther);
    }
    expect(parent).not.toMatch(/^INPUT_/m);
  });
});

describe('generate-timeout-minutes', () => {
  it('stops a command that runs too long and fails the step with its last lines', async () => {
    stack.judge.set({});
    const before = stack.judge.requests.length;
    const r = await stack.run({
      runId: 8005,
      event: pullRequestEvent({ number: 64 }),
      inputs: {
        samples: '12',
        'artifact-name': 'timeout',
        // 1.2 s: the shells start and print well within it even on a loaded machine.
        'generate-timeout-minutes': '0.02',
        'generate-command': 'echo warming up; sleep 100000',
      },
      env: { HF_TOKEN },
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toContainEqual({
      level: 'error',
      message:
        'generate-command ran longer than 0.02 minutes (generate-timeout-minutes) and was ' +
        'stopped; its last 1 lines:\nwarming up',
    });
    expect(stack.judge.requests.length).toBe(before);
  });
});
