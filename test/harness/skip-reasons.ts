// A vitest reporter that prints every skipped test with its reason at the end of the run (the
// default reporter only counts them). A skip without a reason is printed as such, so it shows.
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export default class SkipReasons implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests('skipped')) {
        const result = test.result();
        if (test.options.mode === 'todo' || result.state !== 'skipped') continue;
        const file = path.relative(process.cwd(), test.module.moduleId);
        lines.push(`  ↓ ${file} > ${test.fullName}`);
        lines.push(
          `      ${result.note ? `skipped: ${result.note}` : 'skipped WITHOUT A REASON (use ctx.skip(reason))'}`,
        );
      }
    }
    if (lines.length > 0)
      console.log(`\nSkipped tests (${lines.length / 2}):\n${lines.join('\n')}`);
  }
}
