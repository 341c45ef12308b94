/** Channel form rules (docs/api.md, Field rules) and names as the server will store them. */
import { CHANNEL_KIND } from './permission-catalog';

export const CHANNEL_LIMITS = { name: 100, topic: 1024, slowMode: 21600, bitrateMin: 8000, bitrateMax: 384000, bitrateDefault: 64000, userLimitMax: 99 } as const;

export const CHANNEL_TYPE_CHOICES: readonly { type: number; label: string; hint: string }[] = [
  { type: CHANNEL_KIND.Text, label: 'Text', hint: 'Messages, links and opinions.' },
  { type: CHANNEL_KIND.Voice, label: 'Voice', hint: 'Hang out together (voice arrives later; it has a text chat now).' },
  { type: CHANNEL_KIND.Announcement, label: 'Announcement', hint: 'Important updates for everyone.' },
  { type: CHANNEL_KIND.Category, label: 'Category', hint: 'A heading that groups channels.' },
];

export function isTextLike(type: number): boolean {
  return type === CHANNEL_KIND.Text || type === CHANNEL_KIND.Announcement || type === CHANNEL_KIND.Forum;
}

export function channelTypeLabel(type: number): string {
  return ({ 0: 'text channel', 2: 'voice channel', 4: 'category', 5: 'announcement channel', 15: 'forum' } as Record<number, string>)[type] ?? 'channel';
}

/** The name the server stores: text-like names are lowercased with whitespace runs turned into '-'. */
export function storedChannelName(type: number, raw: string): string {
  const t = raw.trim();
  if (!isTextLike(type)) return t;
  return t.toLowerCase().replace(/\s+/g, '-').normalize('NFC');
}

// Control characters and invisible formatting (zero-width, bidi controls, soft hyphen).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;

/** Why the server would refuse the name, or null. */
export function channelNameError(type: number, raw: string): string | null {
  if (INVISIBLE.test(raw.trim())) return 'No control or invisible characters.';
  const name = storedChannelName(type, raw);
  const len = [...name].length;
  if (len < 1 || len > CHANNEL_LIMITS.name) return `A name of 1–${CHANNEL_LIMITS.name} characters.`;
  if (isTextLike(type) && /[!-,./:-@[-^`{-~]/.test(name)) return "No punctuation except '-' and '_'.";
  return null;
}

export function topicError(topic: string): string | null {
  return [...topic].length > CHANNEL_LIMITS.topic ? `At most ${CHANNEL_LIMITS.topic} characters.` : null;
}

export function intError(value: number | null, min: number, max: number, what: string): string | null {
  if (value === null || !Number.isInteger(value) || value < min || value > max) return `${what} must be a whole number from ${min} to ${max}.`;
  return null;
}
