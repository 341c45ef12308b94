/**
 * Actions for media geometry and placeholders, written through CSSOM (the CSP forbids style
 * attributes): the box an image or video takes before it loads, and its blurhash painted into a
 * small canvas behind it.
 */
import { decode, isBlurhashValid } from 'blurhash';
import type { Box } from './thumbnail';

/** Set the element's width and aspect ratio (its height follows, even when max-width shrinks it). */
export function boxSize(node: HTMLElement, box: Box | null) {
  const apply = (b: Box | null) => {
    if (b === null) {
      node.style.removeProperty('width');
      node.style.removeProperty('aspect-ratio');
      return;
    }
    node.style.setProperty('width', `${b.width}px`);
    node.style.setProperty('aspect-ratio', `${b.width} / ${b.height}`);
  };
  apply(box);
  return { update: apply };
}

/** Pixels decoded: enough for a blur (the canvas is stretched over the box). */
export const PLACEHOLDER_PIXELS = 32;

/** Whether the string is a blurhash the decoder accepts. */
export function isPlaceholder(hash: string | null | undefined): hash is string {
  return !!hash && hash.length <= 128 && isBlurhashValid(hash).result;
}

/** Paint the blurhash into the canvas (nothing when it is not a valid one or there is no 2D context). */
export function blurhash(canvas: HTMLCanvasElement, hash: string | null | undefined) {
  const paint = (h: string | null | undefined) => {
    const ctx = isPlaceholder(h) ? canvas.getContext('2d') : null;
    if (!ctx || !h) return;
    try {
      const pixels = decode(h, PLACEHOLDER_PIXELS, PLACEHOLDER_PIXELS);
      const image = ctx.createImageData(PLACEHOLDER_PIXELS, PLACEHOLDER_PIXELS);
      image.data.set(pixels);
      ctx.putImageData(image, 0, 0);
    } catch {
      /* a hash the decoder rejects leaves the plain background */
    }
  };
  canvas.width = PLACEHOLDER_PIXELS;
  canvas.height = PLACEHOLDER_PIXELS;
  paint(hash);
  return { update: paint };
}

/** An embed's accent colour (0xRRGGBB) as the `--embed-color` property; none leaves the theme's. */
export function embedColour(node: HTMLElement, colour: number | null | undefined) {
  const apply = (c: number | null | undefined) => {
    if (c === null || c === undefined || !Number.isInteger(c) || c < 0 || c > 0xffffff) node.style.removeProperty('--embed-color');
    else node.style.setProperty('--embed-color', '#' + c.toString(16).padStart(6, '0'));
  };
  apply(colour);
  return { update: apply };
}
