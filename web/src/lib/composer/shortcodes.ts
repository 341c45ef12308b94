/**
 * `:shortcode:` to emoji in the composer: as the closing colon is typed, and over the whole text
 * when it is sent (pasted text, or a shortcode typed before the emoji data had loaded).
 */
import { completeShortcode, replaceShortcodes } from '../autocomplete';
import { emojiForShortcode, type EmojiData } from '../emoji/data';

const SHORTCODE = /:[a-z0-9_+-]+:/i;

export function hasShortcode(text: string): boolean {
  return SHORTCODE.test(text);
}

/**
 * The input after a keystroke, with the `:shortcode:` it closed turned into its emoji; null when
 * that keystroke was not a typed `:` closing a known shortcode (or the emoji data is not loaded).
 */
export function convertTyped(value: string, caret: number, input: { inputType?: string; data?: string | null }, data: EmojiData | null): { text: string; caret: number; emoji: string } | null {
  if (input.inputType !== 'insertText' || input.data !== ':' || !data) return null;
  return completeShortcode(value, caret, (code) => emojiForShortcode(data, code));
}

/** The text to send: every `:shortcode:` naming an emoji replaced (loading the data if needed). */
export async function expandShortcodes(raw: string, data: EmojiData | null, load: () => Promise<EmojiData>): Promise<string> {
  if (!hasShortcode(raw)) return raw;
  const d = data ?? (await load().catch(() => null));
  return d ? replaceShortcodes(raw, (code) => emojiForShortcode(d, code)) : raw;
}
