/** How an attachment is shown, from its sniffed type and flags (docs: the media API contract). */
import { ATTACHMENT_ANIMATED, ATTACHMENT_SPOILER, type Attachment } from './types';

export type AttachmentKind = 'image' | 'video' | 'audio' | 'file';

const IMAGE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const VIDEO = new Set(['video/mp4', 'video/webm', 'video/quicktime']);
const AUDIO = new Set(['audio/mpeg', 'audio/ogg', 'audio/wav', 'audio/flac', 'audio/webm', 'audio/mp4']);

/** Only the types the server promises to play inline; anything else is a download. */
export function attachmentKind(a: Pick<Attachment, 'content_type'>): AttachmentKind {
  // Parameters (`; charset=…`) and case do not change the kind.
  const t = (a.content_type.split(';')[0] ?? '').trim().toLowerCase();
  if (IMAGE.has(t)) return 'image';
  if (VIDEO.has(t)) return 'video';
  if (AUDIO.has(t)) return 'audio';
  return 'file';
}

export function isSpoiler(a: Pick<Attachment, 'flags' | 'filename'>): boolean {
  return (a.flags & ATTACHMENT_SPOILER) !== 0 || a.filename.startsWith('SPOILER_');
}

export function isAnimated(a: Pick<Attachment, 'flags'>): boolean {
  return (a.flags & ATTACHMENT_ANIMATED) !== 0;
}

/** A file card's icon. */
export function fileIcon(a: Pick<Attachment, 'content_type' | 'filename'>): 'archive' | 'text' | 'code' | 'pdf' | 'file' {
  const t = a.content_type.toLowerCase();
  const ext = /\.([a-z0-9]+)$/i.exec(a.filename)?.[1]?.toLowerCase() ?? '';
  if (t === 'application/pdf' || ext === 'pdf') return 'pdf';
  if (/zip|tar|gzip|x-7z|rar|bzip|xz/.test(t) || ['zip', 'tar', 'gz', 'tgz', '7z', 'rar', 'xz', 'bz2'].includes(ext)) return 'archive';
  if (['js', 'ts', 'rs', 'py', 'go', 'c', 'h', 'cpp', 'java', 'json', 'toml', 'yaml', 'yml', 'sh', 'html', 'css'].includes(ext)) return 'code';
  if (t.startsWith('text/') || ['txt', 'md', 'csv', 'log'].includes(ext)) return 'text';
  return 'file';
}
