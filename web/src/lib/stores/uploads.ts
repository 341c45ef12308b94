/**
 * Files waiting in each channel's composer tray, and the upload in flight per channel. Kept outside
 * the component so switching channels keeps a channel's files (and its upload running). Image
 * previews are object URLs, revoked when their file leaves the tray.
 */
import { get, writable } from 'svelte/store';
import { withSpoiler } from '../media/filename';

/** The server's bound on alt text. */
export const MAX_DESCRIPTION_CHARS = 1024;

/** Types a browser shows in <img> that the server also treats as images. */
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export interface PendingFile {
  /** Local key, stable while the file is in the tray. */
  key: string;
  blob: Blob;
  /** What it will be sent as: `SPOILER_` in front marks a spoiler. */
  filename: string;
  /** Alt text. */
  description: string;
  size: number;
  /** The type the browser claims (the server sniffs its own). */
  type: string;
  /** An object URL for images; null for other files. */
  previewUrl: string | null;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface ObjectUrls {
  create(blob: Blob): string;
  revoke(url: string): void;
}

/** channel id → files in the tray, in the order they will be sent */
export const pendingFiles = writable<Record<string, PendingFile[]>>({});
/** channel id → progress of the upload in flight */
export const uploads = writable<Record<string, UploadProgress>>({});

const controllers = new Map<string, AbortController>();
let counter = 0;
let objectUrls: ObjectUrls = {
  create: (b) => URL.createObjectURL(b),
  revoke: (u) => URL.revokeObjectURL(u),
};

/** Tests (happy-dom has no object URLs) pass their own. */
export function setObjectUrls(u: ObjectUrls): void {
  objectUrls = u;
}

function without<T>(rec: Record<string, T>, key: string): Record<string, T> {
  if (!(key in rec)) return rec;
  const copy = { ...rec };
  delete copy[key];
  return copy;
}

function setList(channelId: string, list: PendingFile[]): void {
  pendingFiles.update((all) => (list.length === 0 ? without(all, channelId) : { ...all, [channelId]: list }));
}

function release(f: PendingFile): void {
  if (f.previewUrl) objectUrls.revoke(f.previewUrl);
}

export function filesOf(channelId: string): PendingFile[] {
  return get(pendingFiles)[channelId] ?? [];
}

/** Put files in the tray (after the caller applied the instance's limits). */
export function addFiles(channelId: string, files: readonly { blob: Blob; name: string; type?: string }[]): void {
  if (files.length === 0) return;
  const added = files.map((f): PendingFile => {
    const type = f.type ?? f.blob.type;
    return {
      key: `f${++counter}`,
      blob: f.blob,
      filename: f.name || 'file',
      description: '',
      size: f.blob.size,
      type,
      previewUrl: PREVIEWABLE.has(type) ? objectUrls.create(f.blob) : null,
    };
  });
  setList(channelId, [...filesOf(channelId), ...added]);
}

export function removeFile(channelId: string, key: string): void {
  const list = filesOf(channelId);
  const gone = list.find((f) => f.key === key);
  if (!gone) return;
  release(gone);
  setList(
    channelId,
    list.filter((f) => f !== gone),
  );
}

function change(channelId: string, key: string, fn: (f: PendingFile) => PendingFile): void {
  const list = filesOf(channelId);
  if (!list.some((f) => f.key === key)) return;
  setList(
    channelId,
    list.map((f) => (f.key === key ? fn(f) : f)),
  );
}

export function setSpoiler(channelId: string, key: string, spoiler: boolean): void {
  change(channelId, key, (f) => ({ ...f, filename: withSpoiler(f.filename, spoiler) }));
}

/** Alt text, cut to the server's bound. */
export function setDescription(channelId: string, key: string, text: string): void {
  change(channelId, key, (f) => ({ ...f, description: [...text].slice(0, MAX_DESCRIPTION_CHARS).join('') }));
}

/** Empty the tray (after a send), revoking the previews. */
export function clearFiles(channelId: string): void {
  for (const f of filesOf(channelId)) release(f);
  setList(channelId, []);
}

export function isUploading(channelId: string): boolean {
  return controllers.has(channelId);
}

/**
 * Run an upload for the channel, tracking its progress in `uploads` until it settles. One at a time
 * per channel: a second one is refused while the first runs.
 */
export async function trackUpload<T>(channelId: string, total: number, run: (signal: AbortSignal, progress: (loaded: number, total: number) => void) => Promise<T>): Promise<T> {
  if (controllers.has(channelId)) throw new Error('An upload is already running in this channel.');
  const controller = new AbortController();
  controllers.set(channelId, controller);
  uploads.update((u) => ({ ...u, [channelId]: { loaded: 0, total } }));
  try {
    return await run(controller.signal, (loaded, t) => {
      if (controllers.get(channelId) === controller) uploads.update((u) => ({ ...u, [channelId]: { loaded, total: t } }));
    });
  } finally {
    controllers.delete(channelId);
    uploads.update((u) => without(u, channelId));
  }
}

/** Stop the channel's upload (its promise rejects with an AbortError); the files stay in the tray. */
export function cancelUpload(channelId: string): void {
  controllers.get(channelId)?.abort();
}

/** Whole percent, 0–100 (0 for an empty body). */
export function percent(p: UploadProgress): number {
  if (p.total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((p.loaded / p.total) * 100)));
}
