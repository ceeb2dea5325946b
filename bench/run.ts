// Runs every benchmark in bench/ (each `*.ts` but this one), one after another, each in its own
// Node process (the one running this file: Node 24, which runs .ts directly), printing its
// output as it comes. One at a time: on a 2-core machine, parallel benchmarks measure each other.
// Exits non-zero when a benchmark fails, after running the rest.
//   node bench/run.ts [name ...]     e.g. `node bench/run.ts judge stats`
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const self = path.basename(import.meta.filename);
const wanted = process.argv.slice(2).map((name) => name.replace(/\.ts$/, ''));
const all = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && name !== self)
  .sort();
const unknown = wanted.filter((name) => !all.includes(`${name}.ts`));
if (unknown.length > 0) {
  console.error(
    `bench/run.ts: no benchmark ${unknown.map((n) => JSON.stringify(n)).join(', ')}; available: ${all.map((n) => n.replace(/\.ts$/, '')).join(', ')}`,
  );
  process.exit(2);
}
const benches = wanted.length > 0 ? wanted.map((name) => `${name}.ts`) : all;

const failed: string[] = [];
for (const name of benches) {
  console.log(`\n=== bench/${name}`);
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(here, name)], { stdio: 'inherit' });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (code === 0) {
    console.log(`=== bench/${name}: done in ${seconds} s`);
  } else {
    failed.push(name);
    console.log(`=== bench/${name}: FAILED (${signal ?? `exit ${code}`}) after ${seconds} s`);
  }
}
console.log(
  `\n${benches.length - failed.length} of ${benches.length} benchmarks ran${failed.length ? `; failed: ${failed.join(', ')}` : ''}`,
);
process.exitCode = failed.length > 0 ? 1 : 0;
