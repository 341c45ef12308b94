/**
 * Inline image geometry: the box an image gets before it loads (so the virtualised message list
 * measures its final height at once) and which stored thumbnail fills it sharply.
 */
import type { Attachment } from './types';
import { isAnimated } from './kind';

export const MAX_BOX_WIDTH = 400;
export const MAX_BOX_HEIGHT = 300;
/** The widths the server stores thumbnails at. */
export const THUMBNAIL_WIDTHS = [160, 400, 800, 1600] as const;
const LARGEST_THUMBNAIL = 1600;

export interface Box {
  width: number;
  height: number;
}

/** Scaled down (never up) to fit max×max, keeping the aspect ratio; whole pixels, at least 1. */
export function fitBox(width: number | null | undefined, height: number | null | undefined, maxW = MAX_BOX_WIDTH, maxH = MAX_BOX_HEIGHT): Box | null {
  if (!width || !height || width <= 0 || height <= 0 || !Number.isFinite(width) || !Number.isFinite(height)) return null;
  const scale = Math.min(1, maxW / width, maxH / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The smallest stored width at least as wide as the box in device pixels (the largest when none is). */
export function thumbnailWidth(boxWidth: number, dpr = 1): number {
  const want = boxWidth * (Number.isFinite(dpr) && dpr > 0 ? dpr : 1);
  return THUMBNAIL_WIDTHS.find((w) => w >= want) ?? LARGEST_THUMBNAIL;
}

/** `base` with `width=N` added to its query. */
export function withWidth(base: string, width: number): string {
  return base + (base.includes('?') ? '&' : '?') + `width=${width}`;
}

/** What an inline image shows: the thumbnail for the box, or the original when animated (thumbnails are still). */
export function imageSource(a: Pick<Attachment, 'url' | 'proxy_url' | 'flags'>, boxWidth: number, dpr = 1): string {
  return isAnimated(a) ? a.url : withWidth(a.proxy_url, thumbnailWidth(boxWidth, dpr));
}
