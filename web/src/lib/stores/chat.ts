/**
 * The guild/channel/member/message caches as one immutable state, changed only by `applyEvent`
 * (a gateway dispatch) and a few local actions (history loaded, optimistic sends). Pure: tested
 * without Svelte.
 */
import type { Channel, CurrentUser, Guild, Member, Message, Role } from '../api/types';
import { reactionEmoji, sameReactionEmoji, type ReactionEmoji } from '../emoji/custom';

export type ChatMessage = Message & { guild_id?: string | null; pending?: boolean; failed?: boolean };
/** A reply's `referenced_message`: the Message replied to, without its own reference. */
export type RefMessage = Omit<Message, 'referenced_message'>;

/** The schema types `referenced_message` loosely (an object); it is the Message replied to, or null when deleted. */
export function referencedMessage(m: Pick<Message, 'referenced_message'>): RefMessage | null | undefined {
  return m.referenced_message as RefMessage | null | undefined;
}
export type Reaction = NonNullable<Message['reactions']>[number];

export interface GuildEntry {
  guild: Guild;
  unavailable: boolean;
  member_count: number;
}

export interface ChatState {
  me: CurrentUser | null;
  guildOrder: string[];
  guilds: Record<string, GuildEntry>;
  channels: Record<string, Channel>;
  /** guild id → user id → member */
  members: Record<string, Record<string, Member>>;
  /** channel id → messages, oldest first (optimistic ones at the end) */
  messages: Record<string, ChatMessage[]>;
  /** channel id → whether older history remains */
  hasMore: Record<string, boolean>;
  /**
   * channel id → true while the cache is a window of older history that does not reach the newest
   * message (after a jump): new messages are then not appended (they would leave a gap) and newer
   * pages load with `after=`.
   */
  hasNewer: Record<string, boolean>;
  /** channel id → pinned messages, most recently pinned first (loaded when the pins panel opens) */
  pins: Record<string, ChatMessage[]>;
  presences: Record<string, string>;
}

export function emptyState(): ChatState {
  return { me: null, guildOrder: [], guilds: {}, channels: {}, members: {}, messages: {}, hasMore: {}, hasNewer: {}, pins: {}, presences: {} };
}

type GuildCreate = Guild & {
  channels?: Channel[];
  members?: Member[];
  member_count?: number;
  presences?: { user: { id: string }; status: string }[];
};

function without<T>(rec: Record<string, T>, key: string): Record<string, T> {
  if (!(key in rec)) return rec;
  const copy = { ...rec };
  delete copy[key];
  return copy;
}

function stripGuildExtras(g: GuildCreate): Guild {
  const { channels: _c, members: _m, member_count: _mc, presences: _p, ...rest } = g as GuildCreate & Record<string, unknown>;
  void _c;
  void _m;
  void _mc;
  void _p;
  return rest as Guild;
}

function removeGuild(state: ChatState, id: string): ChatState {
  const channels: Record<string, Channel> = {};
  let messages = state.messages;
  for (const [cid, c] of Object.entries(state.channels)) {
    if (c.guild_id === id) messages = without(messages, cid);
    else channels[cid] = c;
  }
  return {
    ...state,
    guildOrder: state.guildOrder.filter((g) => g !== id),
    guilds: without(state.guilds, id),
    members: without(state.members, id),
    channels,
    messages,
  };
}

function upsertMessage(list: ChatMessage[], msg: ChatMessage): ChatMessage[] {
  // Replace the optimistic copy carrying the same nonce, or an existing copy with the same id.
  const idx = list.findIndex((m) => m.id === msg.id || (msg.nonce != null && m.pending === true && m.nonce === msg.nonce));
  if (idx >= 0) {
    const copy = list.slice();
    copy[idx] = msg;
    // A pending message may have been overtaken; keep confirmed ones in id order.
    return sortMessages(dedupe(copy));
  }
  return sortMessages([...list, msg]);
}

/** A page of history into a list: one sort for the page (not one per message), echoes replace optimistic copies. */
function mergePage(list: ChatMessage[], page: readonly ChatMessage[]): ChatMessage[] {
  if (page.length === 0) return list;
  const byId = new Map<string, ChatMessage>();
  for (const m of page) byId.set(m.id, m);
  const nonces = new Set<string>();
  for (const m of page) if (m.nonce != null) nonces.add(m.nonce);
  const kept = list.filter((m) => !byId.has(m.id) && !(m.pending === true && m.nonce != null && nonces.has(m.nonce)));
  return sortMessages([...kept, ...byId.values()]);
}

function dedupe(list: ChatMessage[]): ChatMessage[] {
  const seen = new Set<string>();
  return list.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}

function cmpId(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Confirmed messages by snowflake order; optimistic ones after them in send order. */
function sortMessages(list: ChatMessage[]): ChatMessage[] {
  const confirmed = list.filter((m) => !m.pending && !m.failed).sort((a, b) => cmpId(a.id, b.id));
  const local = list.filter((m) => m.pending || m.failed);
  return [...confirmed, ...local];
}

/** A new chip's emoji: unicode ones as `{id: null, name}`, custom ones with their id and animation. */
function chipEmoji(e: ReactionEmoji): Reaction['emoji'] {
  if (!e.id) return { id: null, name: e.name };
  const custom: Reaction['emoji'] & { animated?: boolean } = { id: e.id, name: e.name };
  if (e.animated) custom.animated = true;
  return custom;
}

/**
 * Add or take away one reaction. `emoji`: a unicode emoji, a custom one's `name:id` key, or the
 * emoji object of a reaction event (custom emoji match by id). `mine`: it is my reaction, which
 * counts once (`me`).
 */
export function changeReaction(list: readonly Reaction[], emoji: string | ReactionEmoji, add: boolean, mine: boolean): Reaction[] {
  const target = reactionEmoji(emoji);
  const idx = list.findIndex((r) => sameReactionEmoji(r.emoji, target));
  const cur = idx >= 0 ? (list[idx] as Reaction) : null;
  if (add) {
    if (cur && mine && cur.me) return list as Reaction[];
    const next: Reaction = cur ? { ...cur, count: cur.count + 1, me: cur.me || mine } : { count: 1, me: mine, emoji: chipEmoji(target) };
    if (!cur) return [...list, next];
    const copy = list.slice();
    copy[idx] = next;
    return copy;
  }
  if (!cur || (mine && !cur.me)) return list as Reaction[];
  if (cur.count <= 1) return list.filter((_, i) => i !== idx);
  const copy = list.slice();
  copy[idx] = { ...cur, count: cur.count - 1, me: mine ? false : cur.me };
  return copy;
}

/** Map every cached message of a channel (and its pinned copies); unchanged when nothing changed. */
function updateMessages(state: ChatState, channelId: string, f: (m: ChatMessage) => ChatMessage): ChatState {
  let next = state;
  const list = state.messages[channelId];
  if (list) {
    let changed = false;
    const mapped = list.map((m) => {
      const n = f(m);
      if (n !== m) changed = true;
      return n;
    });
    if (changed) next = { ...next, messages: { ...next.messages, [channelId]: mapped } };
  }
  const pins = state.pins[channelId];
  if (pins) {
    let changed = false;
    const mapped = pins.map((m) => {
      const n = f(m);
      if (n !== m) changed = true;
      return n;
    });
    if (changed) next = { ...next, pins: { ...next.pins, [channelId]: mapped } };
  }
  return next;
}

function updateMessage(state: ChatState, channelId: string, messageId: string, f: (m: ChatMessage) => ChatMessage): ChatState {
  return updateMessages(state, channelId, (m) => (m.id === messageId ? f(m) : m));
}

/** Remove messages; replies to them now show that the original was deleted. */
function removeMessages(state: ChatState, channelId: string, gone: Set<string>): ChatState {
  let next = state;
  const list = state.messages[channelId];
  if (list) {
    const kept = list.filter((m) => !gone.has(m.id));
    next = { ...next, messages: { ...next.messages, [channelId]: kept.map((m) => {
        const ref = referencedMessage(m);
        return ref && gone.has(ref.id) ? { ...m, referenced_message: null } : m;
      }) } };
  }
  const pins = state.pins[channelId];
  if (pins && pins.some((m) => gone.has(m.id))) next = { ...next, pins: { ...next.pins, [channelId]: pins.filter((m) => !gone.has(m.id)) } };
  return next;
}

function setRole(state: ChatState, guildId: string, f: (roles: Role[]) => Role[]): ChatState {
  const entry = state.guilds[guildId];
  if (!entry) return state;
  return { ...state, guilds: { ...state.guilds, [guildId]: { ...entry, guild: { ...entry.guild, roles: f(entry.guild.roles) } } } };
}

function setMember(state: ChatState, guildId: string, member: Member): ChatState {
  const members = state.members[guildId] ?? {};
  return { ...state, members: { ...state.members, [guildId]: { ...members, [member.user.id]: member } } };
}

/** Apply one gateway dispatch. Unknown events leave the state unchanged. */
export function applyEvent(state: ChatState, t: string, d: unknown): ChatState {
  switch (t) {
    case 'READY': {
      const r = d as { user: CurrentUser; guilds: { id: string; unavailable?: boolean }[] };
      const next = emptyState();
      next.me = r.user;
      // Keep cached guild data until each GUILD_CREATE replaces it. A new session may have missed
      // messages, so confirmed history is dropped (and refetched); unsent local messages stay.
      for (const g of r.guilds) {
        next.guildOrder.push(g.id);
        const old = state.guilds[g.id];
        if (old) next.guilds[g.id] = { ...old, unavailable: true };
      }
      for (const [cid, list] of Object.entries(state.messages)) {
        const local = list.filter((m) => m.pending || m.failed);
        if (local.length) next.messages[cid] = local;
      }
      return next;
    }
    case 'GUILD_CREATE': {
      const g = d as GuildCreate;
      let next = removeGuild(state, g.id);
      const channels = { ...next.channels };
      for (const c of g.channels ?? []) channels[c.id] = { ...c, guild_id: g.id };
      const members: Record<string, Member> = {};
      for (const m of g.members ?? []) members[m.user.id] = m;
      const presences = { ...next.presences };
      for (const p of g.presences ?? []) presences[p.user.id] = p.status;
      const order = state.guildOrder.includes(g.id) ? state.guildOrder : [...state.guildOrder, g.id];
      // Keep message caches for channels that are still visible.
      const messages: Record<string, ChatMessage[]> = { ...next.messages };
      for (const [cid, list] of Object.entries(state.messages)) if (channels[cid]) messages[cid] = list;
      next = {
        ...next,
        guildOrder: order,
        guilds: { ...next.guilds, [g.id]: { guild: stripGuildExtras(g), unavailable: false, member_count: g.member_count ?? Object.keys(members).length } },
        channels,
        members: { ...next.members, [g.id]: members },
        messages,
        presences,
      };
      return next;
    }
    case 'GUILD_UPDATE': {
      const g = d as Guild;
      const entry = state.guilds[g.id];
      if (!entry) return state;
      return { ...state, guilds: { ...state.guilds, [g.id]: { ...entry, guild: stripGuildExtras(g) } } };
    }
    case 'GUILD_DELETE':
      return removeGuild(state, (d as { id: string }).id);
    case 'CHANNEL_CREATE':
    case 'CHANNEL_UPDATE': {
      const c = d as Channel;
      return { ...state, channels: { ...state.channels, [c.id]: c } };
    }
    case 'CHANNEL_DELETE': {
      const c = d as Channel;
      return {
        ...state,
        channels: without(state.channels, c.id),
        messages: without(state.messages, c.id),
        hasMore: without(state.hasMore, c.id),
        hasNewer: without(state.hasNewer, c.id),
        pins: without(state.pins, c.id),
      };
    }
    case 'GUILD_ROLE_CREATE':
    case 'GUILD_ROLE_UPDATE': {
      const { guild_id, role } = d as { guild_id: string; role: Role };
      return setRole(state, guild_id, (roles) => [...roles.filter((r) => r.id !== role.id), role]);
    }
    case 'GUILD_ROLE_DELETE': {
      const { guild_id, role_id } = d as { guild_id: string; role_id: string };
      let next = setRole(state, guild_id, (roles) => roles.filter((r) => r.id !== role_id));
      const members = next.members[guild_id];
      if (members) {
        const updated: Record<string, Member> = {};
        for (const [uid, m] of Object.entries(members)) updated[uid] = m.roles.includes(role_id) ? { ...m, roles: m.roles.filter((r) => r !== role_id) } : m;
        next = { ...next, members: { ...next.members, [guild_id]: updated } };
      }
      return next;
    }
    case 'GUILD_MEMBER_ADD':
    case 'GUILD_MEMBER_UPDATE': {
      const { guild_id, ...member } = d as Member & { guild_id: string };
      let next = setMember(state, guild_id, member as Member);
      const entry = next.guilds[guild_id];
      if (t === 'GUILD_MEMBER_ADD' && entry && !state.members[guild_id]?.[member.user.id]) {
        next = { ...next, guilds: { ...next.guilds, [guild_id]: { ...entry, member_count: entry.member_count + 1 } } };
      }
      return next;
    }
    case 'GUILD_MEMBER_REMOVE': {
      const { guild_id, user } = d as { guild_id: string; user: { id: string } };
      const members = state.members[guild_id];
      const entry = state.guilds[guild_id];
      let next = state;
      if (members) next = { ...next, members: { ...next.members, [guild_id]: without(members, user.id) } };
      if (entry) next = { ...next, guilds: { ...next.guilds, [guild_id]: { ...entry, member_count: Math.max(0, entry.member_count - 1) } } };
      return next;
    }
    case 'PRESENCE_UPDATE': {
      const p = d as { user: { id: string }; status: string };
      return { ...state, presences: { ...state.presences, [p.user.id]: p.status } };
    }
    case 'MESSAGE_CREATE': {
      const m = d as ChatMessage;
      const list = state.messages[m.channel_id];
      let next: ChatState = state;
      const ch = state.channels[m.channel_id];
      if (ch) next = { ...next, channels: { ...next.channels, [ch.id]: { ...ch, last_message_id: m.id } } };
      // Only extend a cache that is loaded; otherwise history is fetched when the channel opens.
      if (!list) return next;
      // A window of older history does not take new messages (that would leave a gap), except the
      // echo of my own pending send, which replaces its optimistic copy.
      if (state.hasNewer[m.channel_id] && !(m.nonce != null && list.some((x) => x.pending && x.nonce === m.nonce))) return next;
      return { ...next, messages: { ...next.messages, [m.channel_id]: upsertMessage(list, m) } };
    }
    case 'MESSAGE_UPDATE': {
      const m = d as ChatMessage;
      return updateMessages(state, m.channel_id, (x) => {
        if (x.id === m.id) return { ...x, ...m, reactions: x.reactions, referenced_message: m.referenced_message === undefined ? x.referenced_message : m.referenced_message };
        // Replies show the message they answer: keep that preview current.
        const ref = referencedMessage(x);
        if (ref?.id === m.id) {
          const { referenced_message: _r, guild_id: _g, nonce: _n, ...plain } = m;
          void _r;
          void _g;
          void _n;
          const merged: RefMessage = { ...ref, ...plain, reactions: ref.reactions };
          return { ...x, referenced_message: merged as unknown as Message['referenced_message'] };
        }
        return x;
      });
    }
    case 'MESSAGE_DELETE': {
      const { id, channel_id } = d as { id: string; channel_id: string };
      return removeMessages(state, channel_id, new Set([id]));
    }
    case 'MESSAGE_DELETE_BULK': {
      const { ids, channel_id } = d as { ids: string[]; channel_id: string };
      return removeMessages(state, channel_id, new Set(ids));
    }
    case 'MESSAGE_REACTION_ADD':
    case 'MESSAGE_REACTION_REMOVE': {
      const r = d as { user_id: string; channel_id: string; message_id: string; emoji: ReactionEmoji };
      const mine = state.me !== null && r.user_id === state.me.id;
      return updateMessage(state, r.channel_id, r.message_id, (m) => ({ ...m, reactions: changeReaction(m.reactions ?? [], r.emoji, t === 'MESSAGE_REACTION_ADD', mine) }));
    }
    case 'MESSAGE_REACTION_REMOVE_ALL': {
      const r = d as { channel_id: string; message_id: string };
      return updateMessage(state, r.channel_id, r.message_id, (m) => ({ ...m, reactions: [] }));
    }
    case 'MESSAGE_REACTION_REMOVE_EMOJI': {
      const r = d as { channel_id: string; message_id: string; emoji: ReactionEmoji };
      return updateMessage(state, r.channel_id, r.message_id, (m) => ({ ...m, reactions: (m.reactions ?? []).filter((x) => !sameReactionEmoji(x.emoji, r.emoji)) }));
    }
    default:
      return state;
  }
}

/**
 * History page loaded (the API answers newest first). `before` null: the newest page, which
 * replaces the confirmed cache and reaches the present; `before` set: an older page.
 */
export function historyLoaded(state: ChatState, channelId: string, page: ChatMessage[], limit: number, before: string | null): ChatState {
  const existing = before !== null ? (state.messages[channelId] ?? []) : (state.messages[channelId] ?? []).filter((m) => m.pending || m.failed);
  const list = mergePage(existing, page);
  return {
    ...state,
    messages: { ...state.messages, [channelId]: list },
    hasMore: { ...state.hasMore, [channelId]: page.length >= limit },
    hasNewer: before === null ? without(state.hasNewer, channelId) : state.hasNewer,
  };
}

/**
 * A window of history loaded away from the newest page.
 * - `around`: the page from `GET ?around=id` replaces the confirmed cache (it need not touch what was
 *   cached). The API returns `limit / 2` (rounded down) older messages and the rest from `id` on, so a
 *   short side means that end of the channel is reached.
 * - `after`: a newer page appended to the window (`GET ?after=id` answers the oldest `limit` after
 *   the id); a short page means the window now reaches the present.
 */
export function windowLoaded(state: ChatState, channelId: string, page: ChatMessage[], limit: number, mode: { around: string } | { after: string }): ChatState {
  if ('around' in mode) {
    const local = (state.messages[channelId] ?? []).filter((m) => m.pending || m.failed);
    const list = mergePage(local, page);
    const older = page.filter((m) => cmpId(m.id, mode.around) < 0).length;
    const newer = page.length - older;
    const wantOlder = Math.floor(limit / 2);
    const reachesPresent = newer < limit - wantOlder;
    return {
      ...state,
      messages: { ...state.messages, [channelId]: list },
      hasMore: { ...state.hasMore, [channelId]: older >= wantOlder && wantOlder > 0 },
      hasNewer: reachesPresent ? without(state.hasNewer, channelId) : { ...state.hasNewer, [channelId]: true },
    };
  }
  const list = mergePage(state.messages[channelId] ?? [], page);
  return {
    ...state,
    messages: { ...state.messages, [channelId]: list },
    hasNewer: page.length >= limit ? { ...state.hasNewer, [channelId]: true } : without(state.hasNewer, channelId),
  };
}

/**
 * After a reconnect (a fresh READY dropped confirmed history): put back the open channel's history as
 * it was shown, so the view does not empty while it is fetched again. Unsent local messages that
 * READY kept stay after it. The caller replaces it with a fresh page as soon as it can.
 */
export function historyRestored(state: ChatState, channelId: string, kept: { messages: readonly ChatMessage[]; hasMore: boolean; hasNewer: boolean }): ChatState {
  const local = (state.messages[channelId] ?? []).filter((m) => m.pending || m.failed);
  const confirmed = kept.messages.filter((m) => !m.pending && !m.failed);
  return {
    ...state,
    messages: { ...state.messages, [channelId]: mergePage(local, confirmed) },
    hasMore: { ...state.hasMore, [channelId]: kept.hasMore },
    hasNewer: kept.hasNewer ? { ...state.hasNewer, [channelId]: true } : without(state.hasNewer, channelId),
  };
}

/** Forget a channel's confirmed history (it is fetched again when the channel opens); unsent messages stay. */
export function historyDropped(state: ChatState, channelId: string): ChatState {
  const list = state.messages[channelId];
  if (!list) return state;
  const local = list.filter((m) => m.pending || m.failed);
  return {
    ...state,
    messages: local.length ? { ...state.messages, [channelId]: local } : without(state.messages, channelId),
    hasMore: without(state.hasMore, channelId),
    hasNewer: without(state.hasNewer, channelId),
  };
}

/** My reaction toggled locally (optimistic; the echo then changes nothing, an error applies the reverse). */
export function reactionToggled(state: ChatState, channelId: string, messageId: string, emoji: string | ReactionEmoji, add: boolean): ChatState {
  return updateMessage(state, channelId, messageId, (m) => ({ ...m, reactions: changeReaction(m.reactions ?? [], emoji, add, true) }));
}

/** A message's pinned flag changed (CHANNEL_PINS_UPDATE does not say which message). */
export function pinnedChanged(state: ChatState, channelId: string, messageId: string, pinned: boolean): ChatState {
  let next = updateMessage(state, channelId, messageId, (m) => ({ ...m, pinned }));
  const pins = next.pins[channelId];
  if (pins) {
    let list = pins.filter((p) => p.id !== messageId);
    if (pinned) {
      const m = next.messages[channelId]?.find((x) => x.id === messageId);
      if (m) list = [{ ...m, pinned: true }, ...list];
    }
    next = { ...next, pins: { ...next.pins, [channelId]: list } };
  }
  return next;
}

/** The channel's pins loaded: remember them and set every cached message's pinned flag to match. */
export function pinsLoaded(state: ChatState, channelId: string, pins: ChatMessage[]): ChatState {
  const ids = new Set(pins.map((p) => p.id));
  const list = state.messages[channelId];
  let messages = state.messages;
  if (list && list.some((m) => m.pinned !== ids.has(m.id) && !m.pending && !m.failed)) {
    messages = { ...messages, [channelId]: list.map((m) => (m.pending || m.failed || m.pinned === ids.has(m.id) ? m : { ...m, pinned: ids.has(m.id) })) };
  }
  return { ...state, messages, pins: { ...state.pins, [channelId]: pins } };
}

/** Show a message being sent, before the server answers. */
export function addPending(state: ChatState, msg: ChatMessage): ChatState {
  const list = state.messages[msg.channel_id] ?? [];
  return { ...state, messages: { ...state.messages, [msg.channel_id]: [...list, { ...msg, pending: true }] } };
}

/** The send failed: mark the optimistic message so it can be retried or discarded. */
export function markFailed(state: ChatState, channelId: string, nonce: string): ChatState {
  const list = state.messages[channelId];
  if (!list) return state;
  return {
    ...state,
    messages: { ...state.messages, [channelId]: list.map((m) => (m.pending && m.nonce === nonce ? { ...m, pending: false, failed: true } : m)) },
  };
}

export function discardLocal(state: ChatState, channelId: string, nonce: string): ChatState {
  const list = state.messages[channelId];
  if (!list) return state;
  return { ...state, messages: { ...state.messages, [channelId]: list.filter((m) => !((m.pending || m.failed) && m.nonce === nonce)) } };
}

/** The REST answer to a send: same as the echo (whichever comes first wins, the other dedupes). */
export function sendConfirmed(state: ChatState, msg: ChatMessage): ChatState {
  const list = state.messages[msg.channel_id] ?? [];
  return { ...state, messages: { ...state.messages, [msg.channel_id]: upsertMessage(list, msg) } };
}

// ---- selectors ----

export const ChannelType = { Text: 0, Voice: 2, Category: 4, Announcement: 5 } as const;

export interface ChannelGroup {
  category: Channel | null;
  channels: Channel[];
}

function byPosition(a: Channel, b: Channel): number {
  return a.position - b.position || cmpId(a.id, b.id);
}

/** A guild's channels grouped under their categories, in position order (uncategorised first). */
export function channelGroups(state: ChatState, guildId: string): ChannelGroup[] {
  const all = Object.values(state.channels).filter((c) => c.guild_id === guildId);
  const cats = all.filter((c) => c.type === ChannelType.Category).sort(byPosition);
  const catIds = new Set(cats.map((c) => c.id));
  const top = all.filter((c) => c.type !== ChannelType.Category && (c.parent_id == null || !catIds.has(c.parent_id))).sort(byPosition);
  const groups: ChannelGroup[] = [{ category: null, channels: top }];
  for (const cat of cats) groups.push({ category: cat, channels: all.filter((c) => c.parent_id === cat.id && c.type !== ChannelType.Category).sort(byPosition) });
  return groups.filter((g) => g.category !== null || g.channels.length > 0);
}

export interface MemberSection {
  title: string;
  members: Member[];
}

export function displayName(m: Member): string {
  return m.nick ?? m.user.global_name ?? m.user.username;
}

/** Members grouped by highest hoisted role, then online / offline, by name. */
export function memberSections(state: ChatState, guildId: string): MemberSection[] {
  const entry = state.guilds[guildId];
  const members = Object.values(state.members[guildId] ?? {});
  const roles = (entry?.guild.roles ?? []).filter((r) => r.hoist).sort((a, b) => b.position - a.position);
  const sections: MemberSection[] = roles.map((r) => ({ title: r.name, members: [] }));
  const online: Member[] = [];
  const offline: Member[] = [];
  for (const m of members) {
    const status = state.presences[m.user.id] ?? 'offline';
    if (status === 'offline') {
      offline.push(m);
      continue;
    }
    const idx = roles.findIndex((r) => m.roles.includes(r.id));
    if (idx >= 0) sections[idx]?.members.push(m);
    else online.push(m);
  }
  const byName = (a: Member, b: Member) => displayName(a).localeCompare(displayName(b));
  sections.push({ title: 'Online', members: online }, { title: 'Offline', members: offline });
  return sections.filter((s) => s.members.length > 0).map((s) => ({ ...s, members: s.members.sort(byName) }));
}
