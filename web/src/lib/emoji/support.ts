/**
 * Which emoji versions the system font can draw, so the picker does not offer boxes. One sample per
 * recent version is drawn on a canvas: it is supported when it comes out in colour and one glyph
 * wide (a ZWJ sequence the font lacks falls apart into several glyphs; a missing glyph is a
 * monochrome box). Without a canvas (tests) or without any colour emoji font, nothing is hidden.
 */

/** Newest first; each sample appeared in that emoji version. */
const SAMPLES: readonly [number, string][] = [
  [17, '\u{1FAEA}'], // distorted face
  [16, '\u{1FAE9}'], // face with bags under eyes
  [15.1, '\u{1F426}\u200D\u{1F525}'], // phoenix
  [15, '\u{1FAE8}'], // shaking face
  [14, '\u{1FAE0}'], // melting face
  [13.1, '\u2764\uFE0F\u200D\u{1F525}'], // heart on fire
  [13, '\u{1F972}'], // smiling face with tear
  [12.1, '\u{1F9D1}\u200D\u{1F9B0}'], // person: red hair
  [12, '\u{1F971}'], // yawning face
  [11, '\u{1F970}'], // smiling face with hearts
];
const BASELINE = '\u{1F600}'; // grinning face, emoji 1.0
const SIZE = 20;

interface Probe {
  width: number;
  colour: boolean;
}

function probe(ctx: CanvasRenderingContext2D, text: string): Probe {
  ctx.clearRect(0, 0, SIZE * 3, SIZE * 1.5);
  ctx.fillText(text, 0, 0);
  const width = ctx.measureText(text).width;
  const px = ctx.getImageData(0, 0, SIZE * 3, SIZE * 1.5).data;
  let colour = false;
  for (let i = 0; i < px.length; i += 4) {
    const r = px[i] ?? 0;
    const g = px[i + 1] ?? 0;
    const b = px[i + 2] ?? 0;
    if ((px[i + 3] ?? 0) > 0 && (Math.abs(r - g) > 16 || Math.abs(g - b) > 16)) {
      colour = true;
      break;
    }
  }
  return { width, colour };
}

let cached: number | null = null;

/** The newest emoji version the font draws (Infinity when it cannot be told). */
export function maxSupportedVersion(): number {
  if (cached !== null) return cached;
  cached = detect();
  return cached;
}

function detect(): number {
  if (typeof document === 'undefined') return Infinity;
  let ctx: CanvasRenderingContext2D | null = null;
  try {
    const canvas = document.createElement('canvas');
    canvas.width = SIZE * 3;
    canvas.height = SIZE * 1.5;
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  } catch {
    return Infinity;
  }
  if (!ctx || typeof ctx.getImageData !== 'function') return Infinity;
  try {
    ctx.font = `${SIZE}px "Twemoji Mozilla", "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", "EmojiOne Color", sans-serif`;
    ctx.textBaseline = 'top';
    ctx.fillStyle = '#000';
    const base = probe(ctx, BASELINE);
    // No colour emoji font at all: every emoji is a box alike, so hiding some would only confuse.
    if (!base.colour || base.width <= 0) return Infinity;
    for (const [version, sample] of SAMPLES) {
      const p = probe(ctx, sample);
      if (p.colour && p.width <= base.width * 1.5) return version;
    }
    return 11;
  } catch {
    return Infinity;
  }
}
