// Builds the judge conversation (pure): instruction turn, restating assistant turn, input turn
// (upstream's exactly, or our labelled one: templates.ts `FinalTurn`).
import { createHash } from 'node:crypto';
import type { Category, Metric } from '../../types.ts';
import type { DataUrl } from '../transport/data-url.ts';
import type { ChatMessage, ImagePart, TextPart } from '../transport/judge-transport.ts';
import type { FinalTurn, TemplateKind, Templates } from './templates.ts';

/** A base64 `data:` URL of a prepared JPEG (as bytes, or a string). */
export type ImageUrl = string | DataUrl;

export interface MessageInputs {
  /** Prepared generated image. */
  readonly image: ImageUrl;
  /** Prepared reference image (CP only). */
  readonly reference?: ImageUrl;
  /** The generation prompt (PF only). */
  readonly prompt?: string;
}

export type JudgeMessage = ChatMessage;

/** CP uses the style criteria for the style category and the subject criteria otherwise. */
export function templateKindFor(metric: Metric, category: Category): TemplateKind {
  if (metric === 'pf') return 'text';
  return category === 'style' ? 'style' : 'subject';
}

/** The text of the labelled input turn (our bundled templates) around the images and the prompt. */
export const INPUT_TURN_LABELS = {
  reference: 'Reference image:',
  generated: 'Generated image:',
  promptPrefix: 'Prompt: ',
} as const;

/**
 * Bump when the labelled input turn changes in a way the labels do not show (order, parts):
 * judgments cached under another protocol are not reused.
 */
export const INPUT_TURN_VERSION = 1;

/** Hashed once: the cache key of every judgment names it. */
const LABELLED_PROTOCOL = `${INPUT_TURN_VERSION}:${createHash('sha256')
  .update(JSON.stringify(INPUT_TURN_LABELS))
  .digest('hex')
  .slice(0, 16)}`;

/** How the input turn is built, for the judgment cache key: the labelled turn keeps its old key. */
export function inputTurnProtocol(finalTurn: FinalTurn): string {
  return finalTurn === 'upstream' ? 'upstream:1' : LABELLED_PROTOCOL;
}

function image(url: ImageUrl): ImagePart {
  return { type: 'image_url', image_url: { url, detail: 'high' } };
}

function text(value: string): TextPart {
  return { type: 'text', text: value };
}

/** The inputs a metric needs: CP the reference, PF the prompt. */
function required(metric: Metric, inputs: MessageInputs): { reference: ImageUrl; prompt: string } {
  if (metric === 'cp' && inputs.reference === undefined)
    throw new TypeError('buildMessages: CP needs a reference image');
  if (metric === 'pf' && inputs.prompt === undefined)
    throw new TypeError('buildMessages: PF needs the prompt text');
  return { reference: inputs.reference ?? '', prompt: inputs.prompt ?? '' };
}

/** The last user turn: upstream's exactly, or ours with a label before each input. */
export function inputTurn(
  metric: Metric,
  finalTurn: FinalTurn,
  inputs: MessageInputs,
): Array<TextPart | ImagePart> {
  const { reference, prompt } = required(metric, inputs);
  if (finalTurn === 'upstream') {
    return metric === 'cp'
      ? [image(reference), image(inputs.image)]
      : [text(prompt), image(inputs.image)];
  }
  // Labels make the order explicit even for templates that only say "first" and "second".
  const L = INPUT_TURN_LABELS;
  return metric === 'cp'
    ? [text(L.reference), image(reference), text(L.generated), image(inputs.image)]
    : [text(`${L.promptPrefix}${prompt}`), text(L.generated), image(inputs.image)];
}

export function buildMessages(
  metric: Metric,
  category: Category,
  templates: Templates,
  inputs: MessageInputs,
): JudgeMessage[] {
  const pair = templates[templateKindFor(metric, category)];
  return [
    { role: 'user', content: pair.instruction },
    { role: 'assistant', content: pair.restatement },
    { role: 'user', content: inputTurn(metric, templates.finalTurn, inputs) },
  ];
}
