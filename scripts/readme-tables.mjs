// Writes the inputs and outputs tables of README.md from action.yml (between the markers), or with
// --check fails when README.md is out of date. action.yml is the source of truth.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8'));
const readmePath = path.join(root, 'README.md');

const cell = (s) => String(s).replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

export function inputsTable() {
  const rows = Object.entries(action.inputs).map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.default === '' ? "`''`" : `\`${cell(spec.default)}\``} | ${cell(spec.description)} |`,
  );
  return ['| input | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable() {
  const rows = Object.entries(action.outputs).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`,
  );
  return ['| output | meaning |', '| --- | --- |', ...rows].join('\n');
}

function replaceBetween(text, name, body) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md lacks the ${start} … ${end} markers`);
  return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}

const current = readFileSync(readmePath, 'utf8');
// Format as `npm run lint` will check it, so the two never disagree.
const next = await prettier.format(
  replaceBetween(replaceBetween(current, 'inputs', inputsTable()), 'outputs', outputsTable()),
  { ...(await prettier.resolveConfig(readmePath)), filepath: readmePath },
);
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('README.md inputs/outputs tables differ from action.yml: run "npm run readme"');
    process.exit(1);
  }
  console.log('README.md tables match action.yml');
} else {
  writeFileSync(readmePath, next);
}
