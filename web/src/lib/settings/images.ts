/**
 * Image fields of the settings screens (avatar, banner, guild icon, role icon, emoji): a picked
 * file checked against the instance's limits and read into the data URI the API takes, and the
 * pending change a form holds until it is saved.
 */
import { DEFAULT_MAX_EMOJI_BYTES, EMOJI_TYPES, IMAGE_TYPES, readImageFile, type ImageUpload, type MediaLimits } from '../api/endpoints/media';

export type ImageKind = 'image' | 'emoji';

/** A form's pending image: absent keeps the saved one, a data URI replaces it, null removes it. */
export type ImageChange = ImageUpload | undefined;

export function imageTypes(kind: ImageKind): readonly string[] {
  return kind === 'emoji' ? EMOJI_TYPES : IMAGE_TYPES;
}

/** The size limit for a kind: the instance's, else (emoji only) the documented default. */
export function imageLimit(kind: ImageKind, limits: Partial<MediaLimits>): number | undefined {
  return kind === 'emoji' ? (limits.max_emoji_bytes ?? DEFAULT_MAX_EMOJI_BYTES) : limits.max_image_bytes;
}

/**
 * The picked file as a data URI once it passes the checks (throws ImageFileError with a sentence
 * for the user). Limits that cannot be fetched leave the size to the server.
 */
export async function pickImage(file: File, kind: ImageKind, limits: () => Promise<Partial<MediaLimits>>): Promise<string> {
  const known = await limits().catch((): Partial<MediaLimits> => ({}));
  return readImageFile(file, imageTypes(kind), imageLimit(kind, known));
}

/** What a field shows: the pending image, or the saved one when nothing is pending. */
export function shownImage(saved: string | null, change: ImageChange): string | null {
  return change === undefined ? saved : change;
}

/** The PATCH fields for pending image changes (untouched ones left out). */
export function imagePatch<K extends string>(changes: Partial<Record<K, ImageChange>>): Partial<Record<K, ImageUpload>> {
  const out: Partial<Record<K, ImageUpload>> = {};
  for (const [k, v] of Object.entries(changes) as [K, ImageChange][]) if (v !== undefined) out[k] = v;
  return out;
}
