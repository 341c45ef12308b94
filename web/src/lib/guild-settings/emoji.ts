/**
 * The Emoji settings tab's decisions: a name for each uploaded file (from its filename, valid and
 * not yet taken), the counter, and the sentences for the server's refusals. Pure.
 */
import { ApiError } from '../api/client';
import type { GuildEmoji } from '../api/endpoints/media';
import { EMOJI_NAME_MAX, emojiNameFromFilename } from '../emoji/custom';
import { describeError } from './errors';

/** `base`, or `base_2`, `base_3`… (cut to fit 32 characters) when the name is taken. */
export function uniqueEmojiName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const name = base.slice(0, EMOJI_NAME_MAX - suffix.length) + suffix;
    if (!taken.has(name)) return name;
  }
}

/** Names for a batch of files, none clashing with the guild's emoji or each other. */
export function uploadNames(files: readonly { name: string }[], existing: readonly GuildEmoji[]): string[] {
  const taken = new Set(existing.map((e) => e.name));
  return files.map((f) => {
    const name = uniqueEmojiName(emojiNameFromFilename(f.name), taken);
    taken.add(name);
    return name;
  });
}

/** "12 / 200" when the limit is known, else "12 emoji". */
export function emojiCounter(count: number, limit: number | undefined): string {
  return limit !== undefined && limit > 0 ? `${count} / ${limit}` : `${count} emoji`;
}

/** Whether another upload would pass the known limit. */
export function atEmojiLimit(count: number, limit: number | undefined): boolean {
  return limit !== undefined && limit > 0 && count >= limit;
}

/** The server's refusal of an emoji change, in words. */
export function describeEmojiError(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'LIMIT_REACHED') return 'This community has as many emoji as it may have. Delete one to add another.';
    if (e.code === 'MISSING_PERMISSIONS') return 'You need the Manage Expressions permission for that.';
  }
  return describeError(e);
}
