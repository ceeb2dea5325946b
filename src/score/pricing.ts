// What judge calls cost: a price table per model, a user override, and the cost of a usage.
import { PriceTableError } from './errors.ts';
import type { TokenUsage } from './transport/judge-transport.ts';
import { imageTokens } from './transport/request-charge.ts';

/** US dollars per 1M tokens. */
export interface ModelPrice {
  readonly input: number;
  /** Prompt tokens served from OpenAI's prompt cache (`prompt_tokens_details.cached_tokens`). */
  readonly cachedInput: number;
  readonly output: number;
}

/**
 * OpenAI list prices for standard (non-batch) processing, as published on
 * https://openai.com/api/pricing in June 2025. Check them before relying on `max-cost-usd`;
 * override with `DREAMBENCH_PRICES`. gpt-4o-2024-05-13 has no prompt-cache discount.
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-2024-11-20': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-2024-08-06': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-2024-05-13': { input: 5, cachedInput: 5, output: 15 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4o-mini-2024-07-18': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-2025-04-14': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-mini-2025-04-14': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4.1-nano-2025-04-14': { input: 0.1, cachedInput: 0.025, output: 0.4 },
};

/**
 * The Batch API's price against realtime: "a 50% discount" on input and output tokens alike
 * (https://platform.openai.com/docs/guides/batch, and the Batch column of the pricing page).
 * The one place batch prices come from.
 */
export const BATCH_PRICE_FACTOR = 0.5;

/** What a model's tokens cost when carried by `via`: realtime list prices, or the Batch API's. */
export function priceVia(price: ModelPrice, via: 'realtime' | 'batch'): ModelPrice {
  if (via === 'realtime') return price;
  return {
    input: price.input * BATCH_PRICE_FACTOR,
    cachedInput: price.cachedInput * BATCH_PRICE_FACTOR,
    output: price.output * BATCH_PRICE_FACTOR,
  };
}

/**
 * Parses `DREAMBENCH_PRICES`: a JSON object mapping model names to
 * `{ "input": n, "cachedInput": n, "output": n }` in dollars per 1M tokens (`cachedInput`
 * defaults to `input`). The result is merged over the defaults.
 */
export function parsePriceOverrides(json: string | undefined): Record<string, ModelPrice> {
  if (json === undefined || json.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new PriceTableError(json, `not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PriceTableError(
      json,
      'expected an object of {"<model>": {"input": n, "cachedInput": n, "output": n}}',
    );
  }
  const prices: Record<string, ModelPrice> = {};
  for (const [model, value] of Object.entries(parsed)) {
    const v = value as Record<string, unknown>;
    const input = v?.['input'];
    const output = v?.['output'];
    const cachedInput = v?.['cachedInput'] ?? input;
    for (const [field, n] of [
      ['input', input],
      ['output', output],
      ['cachedInput', cachedInput],
    ] as const) {
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
        throw new PriceTableError(
          json,
          `${model}.${field} is ${JSON.stringify(n)}; expected a number >= 0 (dollars per 1M tokens)`,
        );
      }
    }
    prices[model] = {
      input: input as number,
      cachedInput: cachedInput as number,
      output: output as number,
    };
  }
  return prices;
}

/** Exact name first, then the longest table entry the model name starts with (dated snapshots). */
export function priceFor(
  model: string,
  table: Readonly<Record<string, ModelPrice>>,
): ModelPrice | undefined {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (model.startsWith(`${name}-`) && (best === undefined || name.length > best.length))
      best = name;
  }
  return best === undefined ? undefined : table[best];
}

export function costUsd(usage: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedTokens, usage.promptTokens);
  return (
    ((usage.promptTokens - cached) * price.input +
      cached * price.cachedInput +
      usage.completionTokens * price.output) /
    1e6
  );
}

/**
 * A prior for the cost of one call before any has completed: OpenAI's `detail: high` image
 * accounting (85 + 170 per 512-px tile after fitting into 768 px on the short side), ~4
 * characters per text token, and a PF-sized reply.
 */
export function estimateCallUsage(
  imageSize: number,
  images: number,
  textChars: number,
): TokenUsage {
  return {
    promptTokens: images * imageTokens(imageSize, imageSize) + Math.ceil(textChars / 4) + 20,
    completionTokens: 200,
    cachedTokens: 0,
  };
}
