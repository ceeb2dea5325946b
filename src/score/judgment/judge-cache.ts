// Judgments reused for byte-identical inputs: the key (pure), the store interface, and a folder
// store (one small JSON file per key, written atomically).
import type { JudgeScoring } from '../../constants.ts';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metric } from '../../types.ts';
import type { TokenUsage } from '../transport/judge-transport.ts';
import type { TemplateKind } from './templates.ts';

export interface CacheKeyParts {
  readonly model: string;
  readonly scoring: JudgeScoring;
  readonly templatesSha256: string;
  readonly metric: Metric;
  /** Which template set (subject/style/text): it changes the messages. */
  readonly template: TemplateKind;
  /** sha256 of the prepared (judge-size JPEG) generated image. */
  readonly imageSha256: string;
  /** sha256 of the prepared reference image (CP), `null` for PF. */
  readonly referenceSha256: string | null;
  /** The generation prompt (PF), `null` for CP: CP messages do not contain it. */
  readonly prompt: string | null;
  readonly repeat: number;
  readonly temperature: number;
  /** The metric's visible output limit as configured (what a run learns on top is not part of it). */
  readonly maxTokens: number;
  /** Alternatives asked for under expected scoring; `null` under sampled scoring. */
  readonly topLogprobs: number | null;
  /** Where the judge is: `openai-base-url` as given, query included (Azure `api-version`). */
  readonly endpoint: string;
  /** How the input turn is built (`inputTurnProtocol` of messages.ts). */
  readonly protocol: string;
}

/** Everything that changes the request, hashed. Bump `v` when the record's meaning changes. */
export function judgmentCacheKey(parts: CacheKeyParts): string {
  const canonical = JSON.stringify({
    v: 3,
    model: parts.model,
    scoring: parts.scoring,
    templates: parts.templatesSha256,
    metric: parts.metric,
    template: parts.template,
    image: parts.imageSha256,
    reference: parts.referenceSha256,
    prompt: parts.prompt,
    repeat: parts.repeat,
    temperature: parts.temperature,
    maxTokens: parts.maxTokens,
    topLogprobs: parts.topLogprobs,
    endpoint: parts.endpoint,
    protocol: parts.protocol,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** A successful judgment as stored (failures are never cached: they may succeed next time). */
export interface CachedJudgment {
  readonly sampled: number;
  readonly expected: number | null;
  readonly scoring: JudgeScoring;
  readonly reply: string;
  readonly model: string | null;
  readonly systemFingerprint: string | null;
  readonly usage: TokenUsage;
  /** What the original call cost (this run pays nothing for a hit). */
  readonly costUsd: number | null;
}

export interface JudgeCache {
  get(key: string): Promise<CachedJudgment | undefined>;
  set(key: string, value: CachedJudgment): Promise<void>;
}

/** `<dir>/<key[0:2]>/<key>.json`. A corrupt or unreadable entry is a miss, never an error. */
export class FolderJudgeCache implements JudgeCache {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }
  #file(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key))
      throw new TypeError(`judge cache key ${JSON.stringify(key)} is not a sha256 hex digest`);
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }
  async get(key: string): Promise<CachedJudgment | undefined> {
    try {
      // Checked by the reader (SharedJudgments), whatever the store.
      return JSON.parse(await readFile(this.#file(key), 'utf8')) as CachedJudgment;
    } catch {
      return undefined;
    }
  }
  async set(key: string, value: CachedJudgment): Promise<void> {
    const file = this.#file(key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, JSON.stringify(value));
    await rename(tmp, file);
  }
}
