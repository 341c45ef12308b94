/**
 * The quick switcher's data: every place one can jump to (text channels across all guilds, guilds,
 * members), and a fuzzy ranking of them for a query. Pure: tested without the DOM.
 *
 * A query may start with a sigil to search one kind only, like Discord: `#` channels, `*` guilds,
 * `@` members.
 */
import type { Member } from './api/types';
import { channelGroups, displayName, type ChatState } from './stores/chat';
import { isTextLike, unreadInfo, type ReadStates } from './stores/readstate';

export type SwitchItem =
  | { kind: 'channel'; key: string; id: string; name: string; guildId: string; guildName: string; unread: boolean; mentions: number; order: number }
  | { kind: 'guild'; key: string; id: string; name: string; unread: boolean; mentions: number; order: number }
  | { kind: 'member'; key: string; id: string; name: string; username: string; guildId: string; guildName: string; order: number };

/** Everything one can jump to, in guild order then channel order. `extraMembers` adds paged members. */
export function buildItems(chat: ChatState, rs: ReadStates, extraMembers: Record<string, Record<string, Member>> = {}, preferGuild: string | null = null): SwitchItem[] {
  const items: SwitchItem[] = [];
  let order = 0;
  const memberSeen = new Map<string, number>();
  const guildIds = chat.guildOrder.filter((g) => chat.guilds[g] && !chat.guilds[g].unavailable);
  for (const gid of guildIds) {
    const entry = chat.guilds[gid];
    if (!entry) continue;
    const guildName = entry.guild.name;
    let gUnread = false;
    let gMentions = 0;
    for (const group of channelGroups(chat, gid)) {
      for (const c of group.channels) {
        if (!isTextLike(c.type)) continue;
        const u = unreadInfo(chat, rs, c.id);
        gUnread ||= u.unread;
        gMentions += u.mentions;
        items.push({ kind: 'channel', key: 'c' + c.id, id: c.id, name: c.name, guildId: gid, guildName, unread: u.unread, mentions: u.mentions, order: order++ });
      }
    }
    items.push({ kind: 'guild', key: 'g' + gid, id: gid, name: guildName, unread: gUnread, mentions: gMentions, order: order++ });
  }
  // Members once each; the preferred (current) guild's copy first, else the first guild's.
  const ordered = preferGuild && guildIds.includes(preferGuild) ? [preferGuild, ...guildIds.filter((g) => g !== preferGuild)] : guildIds;
  for (const gid of ordered) {
    const guildName = chat.guilds[gid]?.guild.name ?? '';
    const all = { ...(extraMembers[gid] ?? {}), ...(chat.members[gid] ?? {}) };
    for (const m of Object.values(all)) {
      if (m.user.id === chat.me?.id || memberSeen.has(m.user.id)) continue;
      memberSeen.set(m.user.id, order);
      items.push({ kind: 'member', key: 'm' + m.user.id, id: m.user.id, name: displayName(m), username: m.user.username, guildId: gid, guildName, order: order++ });
    }
  }
  return items;
}

/**
 * How well `query` matches `text` (higher is better), or null when it does not. Exact beats prefix
 * beats a word start beats a substring beats a scattered subsequence (the tighter the better).
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLowerCase();
  const t = text.toLowerCase();
  if (!q) return 0;
  if (t === q) return 1000;
  if (t.startsWith(q)) return 800 - Math.min(100, t.length - q.length);
  const at = t.indexOf(q);
  if (at > 0) {
    const wordStart = /[\s\-_.·/]/.test(t[at - 1] ?? '');
    return (wordStart ? 600 : 400) - Math.min(100, at);
  }
  // Subsequence: every query character in order; reward runs and word starts, penalise gaps.
  let score = 100;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    const found = t.indexOf(ch, ti);
    if (found < 0) return null;
    if (found === prev + 1) score += 8;
    else score -= Math.min(10, found - ti);
    if (found === 0 || /[\s\-_.·/]/.test(t[found - 1] ?? '')) score += 6;
    prev = found;
    ti = found + 1;
  }
  return Math.max(1, score);
}

const KIND_SIGIL: Record<string, SwitchItem['kind']> = { '#': 'channel', '*': 'guild', '@': 'member' };

export interface RankOptions {
  currentGuildId?: string | null;
  currentChannelId?: string | null;
  limit?: number;
}

function itemScore(item: SwitchItem, q: string): number | null {
  let best = fuzzyScore(q, item.name);
  if (item.kind === 'member') {
    const u = fuzzyScore(q, item.username);
    if (u !== null && (best === null || u > best)) best = u;
  }
  return best;
}

/**
 * The items matching `query`, best first. An empty query lists unread channels first (mentions
 * first), then the current guild's channels, then the rest of the channels.
 */
export function rank(items: SwitchItem[], query: string, opts: RankOptions = {}): SwitchItem[] {
  const limit = opts.limit ?? 50;
  let q = query.trim();
  let only: SwitchItem['kind'] | null = null;
  const sigil = KIND_SIGIL[q[0] ?? ''];
  if (sigil) {
    only = sigil;
    q = q.slice(1).trim();
  }
  // With no query, the channel already open is not offered.
  const pool = items.filter((i) => (only ? i.kind === only : true) && !(!q && i.kind === 'channel' && i.id === opts.currentChannelId));
  if (!q) {
    const emptyPool = only ? pool : pool.filter((i) => i.kind === 'channel');
    const weight = (i: SwitchItem): number => {
      if (i.kind === 'member') return 0;
      if (i.mentions > 0) return 3;
      if (i.unread) return 2;
      if (i.kind === 'channel' && i.guildId === opts.currentGuildId) return 1;
      return 0;
    };
    return emptyPool
      .map((i) => ({ i, w: weight(i) }))
      .sort((a, b) => b.w - a.w || mentionsOf(b.i) - mentionsOf(a.i) || a.i.order - b.i.order)
      .slice(0, limit)
      .map((x) => x.i);
  }
  const scored: { i: SwitchItem; s: number }[] = [];
  for (const i of pool) {
    const s = itemScore(i, q);
    if (s === null) continue;
    let bonus = 0;
    if (i.kind !== 'member' && i.unread) bonus += 15;
    if (i.kind === 'channel' && i.guildId === opts.currentGuildId) bonus += 10;
    if (i.kind === 'guild') bonus += 5;
    scored.push({ i, s: s + bonus });
  }
  return scored
    .sort((a, b) => b.s - a.s || a.i.name.length - b.i.name.length || a.i.order - b.i.order)
    .slice(0, limit)
    .map((x) => x.i);
}

function mentionsOf(i: SwitchItem): number {
  return i.kind === 'member' ? 0 : i.mentions;
}
