// A baseline's stored judge images go to the judge byte for byte: what was judged before is what
// this run's judge sees, with no second JPEG pass.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { prepareImage } from '../../src/score/prepare-image.ts';
import { scoreSamples, type ScoreItem } from '../../src/score/score-samples.ts';
import { createOpenAIJudge } from '../../src/score/transport/openai-client.ts';
import { dataUrlBytes, imagesInRequest } from '../harness/servers/openai.ts';
import { fakeClock, judgeFixture, seededRng, tempDir } from './helpers.ts';

const fixture = judgeFixture(2, ['object']);

async function stored(dir: string, name: string, from: string, size: number): Promise<string> {
  const file = path.join(dir, name);
  await sharp((await prepareImage(from, size)).bytes).toFile(file);
  return file;
}

function judge(items: readonly ScoreItem[]) {
  const { server, templates } = fixture;
  return scoreSamples(
    items,
    {
      transport: createOpenAIJudge({ apiKey: 'sk-test', baseURL: server.baseURL, timeoutMs: 5000 }),
      clock: fakeClock(),
      rng: seededRng(),
    },
    { model: 'gpt-4o', scoring: 'sampled', repeats: 1, concurrency: 2, imageSize: 64, templates },
  );
}

describe('items whose images are already prepared', () => {
  it('send the stored bytes exactly, and hash them as they are', async () => {
    const dir = await tempDir();
    const [a] = fixture.items;
    const image = await stored(dir, 'gen.jpg', a!.imagePath, 64);
    const reference = await stored(dir, 'ref.jpg', a!.referencePath, 64);
    const bytes = await readFile(image);
    const { records, failures } = await judge([
      { ...a!, imagePath: image, referencePath: reference, asPrepared: ['generated', 'reference'] },
    ]);
    expect(failures).toEqual([]);
    const sent = fixture.server.requests.map((r) => imagesInRequest(r.body).map(dataUrlBytes));
    const cp = sent.find((s) => s.length === 2)!;
    expect(cp[0]!.equals(await readFile(reference))).toBe(true);
    expect(cp[1]!.equals(bytes)).toBe(true);
    expect(sent.find((s) => s.length === 1)![0]!.equals(bytes)).toBe(true);
    const { createHash } = await import('node:crypto');
    expect(records[0]!.imageSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('fail as an image failure when the stored file is not a judge image of this size', async () => {
    const dir = await tempDir();
    const [a] = fixture.items;
    const image = await stored(dir, 'gen-128.jpg', a!.imagePath, 128);
    const { failures } = await judge([{ ...a!, imagePath: image, asPrepared: ['generated'] }]);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.reason).toMatch(/128x128 jpeg, not a 64x64 JPEG judge image/);
    expect(fixture.server.requests).toHaveLength(0);
  });
});
