// The drop-in: a prompts folder in the upstream layout (written in our words, test/fixtures/)
// gets upstream's three turns exactly, the final one included, in the request bodies the real
// `openai` SDK sends to the loopback chat-completions server.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareImage } from '../../src/score/prepare-image.ts';
import { scoreSamples } from '../../src/score/score-samples.ts';
import { loadTemplates } from '../../src/score/judgment/templates.ts';
import { createOpenAIJudge } from '../../src/score/transport/openai-client.ts';
import { fakeClock, judgeFixture, seededRng } from './helpers.ts';

const UPSTREAM_DIR = path.resolve(import.meta.dirname, '../fixtures/upstream-layout-prompts');
const fixture = judgeFixture(4, ['animal', 'style']);

const turn = async (name: string) => (await readFile(path.join(UPSTREAM_DIR, name), 'utf8')).trim();
const dataUrl = async (file: string) =>
  `data:image/jpeg;base64,${(await prepareImage(file, 64)).bytes.toString('base64')}`;
const image = (url: string) => ({ type: 'image_url', image_url: { url, detail: 'high' } });

describe('prompts-dir in the upstream layout', () => {
  it("sends upstream's turns exactly: instruction, restatement, then CP the two images alone and PF the prompt then the image", async () => {
    const templates = await loadTemplates(UPSTREAM_DIR, 'upstream');
    const { server, items } = fixture;
    const result = await scoreSamples(
      items,
      {
        transport: createOpenAIJudge({
          apiKey: 'sk-test',
          baseURL: server.baseURL,
          timeoutMs: 5000,
        }),
        clock: fakeClock(),
        rng: seededRng(),
      },
      {
        model: 'gpt-4o-2024-08-06',
        scoring: 'sampled',
        repeats: 1,
        concurrency: 2,
        imageSize: 64,
        templates,
      },
    );
    expect(result.failures).toEqual([]);
    expect(server.requests).toHaveLength(items.length * 2);
    const seen = new Set<string>();
    for (const item of items) {
      const kind = item.sample.category === 'style' ? 'style' : 'subject';
      const generated = await dataUrl(item.imagePath);
      const cp = [
        { role: 'user', content: await turn(`user_prompt_${kind}_full.txt`) },
        { role: 'assistant', content: await turn(`gpt_prompt_${kind}_full.txt`) },
        { role: 'user', content: [image(await dataUrl(item.referencePath)), image(generated)] },
      ];
      const pf = [
        { role: 'user', content: await turn('user_prompt_text_full.txt') },
        { role: 'assistant', content: await turn('gpt_prompt_text_full.txt') },
        {
          role: 'user',
          content: [{ type: 'text', text: item.sample.prompt }, image(generated)],
        },
      ];
      for (const messages of [cp, pf]) {
        const sent = server.requests.find(
          (r) => JSON.stringify(r.body.messages) === JSON.stringify(messages),
        );
        expect(sent, `${item.sample.id}: no request with exactly upstream's turns`).toBeDefined();
        seen.add(JSON.stringify(sent!.body.messages));
      }
    }
    // Every request is one of those: nothing else (no label, no prefix) was ever sent.
    expect(seen.size).toBe(server.requests.length);
  });
});
