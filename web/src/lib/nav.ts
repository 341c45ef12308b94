/**
 * Moving around: the channel and guild order the keyboard walks, the next unread channel, and
 * opening a guild at the channel last open there (like Discord). The order functions are pure.
 */
import { get } from 'svelte/store';
import { chat, selectChannel, selectGuild, selection } from './app';
import { channelGroups, type ChatState } from './stores/chat';
import { isTextLike, readStates, unreadInfo, type ReadStates } from './stores/readstate';

/** A guild's text channels in list order. */
export function textChannels(s: ChatState, guildId: string): string[] {
  const out: string[] = [];
  for (const g of channelGroups(s, guildId)) for (const c of g.channels) if (isTextLike(c.type)) out.push(c.id);
  return out;
}

/** The guilds one can open, in rail order. */
export function availableGuilds(s: ChatState): string[] {
  return s.guildOrder.filter((g) => s.guilds[g] && !s.guilds[g].unavailable);
}

function step<T>(list: T[], current: T | null, dir: 1 | -1): T | null {
  if (!list.length) return null;
  const i = current === null ? -1 : list.indexOf(current);
  if (i < 0) return dir === 1 ? (list[0] ?? null) : (list[list.length - 1] ?? null);
  return list[(i + dir + list.length) % list.length] ?? null;
}

/** The previous/next text channel of the guild, wrapping around. */
export function adjacentChannel(s: ChatState, guildId: string, channelId: string | null, dir: 1 | -1): string | null {
  const next = step(textChannels(s, guildId), channelId, dir);
  return next === channelId ? null : next;
}

/** The previous/next guild in the rail, wrapping around. */
export function adjacentGuild(s: ChatState, guildId: string | null, dir: 1 | -1): string | null {
  const next = step(availableGuilds(s), guildId, dir);
  return next === guildId ? null : next;
}

/**
 * The previous/next unread channel: first in the current guild after (or before) the open channel,
 * then in the following (or preceding) guilds, wrapping around the rail. Null when nothing is unread.
 */
export function adjacentUnread(s: ChatState, rs: ReadStates, guildId: string | null, channelId: string | null, dir: 1 | -1): string | null {
  const guilds = availableGuilds(s);
  if (!guilds.length) return null;
  const start = guildId !== null && guilds.includes(guildId) ? guilds.indexOf(guildId) : 0;
  // Walk every channel of every guild once, starting after the open channel.
  const order: string[] = [];
  for (let k = 0; k < guilds.length; k++) {
    const gid = guilds[(start + k) % guilds.length] as string;
    order.push(...textChannels(s, gid));
  }
  if (dir === -1) {
    // Backwards: the current guild's channels before the open one, then the guilds before it.
    const rev: string[] = [];
    for (let k = 0; k < guilds.length; k++) {
      const gid = guilds[(start - k + guilds.length) % guilds.length] as string;
      rev.push(...textChannels(s, gid).reverse());
    }
    return firstUnreadAfter(s, rs, rev, channelId);
  }
  return firstUnreadAfter(s, rs, order, channelId);
}

function firstUnreadAfter(s: ChatState, rs: ReadStates, order: string[], channelId: string | null): string | null {
  const at = channelId === null ? -1 : order.indexOf(channelId);
  for (let k = 1; k <= order.length; k++) {
    const id = order[(at + k + order.length) % order.length] as string;
    if (id !== channelId && unreadInfo(s, rs, id).unread) return id;
  }
  return null;
}

// ---- remembered channel per guild ----

const lastChannel = new Map<string, string>();
selection.subscribe((sel) => {
  if (sel.guildId && sel.channelId) lastChannel.set(sel.guildId, sel.channelId);
});

/** Open a guild at the channel last open there, else its first text channel. */
export function openGuild(guildId: string): void {
  const s = get(chat);
  const remembered = lastChannel.get(guildId);
  if (remembered && s.channels[remembered]?.guild_id === guildId) selectChannel(remembered);
  else selectGuild(guildId);
}

export function goChannel(dir: 1 | -1): boolean {
  const { guildId, channelId } = get(selection);
  if (!guildId) return false;
  const next = adjacentChannel(get(chat), guildId, channelId, dir);
  if (next) selectChannel(next);
  return next !== null;
}

export function goUnread(dir: 1 | -1): boolean {
  const { guildId, channelId } = get(selection);
  const next = adjacentUnread(get(chat), get(readStates), guildId, channelId, dir);
  if (next) selectChannel(next);
  return next !== null;
}

export function goGuild(dir: 1 | -1): boolean {
  const next = adjacentGuild(get(chat), get(selection).guildId, dir);
  if (next) openGuild(next);
  return next !== null;
}
