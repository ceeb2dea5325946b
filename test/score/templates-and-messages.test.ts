import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildMessages,
  inputTurnProtocol,
  templateKindFor,
} from '../../src/score/judgment/messages.ts';
import { TemplateError } from '../../src/score/judgment/errors.ts';
import {
  loadTemplates,
  TEMPLATE_KINDS,
  templateFileNames,
} from '../../src/score/judgment/templates.ts';
import type { FinalTurn } from '../../src/constants.ts';
import { scoreSamples } from '../../src/score/score-samples.ts';
import { createOpenAIJudge } from '../../src/score/transport/openai-client.ts';
import { fakeClock, judgeFixture, MemoryJudgeCache, seededRng, tempDir } from './helpers.ts';

const bundled = path.resolve(import.meta.dirname, '../../prompts');
const fixture = judgeFixture(1, ['object']);

async function upstreamLayout(edit?: (name: string, text: string) => string): Promise<string> {
  const dir = path.join(await tempDir(), 'my-prompts');
  await mkdir(dir);
  for (const kind of TEMPLATE_KINDS) {
    for (const name of Object.values(templateFileNames(kind))) {
      const text = `Custom ${name}: rate it.\n`;
      await writeFile(path.join(dir, name), edit ? edit(name, text) : text);
    }
  }
  return dir;
}

describe('prompt templates', () => {
  it('bundled templates follow the protocol: criteria, 0-4 labelled scale, Score: N, PF analysis first', async () => {
    const t = await loadTemplates(bundled);
    for (const word of ['shape', 'color', 'texture', 'facial features'])
      expect(t.subject.instruction.toLowerCase()).toContain(word);
    for (const word of ['color and toning', 'brushstrokes and texture', 'style representation'])
      expect(t.style.instruction.toLowerCase()).toContain(word);
    for (const word of ['relevance', 'accuracy', 'completeness', 'context'])
      expect(t.text.instruction.toLowerCase()).toContain(word);
    for (const kind of TEMPLATE_KINDS) {
      expect(t[kind].instruction).toMatch(/0 \(very poor\)[\s\S]*4 \(excellent\)/);
      expect(t[kind].instruction).toContain('Score: N');
      expect(t[kind].restatement.length).toBeGreaterThan(50);
    }
    expect(t.text.instruction).toMatch(/brief analysis/i);
    expect(t.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an upstream-layout folder is a drop-in, and its hash differs from the bundled one', async () => {
    const dir = await upstreamLayout();
    const t = await loadTemplates(dir);
    expect(t.subject.instruction).toBe('Custom user_prompt_subject_full.txt: rate it.');
    expect(t.text.restatement).toBe('Custom gpt_prompt_text_full.txt: rate it.');
    expect(t.sha256).not.toBe((await loadTemplates(bundled)).sha256);
    // One changed byte changes the hash (it is part of the comparability fingerprint).
    const edited = await loadTemplates(
      await upstreamLayout((n, s) => (n === 'gpt_prompt_style_full.txt' ? `${s} ` : s)),
    );
    expect(edited.sha256).not.toBe(t.sha256);
  });

  it('names the missing or empty file', async () => {
    const dir = await upstreamLayout((n, s) => (n === 'user_prompt_style_full.txt' ? '  \n' : s));
    await expect(loadTemplates(dir)).rejects.toThrow(/user_prompt_style_full\.txt" is empty/);
    await expect(loadTemplates(path.join(dir, 'nope'))).rejects.toBeInstanceOf(TemplateError);
  });
});

describe('buildMessages', () => {
  it('CP: instruction, restatement, then reference image first and generated second, detail high', async () => {
    const t = await loadTemplates(bundled);
    const m = buildMessages('cp', 'animal', t, {
      image: 'data:image/jpeg;base64,GEN',
      reference: 'data:image/jpeg;base64,REF',
    });
    expect(m.map((x) => x.role)).toEqual(['user', 'assistant', 'user']);
    expect(m[0]!.content).toBe(t.subject.instruction);
    expect(m[1]!.content).toBe(t.subject.restatement);
    const images = (
      m[2]!.content as Array<{ type: string; image_url?: { url: string; detail: string } }>
    ).filter((p) => p.image_url);
    expect(images.map((p) => [p.image_url!.url, p.image_url!.detail])).toEqual([
      ['data:image/jpeg;base64,REF', 'high'],
      ['data:image/jpeg;base64,GEN', 'high'],
    ]);
  });

  it('chooses the style criteria for the style category and PF sends the prompt text then the image', async () => {
    const t = await loadTemplates(bundled);
    expect(templateKindFor('cp', 'style')).toBe('style');
    expect(templateKindFor('cp', 'human')).toBe('subject');
    expect(templateKindFor('pf', 'style')).toBe('text');
    expect(buildMessages('cp', 'style', t, { image: 'g', reference: 'r' })[0]!.content).toBe(
      t.style.instruction,
    );
    const pf = buildMessages('pf', 'object', t, { image: 'g', prompt: 'a teapot on the moon' });
    expect(pf[0]!.content).toBe(t.text.instruction);
    const parts = pf[2]!.content as Array<{ type: string; text?: string }>;
    expect(parts[0]).toEqual({ type: 'text', text: 'Prompt: a teapot on the moon' });
    expect(parts.at(-1)!.type).toBe('image_url');
    expect(parts.filter((p) => p.type === 'image_url')).toHaveLength(1);
  });

  it('bundled prompts are our own text, not the upstream files', async () => {
    const text = await readFile(path.join(bundled, 'user_prompt_subject_full.txt'), 'utf8');
    expect(text).toContain('generic member of the same class');
  });
});

describe('the final turn', () => {
  const upstreamDir = path.resolve(import.meta.dirname, '../fixtures/upstream-layout-prompts');

  it('of the bundled templates is labelled: each image and the prompt announced', async () => {
    const t = await loadTemplates(bundled);
    expect(t.finalTurn).toBe('labelled');
    const cp = buildMessages('cp', 'object', t, { image: 'G', reference: 'R' });
    expect(cp[2]!.content).toEqual([
      { type: 'text', text: 'Reference image:' },
      { type: 'image_url', image_url: { url: 'R', detail: 'high' } },
      { type: 'text', text: 'Generated image:' },
      { type: 'image_url', image_url: { url: 'G', detail: 'high' } },
    ]);
    const pf = buildMessages('pf', 'object', t, { image: 'G', prompt: 'a teapot on the moon' });
    expect(pf[2]!.content).toEqual([
      { type: 'text', text: 'Prompt: a teapot on the moon' },
      { type: 'text', text: 'Generated image:' },
      { type: 'image_url', image_url: { url: 'G', detail: 'high' } },
    ]);
  });

  it("of an upstream-layout folder is upstream's: CP the two images alone, PF the prompt then the image", async () => {
    const t = await loadTemplates(upstreamDir, 'upstream');
    const instruction = (
      await readFile(path.join(upstreamDir, 'user_prompt_style_full.txt'), 'utf8')
    ).trim();
    const restatement = (
      await readFile(path.join(upstreamDir, 'gpt_prompt_style_full.txt'), 'utf8')
    ).trim();
    expect(buildMessages('cp', 'style', t, { image: 'G', reference: 'R' })).toEqual([
      { role: 'user', content: instruction },
      { role: 'assistant', content: restatement },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'R', detail: 'high' } },
          { type: 'image_url', image_url: { url: 'G', detail: 'high' } },
        ],
      },
    ]);
    expect(buildMessages('pf', 'style', t, { image: 'G', prompt: 'a fox, in ukiyo-e' })[2]).toEqual(
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a fox, in ukiyo-e' },
          { type: 'image_url', image_url: { url: 'G', detail: 'high' } },
        ],
      },
    );
  });

  it('is part of the cache key: a labelled judgment is never reused for an upstream turn', async () => {
    expect(inputTurnProtocol('labelled')).not.toBe(inputTurnProtocol('upstream'));
    // The labelled protocol keeps the key it had, so judgments cached before stay usable.
    expect(inputTurnProtocol('labelled')).toMatch(/^1:[0-9a-f]{16}$/);
    expect(inputTurnProtocol('labelled')).toBe('1:963f0024d420f96b');
    // The same template files sent with the other final turn: judged afresh, not from the cache.
    const cache = new MemoryJudgeCache();
    const { server, items } = fixture;
    const transport = createOpenAIJudge({
      apiKey: 'sk-test',
      baseURL: server.baseURL,
      timeoutMs: 5000,
    });
    const judge = async (finalTurn: FinalTurn) =>
      (
        await scoreSamples(
          items,
          { transport, cache, clock: fakeClock(), rng: seededRng() },
          {
            model: 'gpt-4o-2024-08-06',
            scoring: 'sampled',
            repeats: 1,
            concurrency: 2,
            imageSize: 64,
            templates: await loadTemplates(bundled, finalTurn),
          },
        )
      ).stats;
    expect((await judge('labelled')).cacheMisses).toBe(2);
    expect((await judge('upstream')).cacheHits).toBe(0);
    expect((await judge('labelled')).cacheHits).toBe(2); // the cache does serve the turn it holds
  });
});
