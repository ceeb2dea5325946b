// What a reply amounts to (pure): a score (with its expected value where log-probabilities came),
// a refusal, or an unparseable reply, with the reason.
import type { JudgeReply } from '../transport/judge-transport.ts';
import { expectedScore } from './expected-score.ts';
import type { JudgmentError } from './judgment.ts';
import { looksLikeRefusal, parseScore } from './parse-reply.ts';

export type Interpreted =
  { ok: true; sampled: number; expected: number | null } | { ok: false; error: JudgmentError };

/** Refusal field or content filter first; then a valid score; then refusal-like text; else unparseable. */
export function interpret(reply: JudgeReply): Interpreted {
  if (reply.refusal)
    return {
      ok: false,
      error: { kind: 'refused', reason: `the judge refused: ${quote(reply.refusal)}` },
    };
  if (reply.finishReason === 'content_filter') {
    return {
      ok: false,
      error: { kind: 'refused', reason: 'the reply was stopped by the content filter' },
    };
  }
  const text = reply.content ?? '';
  const parsed = parseScore(text);
  if (parsed.ok) {
    const expected = reply.logprobs
      ? (expectedScore(reply.logprobs, text, parsed.index) ?? null)
      : null;
    return { ok: true, sampled: parsed.score, expected };
  }
  if (looksLikeRefusal(text))
    return { ok: false, error: { kind: 'refused', reason: `the judge refused: ${quote(text)}` } };
  return { ok: false, error: { kind: 'unparseable', reason: `${parsed.reason}: ${quote(text)}` } };
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 160 ? `${flat.slice(0, 160)}…` : flat);
}
