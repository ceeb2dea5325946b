// A toy "personalized model" for the demo and the end-to-end tests: it reads the manifest and, for
// each line, writes a copy of the reference image degraded by its quality knob, so a worse model
// really does lose the subject. It is not a generative model; it exists to exercise the pipeline.
//
//   node demo/toy-model.ts <manifest>        (or DREAMBENCH_MANIFEST)
//   TOY_QUALITY=0..1   1 keeps the subject sharp and colourful; lower blurs and washes it out
import { readFileSync } from 'node:fs';
import sharp from 'sharp';

const manifest = process.argv[2] ?? process.env.DREAMBENCH_MANIFEST;
if (!manifest) throw new Error('usage: node demo/toy-model.ts <manifest.jsonl>');
const quality = Math.min(1, Math.max(0, Number(process.env.TOY_QUALITY ?? '1')));
/** The output's side, and how far the seed may move the crop. */
const SIDE = 320;
const MARGIN = 16;

interface Line {
  id: string;
  prompt_index: number;
  reference_images: string[];
  output_image: string;
  seed: number;
}

const lines = readFileSync(manifest, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Line);

for (const line of lines) {
  // The seed moves the crop a little, as sampling noise would move a real model's output: each
  // prompt of a concept gets its own framing, so their scores differ instead of tying.
  const left = line.seed % (MARGIN + 1);
  const top = Math.floor(line.seed / (MARGIN + 1)) % (MARGIN + 1);
  await sharp(line.reference_images[0])
    .rotate()
    .resize(SIDE + MARGIN, SIDE + MARGIN, { fit: 'cover' })
    .extract({ left, top, width: SIDE, height: SIDE })
    .modulate({ saturation: 0.2 + 0.8 * quality, brightness: 0.8 + 0.2 * quality })
    .blur(0.3 + (1 - quality) * 12)
    .png()
    .toFile(line.output_image);
}
console.log(`toy model (quality ${quality}) wrote ${lines.length} images`);
