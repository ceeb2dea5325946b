// Reference images drawn as SVG (pure: same name, same picture), for the categories the DreamBooth
// photographs do not cover and for running without them. sharp renders them to JPEG.
import { mulberry32 } from '../src/compare/prng.ts';

export const DRAWING_NAMES = [
  'fox',
  'goldfish',
  'teapot',
  'balloon',
  'woman',
  'man',
  'bauhaus',
  'pointillist',
] as const;
export type DrawingName = (typeof DRAWING_NAMES)[number];

const SIDE = 512;

function svg(background: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIDE}" height="${SIDE}" viewBox="0 0 512 512">` +
    `<rect width="512" height="512" fill="${background}"/>${body}</svg>`
  );
}

/** Seeded, so the pointillist dots are the same on every run. */
const seeded = mulberry32;

const fox = () =>
  svg(
    '#cfe8c9',
    `<rect y="400" width="512" height="112" fill="#6b8e4e"/>
     <polygon points="150,140 200,250 120,250" fill="#e0641b"/>
     <polygon points="362,140 392,250 312,250" fill="#e0641b"/>
     <polygon points="256,420 110,230 402,230" fill="#ef7a2a"/>
     <polygon points="256,420 170,300 256,330 342,300" fill="#fff4e6"/>
     <circle cx="200" cy="280" r="14" fill="#222"/><circle cx="312" cy="280" r="14" fill="#222"/>
     <circle cx="256" cy="405" r="16" fill="#222"/>`,
  );

const goldfish = () =>
  svg(
    '#3b7fc4',
    `<circle cx="90" cy="120" r="12" fill="#9cd0ff" opacity="0.7"/>
     <circle cx="120" cy="80" r="8" fill="#9cd0ff" opacity="0.7"/>
     <polygon points="360,256 470,170 450,256 470,342" fill="#ffae3d"/>
     <ellipse cx="250" cy="256" rx="140" ry="90" fill="#ff8c1a"/>
     <polygon points="230,170 300,110 310,175" fill="#ffae3d"/>
     <circle cx="170" cy="230" r="18" fill="#fff"/><circle cx="165" cy="230" r="9" fill="#111"/>
     <path d="M120,270 q20,18 40,0" stroke="#b35900" stroke-width="6" fill="none"/>`,
  );

const teapot = () =>
  svg(
    '#f3ead8',
    `<rect y="380" width="512" height="132" fill="#a0734b"/>
     <path d="M350,260 q90,-20 60,110" stroke="#c62828" stroke-width="26" fill="none"/>
     <polygon points="150,300 60,200 80,190 170,270" fill="#c62828"/>
     <ellipse cx="256" cy="310" rx="130" ry="100" fill="#d32f2f"/>
     <ellipse cx="256" cy="215" rx="70" ry="22" fill="#b71c1c"/>
     <circle cx="256" cy="188" r="16" fill="#b71c1c"/>
     <ellipse cx="215" cy="280" rx="30" ry="18" fill="#ef9a9a" opacity="0.7"/>`,
  );

const balloon = () => {
  const colors = ['#e53935', '#fdd835', '#1e88e5', '#fdd835', '#e53935', '#43a047'];
  const stripes = colors
    .map((c, i) => `<rect x="${136 + i * 40}" y="40" width="40" height="320" fill="${c}"/>`)
    .join('');
  return svg(
    '#bfe3ff',
    `<defs><clipPath id="b"><ellipse cx="256" cy="200" rx="120" ry="150"/></clipPath></defs>
     <rect y="430" width="512" height="82" fill="#7cb342"/>
     <g clip-path="url(#b)">${stripes}</g>
     <line x1="200" y1="330" x2="226" y2="400" stroke="#5d4037" stroke-width="4"/>
     <line x1="312" y1="330" x2="286" y2="400" stroke="#5d4037" stroke-width="4"/>
     <rect x="220" y="400" width="72" height="50" fill="#8d6e63"/>`,
  );
};

const woman = () =>
  svg(
    '#fde7d4',
    `<circle cx="256" cy="210" r="150" fill="#c0392b"/>
     <circle cx="130" cy="250" r="60" fill="#c0392b"/><circle cx="382" cy="250" r="60" fill="#c0392b"/>
     <rect x="120" y="400" width="272" height="112" rx="60" fill="#2e8b57"/>
     <rect x="226" y="330" width="60" height="80" fill="#f1c27d"/>
     <ellipse cx="256" cy="250" rx="95" ry="115" fill="#f5cfa0"/>
     <circle cx="220" cy="235" r="10" fill="#2c3e50"/><circle cx="292" cy="235" r="10" fill="#2c3e50"/>
     <path d="M222,300 q34,26 68,0" stroke="#a93226" stroke-width="7" fill="none"/>
     <path d="M165,180 q90,-90 180,0" stroke="#c0392b" stroke-width="40" fill="none"/>`,
  );

const man = () =>
  svg(
    '#e3e9ef',
    `<rect x="110" y="400" width="292" height="112" rx="60" fill="#6d4c41"/>
     <rect x="226" y="330" width="60" height="80" fill="#d7a77a"/>
     <ellipse cx="256" cy="250" rx="100" ry="120" fill="#e0b388"/>
     <path d="M160,260 q0,150 96,150 q96,0 96,-150 q-40,60 -96,60 q-56,0 -96,-60z" fill="#5d4037"/>
     <path d="M150,200 q106,-150 212,0z" fill="#1e5aa8"/>
     <rect x="146" y="190" width="220" height="34" rx="12" fill="#174a8b"/>
     <circle cx="215" cy="255" r="24" fill="none" stroke="#222" stroke-width="6"/>
     <circle cx="297" cy="255" r="24" fill="none" stroke="#222" stroke-width="6"/>
     <line x1="239" y1="255" x2="273" y2="255" stroke="#222" stroke-width="6"/>
     <circle cx="215" cy="255" r="7" fill="#222"/><circle cx="297" cy="255" r="7" fill="#222"/>`,
  );

const bauhaus = () =>
  svg(
    '#f2ead3',
    `<rect x="40" y="40" width="200" height="260" fill="#1d3f8f"/>
     <circle cx="340" cy="170" r="110" fill="#d62828"/>
     <polygon points="60,470 250,330 250,470" fill="#f7c21b"/>
     <rect x="290" y="320" width="180" height="40" fill="#111"/>
     <rect x="290" y="380" width="120" height="90" fill="#d62828"/>
     <line x1="20" y1="310" x2="492" y2="310" stroke="#111" stroke-width="10"/>
     <circle cx="140" cy="170" r="50" fill="#f2ead3"/>`,
  );

const pointillist = () => {
  const random = seeded(7);
  const palette = ['#ff7b00', '#ffb703', '#fb5607', '#8338ec', '#3a86ff', '#ff006e', '#ffd166'];
  const dots: string[] = [];
  for (let i = 0; i < 1400; i++) {
    const x = random() * SIDE;
    const y = random() * SIDE;
    // Warm dots near the sun at the horizon, cool ones in the sky and the water.
    const offset = Math.hypot(x - 256, y - 300) < 170 ? 0 : 3;
    const color = palette[Math.floor(random() * 3) + offset]!;
    dots.push(
      `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${(4 + random() * 5).toFixed(1)}" fill="${color}"/>`,
    );
  }
  return svg(
    '#2b2d42',
    `${dots.join('')}<circle cx="256" cy="300" r="60" fill="#ffd166" opacity="0.85"/>`,
  );
};

const DRAWINGS: Record<DrawingName, () => string> = {
  fox,
  goldfish,
  teapot,
  balloon,
  woman,
  man,
  bauhaus,
  pointillist,
};

/** The SVG source of a drawing, 512x512. */
export function drawingSvg(name: DrawingName): string {
  return DRAWINGS[name]();
}
