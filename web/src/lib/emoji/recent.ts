/**
 * Recently used emoji (most recent first, at most 30; custom ones as `<:name:id>`), kept in
 * localStorage so they survive reloads, and the preferred skin tone. Both the picker and the `:`
 * autocomplete record here.
 */
import { writable } from 'svelte/store';

export const RECENT_MAX = 30;
const RECENT_KEY = 'hearth.emoji.recent';
const SKIN_KEY = 'hearth.emoji.skin';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Put `emoji` first, dropping an earlier copy, keeping at most `max`. */
export function pushRecent(list: readonly string[], emoji: string, max = RECENT_MAX): string[] {
  return [emoji, ...list.filter((e) => e !== emoji)].slice(0, max);
}

/** Parse the stored list; anything malformed is an empty list. */
export function parseRecent(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    if (!Array.isArray(v)) return [];
    // Unicode emoji are short; a custom one is `<a:name:id>`, at most 57 characters.
    return v.filter((e): e is string => typeof e === 'string' && e.length > 0 && e.length <= 64).slice(0, RECENT_MAX);
  } catch {
    return [];
  }
}

export const recentEmoji = writable<string[]>(parseRecent(storage()?.getItem(RECENT_KEY) ?? null));

export function recordEmoji(emoji: string): void {
  recentEmoji.update((list) => {
    const next = pushRecent(list, emoji);
    try {
      storage()?.setItem(RECENT_KEY, JSON.stringify(next));
    } catch {
      /* storage full or disabled: keep it for this session */
    }
    return next;
  });
}

function parseSkin(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= 5 ? n : 0;
}

/** 0 = default (yellow), 1–5 = light … dark. */
export const skinTone = writable<number>(parseSkin(storage()?.getItem(SKIN_KEY) ?? null));

export function setSkinTone(tone: number): void {
  const t = parseSkin(String(tone));
  skinTone.set(t);
  try {
    storage()?.setItem(SKIN_KEY, String(t));
  } catch {
    /* ignore */
  }
}
