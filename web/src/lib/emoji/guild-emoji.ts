/**
 * Reading the custom emoji of the guilds I am in (kept by ../stores/emojis.ts): lookup by id, the
 * picker's per-guild sections and search by name. Pure.
 */
import type { GuildEmoji } from '../api/endpoints/media';
import type { ChatState } from '../stores/chat';
import { matchTier } from '../composer/rank';

/** guild id → its custom emoji, in the server's order. */
export type EmojiState = Record<string, GuildEmoji[]>;

export interface FoundEmoji {
  emoji: GuildEmoji;
  guildId: string;
  guildName?: string;
}

/** emoji id → the emoji and its guild. */
export function emojiIndex(s: EmojiState): Map<string, FoundEmoji> {
  const out = new Map<string, FoundEmoji>();
  for (const [guildId, list] of Object.entries(s)) for (const emoji of list) out.set(emoji.id, { emoji, guildId });
  return out;
}

export interface EmojiSection {
  guildId: string;
  guildName: string;
  emojis: GuildEmoji[];
}

/**
 * The guilds (in rail order, the current one first) with their usable emoji, leaving out guilds
 * without any.
 */
export function emojiSections(s: EmojiState, guilds: readonly { id: string; name: string }[], current: string | null): EmojiSection[] {
  const here = guilds.find((g) => g.id === current);
  const order = here ? [here, ...guilds.filter((g) => g !== here)] : guilds;
  const out: EmojiSection[] = [];
  for (const g of order) {
    const list = (s[g.id] ?? []).filter((e) => e.available !== false);
    if (list.length) out.push({ guildId: g.id, guildName: g.name, emojis: list });
  }
  return out;
}

/** The chat state's guilds in rail order, as `emojiSections` takes them. */
export function railGuilds(s: ChatState): { id: string; name: string }[] {
  return s.guildOrder.flatMap((id) => {
    const g = s.guilds[id]?.guild;
    return g ? [{ id, name: g.name }] : [];
  });
}

/**
 * Custom emoji whose name matches the query (colons ignored): best match first (exact, prefix,
 * word prefix, substring), then the current guild's, then by name.
 */
export function searchCustomEmoji(sections: readonly EmojiSection[], query: string, current: string | null, limit = Infinity): FoundEmoji[] {
  const q = query.trim().replace(/^:+|:+$/g, '');
  if (q === '') return [];
  const hits: { f: FoundEmoji; tier: number; here: boolean }[] = [];
  for (const sec of sections)
    for (const emoji of sec.emojis) {
      const tier = matchTier(q, emoji.name);
      if (tier !== null) hits.push({ f: { emoji, guildId: sec.guildId, guildName: sec.guildName }, tier, here: sec.guildId === current });
    }
  hits.sort((a, b) => a.tier - b.tier || Number(b.here) - Number(a.here) || a.f.emoji.name.localeCompare(b.f.emoji.name));
  return hits.slice(0, limit).map((h) => h.f);
}

