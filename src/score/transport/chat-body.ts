// The JSON body of a chat-completions request, as bytes (pure). Images held as DataUrl bytes are
// copied in as they are (base64 needs no JSON escaping); everything else goes through
// JSON.stringify. The result parses to exactly what the SDK would have sent for the same request.
import { DataUrl } from './data-url.ts';
import type { ChatMessage, ImagePart, JudgeRequest, TextPart } from './judge-transport.ts';

const text = (s: string) => Buffer.from(s, 'utf8');

function imagePart(part: ImagePart, out: Buffer[]): void {
  const { url, detail } = part.image_url;
  if (!(url instanceof DataUrl)) {
    out.push(text(JSON.stringify(part)));
    return;
  }
  out.push(text('{"type":"image_url","image_url":{"url":"'), url.ascii);
  out.push(text(`",${JSON.stringify({ detail }).slice(1, -1)}}}`));
}

function message(m: ChatMessage, out: Buffer[]): void {
  if (typeof m.content === 'string') {
    out.push(text(JSON.stringify(m)));
    return;
  }
  out.push(text(`{"role":${JSON.stringify(m.role)},"content":[`));
  m.content.forEach((part: TextPart | ImagePart, i) => {
    if (i > 0) out.push(text(','));
    if (part.type === 'text') out.push(text(JSON.stringify(part)));
    else imagePart(part, out);
  });
  out.push(text(']}'));
}

/** The request's wire parameters other than the messages, as the API names them. */
export function wireParameters(request: JudgeRequest): Record<string, unknown> {
  return {
    model: request.model,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    [request.tokenLimitParam ?? 'max_tokens']: request.maxTokens,
    ...(request.topLogprobs !== undefined
      ? { logprobs: true, top_logprobs: request.topLogprobs }
      : {}),
  };
}

export function chatBody(request: JudgeRequest): Buffer {
  return Buffer.concat(chatBodyParts(request));
}

/**
 * The body as its parts, in order: images are the DataUrl's own bytes, not copies, so a writer
 * that takes the parts (a batch input file) never copies an image.
 */
export function chatBodyParts(request: JudgeRequest): Buffer[] {
  const rest = JSON.stringify(wireParameters(request));
  const out: Buffer[] = [text('{"messages":[')];
  request.messages.forEach((m, i) => {
    if (i > 0) out.push(text(','));
    message(m, out);
  });
  out.push(text(`],${rest.slice(1)}`));
  return out;
}
