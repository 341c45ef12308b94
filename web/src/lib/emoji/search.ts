/** Emoji search for the picker and the `:` autocomplete. Pure. */
import { fold } from '../autocomplete';
import type { EmojiEntry } from './data';

/**
 * How well an emoji matches (lower is better), or null:
 * 0 exact shortcode, 1 shortcode prefix, 2 prefix of a later shortcode word (`_smile` in
 * `grinning_smile`), 3 name or name-word prefix, 4 tag prefix, 5 substring of shortcode or name.
 */
export function emojiTier(e: EmojiEntry, query: string): number | null {
  const q = fold(query.trim()).replace(/^:+|:+$/g, '');
  if (q === '') return null;
  const qWords = q.replace(/[\s_-]+/g, '_');
  let best: number | null = null;
  const take = (t: number) => {
    if (best === null || t < best) best = t;
  };
  for (const code of e.shortcodes) {
    if (code === qWords) return 0;
    if (code.startsWith(qWords)) take(1);
    else if (code.includes('_' + qWords)) take(2);
    else if (code.includes(qWords)) take(5);
  }
  const label = fold(e.label);
  if (label.startsWith(q) || label.includes(' ' + q)) take(3);
  else if (label.includes(q)) take(5);
  if (best === null || best > 4) for (const t of e.tags) if (fold(t).startsWith(q)) take(4);
  return best;
}

/** The emoji matching a query, best first; ties keep the list's (Unicode) order. */
export function searchEmoji(list: readonly EmojiEntry[], query: string, limit = Infinity): EmojiEntry[] {
  const hits: { e: EmojiEntry; tier: number; i: number }[] = [];
  list.forEach((e, i) => {
    const tier = emojiTier(e, query);
    if (tier !== null) hits.push({ e, tier, i });
  });
  hits.sort((a, b) => a.tier - b.tier || a.i - b.i);
  return hits.slice(0, limit).map((h) => h.e);
}
