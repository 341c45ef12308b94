/**
 * The emoji list, from emojibase-data (English labels and tags, Slack/Discord-style shortcodes from
 * its iamcal set). It is large, so it is loaded on first use with dynamic import() and never sits
 * in the initial bundle; only what the picker and autocomplete need is kept.
 */

export interface EmojiEntry {
  /** The emoji itself (fully qualified, as the server stores reactions). */
  unicode: string;
  /** English name, e.g. "grinning face". */
  label: string;
  /** Shortcodes without colons, the preferred one first. Never empty. */
  shortcodes: string[];
  /** Search keywords. */
  tags: string[];
  /** Group index (see GROUPS). */
  group: number;
  /** Emoji version that introduced it (for hiding what the system font cannot draw). */
  version: number;
  /** The five skin-tone variants (light … dark), when it has them. */
  skins?: string[];
}

export interface EmojiGroup {
  id: number;
  key: string;
  name: string;
}

/** emojibase's groups, without "component" (skin tone swatches and hair pieces, not emoji to send). */
export const GROUPS: readonly EmojiGroup[] = [
  { id: 0, key: 'smileys-emotion', name: 'Smileys & Emotion' },
  { id: 1, key: 'people-body', name: 'People & Body' },
  { id: 3, key: 'animals-nature', name: 'Animals & Nature' },
  { id: 4, key: 'food-drink', name: 'Food & Drink' },
  { id: 5, key: 'travel-places', name: 'Travel & Places' },
  { id: 6, key: 'activities', name: 'Activities' },
  { id: 7, key: 'objects', name: 'Objects' },
  { id: 8, key: 'symbols', name: 'Symbols' },
  { id: 9, key: 'flags', name: 'Flags' },
];

export interface EmojiData {
  list: EmojiEntry[];
  byGroup: Map<number, EmojiEntry[]>;
  /** shortcode → entry */
  byShortcode: Map<string, EmojiEntry>;
  /** emoji (any skin tone, with or without VS16) → entry */
  byUnicode: Map<string, EmojiEntry>;
}

/** The subset of an emojibase `Emoji` this module reads. */
export interface RawEmoji {
  label: string;
  hexcode: string;
  emoji: string;
  group?: number;
  order?: number;
  version: number;
  tags?: string[];
  skins?: { emoji: string; tone?: number | number[] }[];
}

export type RawShortcodes = Record<string, string | string[]>;

function skinTone(tone: number | number[] | undefined): number | null {
  if (typeof tone === 'number') return tone;
  if (Array.isArray(tone) && tone.length > 0 && tone.every((t) => t === tone[0])) return tone[0] ?? null;
  return null;
}

/** Strip variation selectors so 👍️ and 👍 find the same entry. */
export function bareEmoji(s: string): string {
  return s.replace(/\uFE0F/g, '');
}

/** Build the lookup tables from emojibase's data and a shortcode set. Pure: tested with small data. */
export function buildEmojiData(raw: readonly RawEmoji[], shortcodes: RawShortcodes, maxVersion = Infinity): EmojiData {
  const groupIds = new Set(GROUPS.map((g) => g.id));
  const list: EmojiEntry[] = [];
  const sorted = [...raw].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  for (const e of sorted) {
    if (e.group === undefined || !groupIds.has(e.group) || e.version > maxVersion) continue;
    const sc = shortcodes[e.hexcode];
    const codes = (sc === undefined ? [] : Array.isArray(sc) ? sc : [sc]).map((c) => c.toLowerCase());
    // Show a word (":thumbsup:") rather than a symbol (":+1:") when the set has both.
    codes.sort((a, b) => Number(!/^[a-z]/.test(a)) - Number(!/^[a-z]/.test(b)));
    if (codes.length === 0) codes.push(e.label.toLowerCase().replace(/[^a-z0-9+-]+/g, '_').replace(/^_+|_+$/g, ''));
    const entry: EmojiEntry = { unicode: e.emoji, label: e.label, shortcodes: codes, tags: e.tags ?? [], group: e.group, version: e.version };
    const tones: string[] = [];
    for (const s of e.skins ?? []) {
      const t = skinTone(s.tone);
      if (t !== null && t >= 1 && t <= 5) tones[t - 1] = s.emoji;
    }
    if (tones.length === 5 && tones.every(Boolean)) entry.skins = tones;
    list.push(entry);
  }
  const byGroup = new Map<number, EmojiEntry[]>();
  const byShortcode = new Map<string, EmojiEntry>();
  const byUnicode = new Map<string, EmojiEntry>();
  for (const e of list) {
    let g = byGroup.get(e.group);
    if (!g) byGroup.set(e.group, (g = []));
    g.push(e);
    for (const c of e.shortcodes) if (!byShortcode.has(c)) byShortcode.set(c, e);
    byUnicode.set(bareEmoji(e.unicode), e);
    for (const s of e.skins ?? []) byUnicode.set(bareEmoji(s), e);
  }
  return { list, byGroup, byShortcode, byUnicode };
}

let loading: Promise<EmojiData> | null = null;
let loaded: EmojiData | null = null;

/** The emoji data once loaded, or null (for synchronous callers that can do without). */
export function emojiDataIfLoaded(): EmojiData | null {
  return loaded;
}

/** Load (once) and return the emoji data. */
export function loadEmoji(): Promise<EmojiData> {
  if (!loading) {
    loading = Promise.all([import('emojibase-data/en/data.json'), import('emojibase-data/en/shortcodes/iamcal.json'), import('./support')])
      .then(([data, codes, support]) => {
        loaded = buildEmojiData(data.default as unknown as RawEmoji[], codes.default as RawShortcodes, support.maxSupportedVersion());
        return loaded;
      })
      .catch((e: unknown) => {
        loading = null;
        throw e;
      });
  }
  return loading;
}

/** The emoji for a shortcode (without colons), if the data is loaded. */
export function emojiForShortcode(data: EmojiData | null, code: string): string | undefined {
  return data?.byShortcode.get(code.toLowerCase())?.unicode;
}

/** Apply a skin tone preference (0 = default yellow, 1–5) to an entry. */
export function withSkin(e: EmojiEntry, tone: number): string {
  return tone >= 1 && tone <= 5 && e.skins ? (e.skins[tone - 1] ?? e.unicode) : e.unicode;
}
