// Writes the inputs and outputs tables of README.md from action.yml (between the markers) and the
// example workflows from examples/ (between `<!-- example:<file>:start/end -->`), or with --check
// fails when README.md is out of date. action.yml and the files are the source of truth. --check
// also fails when an example is not shown, or an environment variable src/ reads is not in the
// table of environment variables.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const EXAMPLE_BLOCK = /<!-- example:(\S+?):start -->[\s\S]*?<!-- example:\1:end -->/g;

/** Every `<!-- example:<file>:start -->` … `end` block again holds that file as a yaml block. */
function replaceExamples(text) {
  return text.replace(EXAMPLE_BLOCK, (_, file) => {
    const body = readFileSync(path.join(root, file), 'utf8').trimEnd();
    return `<!-- example:${file}:start -->\n\n\`\`\`yaml\n${body}\n\`\`\`\n\n<!-- example:${file}:end -->`;
  });
}

/** The example workflows README.md does not show. */
function unshownExamples(text) {
  const shown = new Set([...text.matchAll(EXAMPLE_BLOCK)].map((m) => m[1]));
  return readdirSync(path.join(root, 'examples'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .filter((file) => !shown.has(file));
}

/** Variables the runner sets for every job: documented as a group, not one by one. */
const RUNNER_SET = /^(GITHUB|RUNNER|ACTIONS)_/;

/** The environment variables src/ reads by name (`env.NAME`) that the env table leaves out. */
function undocumentedEnv(text) {
  const table = text.slice(text.indexOf('<!-- env:start -->'), text.indexOf('<!-- env:end -->'));
  const names = new Set();
  for (const e of readdirSync(path.join(root, 'src'), { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.ts')) continue;
    const source = readFileSync(path.join(e.parentPath, e.name), 'utf8');
    for (const m of source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1]);
  }
  return [...names].filter((n) => !RUNNER_SET.test(n) && !table.includes(`\`${n}\``)).sort();
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
  replaceExamples(
    replaceBetween(replaceBetween(current, 'inputs', inputsTable()), 'outputs', outputsTable()),
  ),
  { ...(await prettier.resolveConfig(readmePath)), filepath: readmePath },
);
if (process.argv.includes('--check')) {
  const problems = [];
  if (next !== current) {
    problems.push('its inputs/outputs tables or examples differ from action.yml and examples/');
  }
  const unshown = unshownExamples(current);
  if (unshown.length > 0)
    problems.push(`it shows no <!-- example:… --> block of ${unshown.join(', ')}`);
  const undocumented = undocumentedEnv(current);
  if (undocumented.length > 0) {
    problems.push(`its environment variables table lacks ${undocumented.join(', ')}, read in src/`);
  }
  if (problems.length > 0) {
    console.error(
      `README.md: ${problems.join('; ')} (run "npm run readme" for the generated parts)`,
    );
    process.exit(1);
  }
  console.log('README.md tables match action.yml, examples match examples/, env table is complete');
} else {
  writeFileSync(readmePath, next);
}
