/**
 * What the emoji picker lists: recently used, one section per guild with custom emoji (the current
 * guild first), then the unicode categories; or, while searching, one list of matches (custom
 * first). Pure: the picker component passes the stores' values in.
 */
import { emojiUrl, type GuildEmoji } from '../api/endpoints/media';
import { customEmojiText, parseCustomEmojiText } from './custom';
import { GROUPS, bareEmoji, withSkin, type EmojiData, type EmojiEntry } from './data';
import { searchCustomEmoji, type EmojiSection, type FoundEmoji } from './guild-emoji';
import { searchEmoji } from './search';

export interface PickerItem {
  /** What a pick hands over: the unicode emoji, or `<:name:id>` / `<a:name:id>`. */
  emoji: string;
  label: string;
  shortcode: string;
  /** Custom emoji: the image to show. */
  image?: string;
}

export interface PickerSection {
  key: string;
  name: string;
  items: PickerItem[];
  /** A guild's custom emoji section: the guild. */
  guildId?: string;
}

/** Matches listed while searching, at most. */
export const SEARCH_LIMIT = 400;

export interface PickerInputs {
  data: EmojiData;
  query: string;
  tone: number;
  recent: readonly string[];
  /** Custom emoji by guild, the current guild first. */
  custom: readonly EmojiSection[];
  customById: ReadonlyMap<string, FoundEmoji>;
  currentGuild: string | null;
}

function unicodeItem(e: EmojiEntry, tone: number): PickerItem {
  return { emoji: withSkin(e, tone), label: e.label, shortcode: e.shortcodes[0] ?? '' };
}

export function customItem(e: GuildEmoji): PickerItem {
  return { emoji: customEmojiText(e), label: e.name, shortcode: e.name, image: emojiUrl(e) };
}

/** A recently used emoji as an item, or null when it no longer exists (a deleted custom emoji). */
function recentItem(u: string, data: EmojiData, customById: ReadonlyMap<string, FoundEmoji>): PickerItem | null {
  const custom = parseCustomEmojiText(u);
  if (custom) {
    // The guild's current copy: it may have been renamed since.
    const found = customById.get(custom.id);
    return found ? customItem(found.emoji) : null;
  }
  const e = data.byUnicode.get(bareEmoji(u));
  return e ? { emoji: u, label: e.label, shortcode: e.shortcodes[0] ?? '' } : null;
}

export function pickerSections(p: PickerInputs): PickerSection[] {
  if (p.query.trim() !== '') {
    const custom = searchCustomEmoji(p.custom, p.query, p.currentGuild, SEARCH_LIMIT).map((f) => customItem(f.emoji));
    const unicode = searchEmoji(p.data.list, p.query, SEARCH_LIMIT - custom.length).map((e) => unicodeItem(e, p.tone));
    return [{ key: 'search', name: 'Search results', items: [...custom, ...unicode] }];
  }
  const recent: PickerItem[] = [];
  for (const u of p.recent) {
    const it = recentItem(u, p.data, p.customById);
    if (it) recent.push(it);
  }
  const out: PickerSection[] = [];
  if (recent.length) out.push({ key: 'recent', name: 'Recently used', items: recent });
  for (const sec of p.custom) out.push({ key: `guild-${sec.guildId}`, name: sec.guildName, guildId: sec.guildId, items: sec.emojis.map(customItem) });
  for (const g of GROUPS) out.push({ key: g.key, name: g.name, items: (p.data.byGroup.get(g.id) ?? []).map((e) => unicodeItem(e, p.tone)) });
  return out;
}
