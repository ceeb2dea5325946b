// What a request costs against the account's token bucket, estimated as the API documents its
// own estimate (pure): the prompt's tokens, from its characters (~4 a token) and its images, plus
// the output limit (`max_tokens` or `max_completion_tokens`) times `n`. The API charges this on
// arrival, before the reply exists; the scheduler calibrates it against what the answers report.
// https://platform.openai.com/docs/guides/rate-limits ("reduce the max_tokens to match the size of
// your completions"); images: https://platform.openai.com/docs/guides/images-vision (calculating costs).
import { DataUrl, jpegSize } from './data-url.ts';
import type { ChatMessage, JudgeRequest } from './judge-transport.ts';

/** `detail: high`: fit in 2048 px, shortest side to 768 px, then 170 per 512 px tile plus 85. */
export function imageTokens(width: number, height: number): number {
  const fit = Math.min(1, 2048 / Math.max(width, height));
  const short = Math.min(1, 768 / Math.min(width * fit, height * fit));
  const tiles = Math.ceil((width * fit * short) / 512) * Math.ceil((height * fit * short) / 512);
  return 85 + 170 * tiles;
}

/** Our images carry no metadata: the frame header is within the first few hundred bytes. */
const HEADER_BASE64_CHARS = 4096;

function dataUrlImageTokens(url: string | DataUrl): number {
  if (url instanceof DataUrl) return imageTokens(url.width ?? 512, url.height ?? 512);
  const comma = url.indexOf(',');
  const head = Buffer.from(url.slice(comma + 1, comma + 1 + HEADER_BASE64_CHARS), 'base64');
  const size = jpegSize(head) ?? { width: 512, height: 512 };
  return imageTokens(size.width, size.height);
}

/** The prompt's tokens: text characters / 4 plus each image by its size. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  let chars = 0;
  let images = 0;
  for (const message of messages) {
    if (typeof message.content === 'string') {
      chars += message.content.length;
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'text') chars += part.text.length;
      else images += dataUrlImageTokens(part.image_url.url);
    }
  }
  return Math.ceil(chars / 4) + images;
}

/** The request's charge against the token bucket: prompt estimate plus its output limit. */
export function requestCharge(request: JudgeRequest, promptTokens: number): number {
  return promptTokens + request.maxTokens;
}
