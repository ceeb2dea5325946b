// A stand-in for the GPT-4o judge, for the demo and the end-to-end tests. Its scores mean nothing
// about real image quality, but they follow the images deterministically, so a model that loses
// its subject scores lower:
//   CP (two images): how close the generated image is to the reference, from 8x8 thumbnails;
//   PF (one image):  how colourful and sharp the generated image is.
// The scores are continuous in 0-4: the loopback judge writes the nearest integer and, under
// logprobs, gives an expected score equal to the continuous value, so samples rarely tie.
import sharp from 'sharp';
import { dataUrlBytes, imagesInRequest, type RecordedRequest } from './servers/openai.ts';

async function thumbnail(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes).resize(8, 8, { fit: 'fill' }).removeAlpha().raw().toBuffer();
}

function clampScore(x: number): number {
  return Math.max(0, Math.min(4, x));
}

/** 4 for a near-copy, 0 for an unrelated image. */
export async function similarityScore(reference: Buffer, generated: Buffer): Promise<number> {
  const [a, b] = await Promise.all([thumbnail(reference), thumbnail(generated)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
  return clampScore(3.6 - diff / a.length / 6);
}

/** Colourfulness and contrast of one image, mapped to 0-4. */
export async function vividnessScore(image: Buffer): Promise<number> {
  const stats = await sharp(image).removeAlpha().stats();
  const spread = stats.channels.reduce((s, c) => s + c.stdev, 0) / stats.channels.length;
  const means = stats.channels.map((c) => c.mean);
  const chroma = Math.max(...means) - Math.min(...means);
  return clampScore(spread / 16 + chroma / 40);
}

export async function standinScore(request: RecordedRequest): Promise<number> {
  const images = imagesInRequest(request.body).map(dataUrlBytes);
  if (images.length >= 2) return similarityScore(images[0]!, images[1]!);
  return images[0] ? vividnessScore(images[0]) : 0;
}
