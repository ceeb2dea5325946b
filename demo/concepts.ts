// The demo's miniature benchmark, as data: each concept's category, subject line, nine prompts
// (0-3 photorealistic, 4-6 style transfer, 7-8 imaginative, as in DreamBench++) and where its
// reference image comes from (a DreamBooth photograph, or a drawing made at run time).
import type { Category } from '../src/types.ts';
import type { DrawingName } from './drawings.ts';

export type ConceptSource =
  /** A subject folder of `../shared/data/dreambooth`; its `00.jpg` is the reference. */
  { readonly photo: string } | { readonly drawing: DrawingName };

export interface DemoConcept {
  readonly category: Category;
  readonly subject: string;
  readonly prompts: readonly string[];
  readonly source: ConceptSource;
}

/** Animals and objects from real photographs (used when the DreamBooth folder is present). */
export const PHOTO_CONCEPTS: readonly DemoConcept[] = [
  {
    category: 'animal',
    subject: 'orange tabby cat',
    source: { photo: 'cat' },
    prompts: [
      'an orange tabby cat sleeping on a sunny windowsill',
      'an orange tabby cat walking through fresh snow',
      'an orange tabby cat sitting on a wooden kitchen table',
      'an orange tabby cat in a garden full of tulips',
      'an orange tabby cat painted in the style of Van Gogh',
      'an orange tabby cat as a Japanese ukiyo-e woodblock print',
      'an orange tabby cat drawn as a pencil sketch',
      'an orange tabby cat wearing an astronaut helmet on the moon',
      'an orange tabby cat the size of a mountain towering over a village',
    ],
  },
  {
    category: 'animal',
    subject: 'corgi',
    source: { photo: 'dog' },
    prompts: [
      'a corgi running on a sandy beach',
      'a corgi lying on a living room rug',
      'a corgi sitting in a field of autumn leaves',
      'a corgi looking out of a car window',
      'a corgi in the style of a Pixar animation',
      'a corgi as a stained glass window',
      'a corgi painted in watercolor',
      'a corgi wearing a crown and sitting on a throne',
      'a corgi surfing a giant wave made of milk',
    ],
  },
  {
    category: 'animal',
    subject: 'corgi puppy',
    source: { photo: 'dog6' },
    prompts: [
      'a corgi puppy sitting on green grass',
      'a corgi puppy in a wicker basket',
      'a corgi puppy on a city sidewalk',
      'a corgi puppy next to a red ball',
      'a corgi puppy in the style of a children’s book illustration',
      'a corgi puppy as a low-poly 3D render',
      'a corgi puppy as an oil painting',
      'a corgi puppy flying with tiny wings over the clouds',
      'a corgi puppy as a chess piece on a giant chessboard',
    ],
  },
  {
    category: 'animal',
    subject: 'border collie',
    source: { photo: 'dog8' },
    prompts: [
      'a border collie herding sheep on a hill',
      'a border collie catching a frisbee in a park',
      'a border collie lying by a fireplace',
      'a border collie on a mountain trail',
      'a border collie in the style of a comic book',
      'a border collie as a charcoal drawing',
      'a border collie in pixel art',
      'a border collie captain steering a pirate ship',
      'a border collie made of clouds drifting over a lake',
    ],
  },
  {
    category: 'object',
    subject: 'clay teapot',
    source: { photo: 'teapot' },
    prompts: [
      'a clay teapot on a bamboo mat',
      'a clay teapot on a stone table in a garden',
      'a clay teapot next to a steaming cup of tea',
      'a clay teapot on a shelf in a tea shop',
      'a clay teapot in the style of a Chinese ink painting',
      'a clay teapot as a cubist painting',
      'a clay teapot as a vintage botanical illustration',
      'a clay teapot floating in outer space among the stars',
      'a clay teapot used as a house by tiny people',
    ],
  },
  {
    category: 'object',
    subject: 'pink backpack',
    source: { photo: 'backpack' },
    prompts: [
      'a pink backpack on a park bench',
      'a pink backpack at the top of a mountain',
      'a pink backpack on a classroom desk',
      'a pink backpack hanging on a hook by the door',
      'a pink backpack in the style of pop art',
      'a pink backpack as an anime illustration',
      'a pink backpack as a linocut print',
      'a pink backpack with a small waterfall coming out of it',
      'a pink backpack floating as a hot air balloon over a city',
    ],
  },
  {
    category: 'object',
    subject: 'red vase',
    source: { photo: 'vase' },
    prompts: [
      'a red vase with sunflowers on a dining table',
      'a red vase on a marble mantelpiece',
      'a red vase on a windowsill in the rain',
      'a red vase in a museum display case',
      'a red vase in the style of Henri Matisse',
      'a red vase as a mosaic',
      'a red vase drawn in ballpoint pen',
      'a red vase at the bottom of the sea with fish swimming around',
      'a red vase growing a tree out of its neck',
    ],
  },
  {
    category: 'object',
    subject: 'bowl of blueberries',
    source: { photo: 'berry_bowl' },
    prompts: [
      'a bowl of blueberries on a picnic blanket',
      'a bowl of blueberries on a kitchen counter',
      'a bowl of blueberries next to a stack of pancakes',
      'a bowl of blueberries on a wooden boat',
      'a bowl of blueberries as a still life by Cézanne',
      'a bowl of blueberries in the style of a retro poster',
      'a bowl of blueberries as a watercolor sketch',
      'a bowl of blueberries where each berry is a tiny planet',
      'a bowl of blueberries as big as a swimming pool with kids swimming in it',
    ],
  },
];

/** Animals and objects drawn at run time (used when the photographs are absent). */
export const DRAWN_SUBJECT_CONCEPTS: readonly DemoConcept[] = [
  {
    category: 'animal',
    subject: 'cartoon fox',
    source: { drawing: 'fox' },
    prompts: [
      'a cartoon fox in a snowy forest',
      'a cartoon fox sitting on a tree stump',
      'a cartoon fox by a river at sunset',
      'a cartoon fox in a field of wheat',
      'a cartoon fox in the style of a Japanese woodblock print',
      'a cartoon fox as a clay figurine',
      'a cartoon fox painted in watercolor',
      'a cartoon fox reading a book in a library',
      'a cartoon fox riding a bicycle on the rings of Saturn',
    ],
  },
  {
    category: 'animal',
    subject: 'goldfish',
    source: { drawing: 'goldfish' },
    prompts: [
      'a goldfish in a glass bowl on a desk',
      'a goldfish in a pond with lily pads',
      'a goldfish among coral in a reef',
      'a goldfish in an aquarium with bubbles',
      'a goldfish in the style of Chinese ink painting',
      'a goldfish as a paper origami figure',
      'a goldfish in pixel art',
      'a goldfish swimming through the clouds',
      'a goldfish wearing a tiny top hat in a ballroom',
    ],
  },
  {
    category: 'object',
    subject: 'red teapot',
    source: { drawing: 'teapot' },
    prompts: [
      'a red teapot on a kitchen table',
      'a red teapot on a stove',
      'a red teapot on a picnic blanket',
      'a red teapot on a shelf with cups',
      'a red teapot in the style of Andy Warhol',
      'a red teapot as a pencil sketch',
      'a red teapot as a stained glass window',
      'a red teapot pouring a waterfall into a valley',
      'a red teapot sailing on the ocean like a ship',
    ],
  },
  {
    category: 'object',
    subject: 'striped hot air balloon',
    source: { drawing: 'balloon' },
    prompts: [
      'a striped hot air balloon over green hills',
      'a striped hot air balloon above a desert at dawn',
      'a striped hot air balloon over a city skyline',
      'a striped hot air balloon above a lake',
      'a striped hot air balloon in the style of a vintage travel poster',
      'a striped hot air balloon as a crayon drawing',
      'a striped hot air balloon as an embroidery',
      'a striped hot air balloon floating underwater among whales',
      'a striped hot air balloon carrying a house into the sky',
    ],
  },
];

/**
 * People and styles are always drawn: the DreamBooth photographs hold neither, and cropping a
 * photograph does not make a style. The subject lines say "illustration" so that a real judge
 * compares like with like.
 */
export const DRAWN_CONCEPTS: readonly DemoConcept[] = [
  {
    category: 'human',
    subject: 'illustrated woman with red curly hair',
    source: { drawing: 'woman' },
    prompts: [
      'an illustrated woman with red curly hair reading in a café',
      'an illustrated woman with red curly hair walking in the rain with an umbrella',
      'an illustrated woman with red curly hair on a city street',
      'an illustrated woman with red curly hair in a library',
      'an illustrated woman with red curly hair as a Renaissance portrait',
      'an illustrated woman with red curly hair in anime style',
      'an illustrated woman with red curly hair as a pop art print',
      'an illustrated woman with red curly hair as a knight in shining armor',
      'an illustrated woman with red curly hair conducting an orchestra of birds',
    ],
  },
  {
    category: 'human',
    subject: 'illustrated man with a beard and a blue beanie',
    source: { drawing: 'man' },
    prompts: [
      'an illustrated man with a beard and a blue beanie chopping wood',
      'an illustrated man with a beard and a blue beanie on a fishing boat',
      'an illustrated man with a beard and a blue beanie in a coffee shop',
      'an illustrated man with a beard and a blue beanie on a mountain summit',
      'an illustrated man with a beard and a blue beanie as a charcoal drawing',
      'an illustrated man with a beard and a blue beanie in the style of a comic book',
      'an illustrated man with a beard and a blue beanie as a mosaic',
      'an illustrated man with a beard and a blue beanie as a pirate captain',
      'an illustrated man with a beard and a blue beanie walking on the moon',
    ],
  },
  {
    category: 'style',
    subject: 'Bauhaus geometric poster',
    source: { drawing: 'bauhaus' },
    prompts: [
      'a lighthouse on a cliff',
      'a cat sitting on a chair',
      'a bicycle leaning against a wall',
      'a city skyline at night',
      'a bowl of fruit',
      'a sailboat on the sea',
      'a portrait of a musician',
      'a dragon flying over a castle',
      'a robot tending a garden',
    ],
  },
  {
    category: 'style',
    subject: 'pointillist sunset',
    source: { drawing: 'pointillist' },
    prompts: [
      'a mountain lake',
      'a dog running in a meadow',
      'a busy market street',
      'a vase of flowers',
      'a train crossing a bridge',
      'a couple dancing',
      'a forest path in autumn',
      'a whale jumping over a rainbow',
      'a castle made of candy',
    ],
  },
];
