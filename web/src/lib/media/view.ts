/**
 * A message's media as the message view shows it: its attachments and embeds read defensively off
 * the wire (arrays of objects, or nothing), and the images the lightbox steps through.
 */
import { withoutSpoiler } from './filename';
import { attachmentKind, isAnimated } from './kind';
import { THUMBNAIL_WIDTHS, withWidth } from './thumbnail';
import type { Attachment, Embed } from './types';
import { safeUrl } from './urls';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function attachmentsOf(m: { attachments?: unknown }): Attachment[] {
  const list = Array.isArray(m.attachments) ? (m.attachments as unknown[]) : [];
  return list.filter((a): a is Attachment => isObject(a) && typeof a['id'] === 'string' && typeof a['filename'] === 'string' && typeof a['content_type'] === 'string' && typeof a['url'] === 'string');
}

export function embedsOf(m: { embeds?: unknown }): Embed[] {
  const list = Array.isArray(m.embeds) ? (m.embeds as unknown[]) : [];
  return list.filter((e): e is Embed => isObject(e));
}

/** What alt text an image has: its description, else its name. */
export function altText(a: Pick<Attachment, 'description' | 'filename'>): string {
  return a.description?.trim() || withoutSpoiler(a.filename);
}

export interface LightboxImage {
  id: string;
  /** The largest thumbnail (or the original, for animations). */
  src: string;
  /** The original file, for "Open original". */
  original: string;
  alt: string;
  name: string;
}

/** The images the lightbox shows: finished images with a usable address, in message order. */
export function lightboxImages(attachments: readonly Attachment[]): LightboxImage[] {
  const largest = THUMBNAIL_WIDTHS[THUMBNAIL_WIDTHS.length - 1] ?? 1600;
  return attachments.flatMap((a) => {
    if (a.processing || attachmentKind(a) !== 'image') return [];
    const original = safeUrl(a.url);
    const proxy = safeUrl(a.proxy_url);
    if (!original) return [];
    const src = isAnimated(a) || !proxy ? original : withWidth(proxy, largest);
    return [{ id: a.id, src, original, alt: altText(a), name: withoutSpoiler(a.filename) }];
  });
}
