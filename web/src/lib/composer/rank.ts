/**
 * Ranking the composer's autocomplete candidates: members, roles, @everyone/@here and channels,
 * by how well their names match the query. Pure; ./suggestions.ts picks the candidates.
 */
import type { Channel, Member, Role } from '../api/types';

/** Lowercase without diacritics, so "zoe" finds "Zoë". */
export function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * How well `query` matches a name: 0 exact, 1 prefix, 2 prefix of a later word, 3 substring,
 * null no match. An empty query matches everything as a prefix.
 */
export function matchTier(query: string, name: string | null | undefined): number | null {
  if (name == null || name === '') return null;
  const q = fold(query);
  const n = fold(name);
  if (q === '') return 1;
  if (n === q) return 0;
  if (n.startsWith(q)) return 1;
  const idx = n.indexOf(q);
  if (idx < 0) return null;
  return /[\s_.\-]/.test(n[idx - 1] ?? '') ? 2 : 3;
}

/** The best tier over several names of one candidate. */
export function bestTier(query: string, names: (string | null | undefined)[]): number | null {
  let best: number | null = null;
  for (const n of names) {
    const t = matchTier(query, n);
    if (t !== null && (best === null || t < best)) best = t;
  }
  return best;
}

export type SuggestionKind = 'user' | 'role' | 'everyone' | 'channel' | 'emoji';

export interface Suggestion {
  /** Unique within one list: used for element ids. */
  key: string;
  kind: SuggestionKind;
  /** Main text: display name, role name, channel name, emoji name. */
  label: string;
  /** Secondary text: username, "Notify everyone…", category, :shortcode:. */
  detail: string;
  /** The text that replaces the trigger and query. */
  insert: string;
  /** user, role, channel: its id. */
  id?: string;
  /** user: presence status; role: its colour (0 none); emoji: the emoji. */
  status?: string;
  color?: number;
  emoji?: string;
  /** user: their avatar hash. */
  avatar?: string | null;
  /** custom emoji: its image address. */
  image?: string;
}

export function memberName(m: Member): string {
  return m.nick ?? m.user.global_name ?? m.user.username;
}

function isOnline(presences: Record<string, string>, id: string): boolean {
  const s = presences[id];
  return s !== undefined && s !== 'offline' && s !== 'invisible';
}

/** Members matching the query: best tier first, then online before offline, then by name. */
export function rankMembers(members: Iterable<Member>, presences: Record<string, string>, query: string, limit = 10): Suggestion[] {
  const scored: { m: Member; tier: number; online: boolean; name: string }[] = [];
  for (const m of members) {
    const tier = bestTier(query, [m.nick, m.user.global_name, m.user.username]);
    if (tier === null) continue;
    scored.push({ m, tier, online: isOnline(presences, m.user.id), name: memberName(m) });
  }
  scored.sort((a, b) => a.tier - b.tier || Number(b.online) - Number(a.online) || a.name.localeCompare(b.name) || a.m.user.username.localeCompare(b.m.user.username));
  return scored.slice(0, limit).map(({ m, online, name }) => ({
    key: 'u' + m.user.id,
    kind: 'user',
    id: m.user.id,
    label: name,
    detail: m.user.username,
    insert: `<@${m.user.id}>`,
    status: online ? (presences[m.user.id] ?? 'online') : 'offline',
    avatar: m.user.avatar ?? null,
  }));
}

/**
 * Roles the user may mention: mentionable ones, or all with MENTION_EVERYONE; never the
 * @everyone role itself (its id is the guild id).
 */
export function rankRoles(roles: readonly Role[], guildId: string, query: string, canMentionAll: boolean, limit = 5): Suggestion[] {
  const scored: { r: Role; tier: number }[] = [];
  for (const r of roles) {
    if (r.id === guildId || (!r.mentionable && !canMentionAll)) continue;
    const tier = matchTier(query, r.name);
    if (tier !== null) scored.push({ r, tier });
  }
  scored.sort((a, b) => a.tier - b.tier || b.r.position - a.r.position);
  return scored.slice(0, limit).map(({ r }) => ({ key: 'r' + r.id, kind: 'role', id: r.id, label: r.name, detail: 'Role', insert: `<@&${r.id}>`, color: r.color }));
}

/** `@everyone` and `@here`, only for members with MENTION_EVERYONE. */
export function rankEveryone(query: string, canMentionEveryone: boolean): Suggestion[] {
  if (!canMentionEveryone) return [];
  const all: Suggestion[] = [
    { key: 'everyone', kind: 'everyone', label: '@everyone', detail: 'Notify everyone who can see this channel', insert: '@everyone' },
    { key: 'here', kind: 'everyone', label: '@here', detail: 'Notify everyone online who can see this channel', insert: '@here' },
  ];
  return all.filter((s) => matchTier(query, s.label.slice(1)) !== null);
}

/** The guild's members for autocomplete: the live cache wins over the copy fetched for it. */
export function membersForMention(fetched: Record<string, Member> | undefined, live: Record<string, Member> | undefined): Member[] {
  if (!fetched) return Object.values(live ?? {});
  return Object.values({ ...fetched, ...(live ?? {}) });
}

/** Everything `@` offers: members, then roles, then @everyone/@here (Discord's order). */
export function mentionSuggestions(args: {
  query: string;
  members: Iterable<Member>;
  presences: Record<string, string>;
  roles: readonly Role[];
  guildId: string;
  canMentionEveryone: boolean;
}): Suggestion[] {
  return [
    ...rankMembers(args.members, args.presences, args.query),
    ...rankRoles(args.roles, args.guildId, args.query, args.canMentionEveryone),
    ...rankEveryone(args.query, args.canMentionEveryone),
  ];
}

/**
 * Channels matching the query, best tier first, then in the given (sidebar) order. The caller
 * passes only channels the user can see; `categoryName` names a channel's category.
 */
export function rankChannels(channels: readonly Channel[], query: string, categoryName: (c: Channel) => string, limit = 10): Suggestion[] {
  const scored: { c: Channel; tier: number; order: number }[] = [];
  channels.forEach((c, order) => {
    const tier = matchTier(query, c.name);
    if (tier !== null) scored.push({ c, tier, order });
  });
  scored.sort((a, b) => a.tier - b.tier || a.order - b.order);
  return scored.slice(0, limit).map(({ c }) => ({ key: 'c' + c.id, kind: 'channel', id: c.id, label: c.name, detail: categoryName(c), insert: `<#${c.id}>` }));
}
