// Builds the judge conversation (pure): instruction turn, restating assistant turn, input turn.
import { createHash } from 'node:crypto';
import type { Category, Metric } from '../../types.ts';
import type { DataUrl } from '../transport/data-url.ts';
import type { ChatMessage, ImagePart, TextPart } from '../transport/judge-transport.ts';
import type { TemplateKind, Templates } from './templates.ts';

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

/** The text of the input turn around the images and the prompt. */
export const INPUT_TURN_LABELS = {
  reference: 'Reference image:',
  generated: 'Generated image:',
  promptPrefix: 'Prompt: ',
} as const;

/**
 * Bump when the input turn changes in a way the labels do not show (order, parts): judgments
 * cached under another protocol are not reused.
 */
export const INPUT_TURN_VERSION = 1;

/** Identifies how the input turn is built (version and labels), for the judgment cache key. */
export const INPUT_TURN_PROTOCOL = `${INPUT_TURN_VERSION}:${createHash('sha256')
  .update(JSON.stringify(INPUT_TURN_LABELS))
  .digest('hex')
  .slice(0, 16)}`;

function image(url: ImageUrl): ImagePart {
  return { type: 'image_url', image_url: { url, detail: 'high' } };
}

export function buildMessages(
  metric: Metric,
  category: Category,
  templates: Templates,
  inputs: MessageInputs,
): JudgeMessage[] {
  const pair = templates[templateKindFor(metric, category)];
  let input: Array<TextPart | ImagePart>;
  if (metric === 'cp') {
    if (inputs.reference === undefined)
      throw new TypeError('buildMessages: CP needs a reference image');
    // Labels make the order explicit even for templates that only say "first" and "second".
    input = [
      { type: 'text', text: INPUT_TURN_LABELS.reference },
      image(inputs.reference),
      { type: 'text', text: INPUT_TURN_LABELS.generated },
      image(inputs.image),
    ];
  } else {
    if (inputs.prompt === undefined) throw new TypeError('buildMessages: PF needs the prompt text');
    input = [
      { type: 'text', text: `${INPUT_TURN_LABELS.promptPrefix}${inputs.prompt}` },
      { type: 'text', text: INPUT_TURN_LABELS.generated },
      image(inputs.image),
    ];
  }
  return [
    { role: 'user', content: pair.instruction },
    { role: 'assistant', content: pair.restatement },
    { role: 'user', content: input },
  ];
}
