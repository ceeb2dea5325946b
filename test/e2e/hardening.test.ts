// Damaged inputs, end to end on dist/index.js: each ends in a clear message, and a run never loses
// its own results to someone else's damage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataZip, buildLayoutFiles, zipFiles } from '../harness/servers/hub.ts';
import { pushEvent, startStack, type Stack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const DATA_ZIP = 'yuangpeng/dreambench_plus@main/data.zip';

describe("a self-hosted runner's tool cache", () => {
  it('keeps no broken dataset, and the run after the hub is fixed uses the fixed one', async () => {
    const files = await buildLayoutFiles({ perCategory: 3 });
    files['data/captions/style/01.txt'] = Buffer.from('Ink Wash 1\nonly one prompt\n');
    stack.hub.publish(DATA_ZIP, zipFiles(files));
    const broken = await stack.run({ runId: 9101, event: pushEvent(), inputs: { samples: '12' } });
    expect(broken.exitCode).toBe(1);
    expect(broken.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /captions\/style\/01\.txt": needs exactly 9 non-empty prompt lines/,
    );

    stack.hub.publish(DATA_ZIP, await buildDataZip({ perCategory: 3 }));
    const fixed = await stack.run({ runId: 9102, event: pushEvent(), inputs: { samples: '12' } });
    expect(fixed.exitCode).toBe(0);
    expect(fixed.outputs['samples-scored']).toBe('12');
  });
});
