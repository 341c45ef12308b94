/**
 * Read states: my read marker and unread mention count per channel.
 *
 * Fed by READY `read_state` ({id, last_message_id, mention_count} per channel), MESSAGE_ACK (my
 * marker moved, by this session or another), MESSAGE_CREATE (someone else wrote: unread, maybe a
 * mention; I wrote: read, like Discord) and MESSAGE_DELETE (a mention counted here is gone).
 *
 * The reducer (`applyReadEvent`) and the selectors (`unreadInfo`, `guildUnreadInfo`,
 * `totalMentions`) are pure and tested; the store wiring below sends acks, coalesced per channel so
 * scrolling does not flood the server.
 */
import { get, writable, type Readable } from 'svelte/store';
import { api, chat, onGatewayDispatch, selection } from '../app';
import { ChannelType, type ChatMessage, type ChatState } from './chat';
import { session } from './session';

export interface ChannelRead {
  /** My marker: the newest message I have read; null when I never marked anything read here. */
  lastReadId: string | null;
  /** Unread messages after the marker that mention me (the server's count, kept up to date). */
  mentions: number;
  /** Ids of the mentions counted in this session (so a deleted one can be taken off). */
  mentionIds: string[];
}

export interface ReadStates {
  channels: Record<string, ChannelRead>;
}

export function emptyReadStates(): ReadStates {
  return { channels: {} };
}

/** Snowflake order: longer is newer, then lexicographic. */
export function cmpId(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const HEARTH_EPOCH_MS = 1_735_689_600_000;

/** The smallest id made at `unixMs` (ids carry their creation time above 22 bits). */
export function idAtTime(unixMs: number): string {
  const ms = Math.max(0, Math.floor(unixMs) - HEARTH_EPOCH_MS);
  return (BigInt(ms) << 22n).toString();
}

/** Everything the reducer needs to know besides the event. */
export interface ReadContext {
  /** My user id. */
  me: string | null;
  /** My role ids in the message's guild. */
  myRoles: string[];
  /** True when I am looking at the channel right now (selected, window focused, at the bottom). */
  reading: boolean;
}

function entry(rs: ReadStates, channelId: string): ChannelRead {
  return rs.channels[channelId] ?? { lastReadId: null, mentions: 0, mentionIds: [] };
}

function put(rs: ReadStates, channelId: string, c: ChannelRead): ReadStates {
  return { ...rs, channels: { ...rs.channels, [channelId]: c } };
}

/** Does this message mention me (directly, @everyone/@here, or one of my roles)? */
export function mentionsMe(m: Pick<ChatMessage, 'mentions' | 'mention_everyone' | 'mention_roles'>, me: string | null, myRoles: readonly string[]): boolean {
  if (!me) return false;
  if (m.mention_everyone) return true;
  if ((m.mentions ?? []).some((u) => u.id === me)) return true;
  return (m.mention_roles ?? []).some((r) => myRoles.includes(r));
}

/** Apply one gateway dispatch. Unknown events leave the state unchanged. */
export function applyReadEvent(rs: ReadStates, t: string, d: unknown, ctx: ReadContext): ReadStates {
  switch (t) {
    case 'READY': {
      const r = d as { read_state?: { id: string; last_message_id: string | null; mention_count: number }[] };
      const next = emptyReadStates();
      for (const s of r.read_state ?? []) next.channels[s.id] = { lastReadId: s.last_message_id ?? null, mentions: Math.max(0, s.mention_count ?? 0), mentionIds: [] };
      return next;
    }
    case 'MESSAGE_ACK': {
      const a = d as { channel_id: string; message_id: string; mention_count: number };
      const cur = entry(rs, a.channel_id);
      const keepIds = cur.mentionIds.filter((id) => cmpId(id, a.message_id) > 0);
      return put(rs, a.channel_id, { lastReadId: a.message_id, mentions: Math.max(0, a.mention_count ?? 0), mentionIds: keepIds });
    }
    case 'MESSAGE_CREATE': {
      const m = d as ChatMessage;
      const cur = entry(rs, m.channel_id);
      if (cur.lastReadId !== null && cmpId(m.id, cur.lastReadId) <= 0) return rs;
      // My own message, or one arriving while I read the channel: read up to it.
      if ((ctx.me !== null && m.author.id === ctx.me) || ctx.reading) return put(rs, m.channel_id, { lastReadId: m.id, mentions: 0, mentionIds: [] });
      if (m.author.id !== ctx.me && mentionsMe(m, ctx.me, ctx.myRoles) && !cur.mentionIds.includes(m.id)) {
        return put(rs, m.channel_id, { ...cur, mentions: cur.mentions + 1, mentionIds: [...cur.mentionIds, m.id] });
      }
      return rs;
    }
    case 'MESSAGE_DELETE': {
      const { id, channel_id } = d as { id: string; channel_id: string };
      const cur = rs.channels[channel_id];
      if (!cur || !cur.mentionIds.includes(id)) return rs;
      return put(rs, channel_id, { ...cur, mentions: Math.max(0, cur.mentions - 1), mentionIds: cur.mentionIds.filter((x) => x !== id) });
    }
    case 'MESSAGE_DELETE_BULK': {
      const { ids, channel_id } = d as { ids: string[]; channel_id: string };
      const cur = rs.channels[channel_id];
      if (!cur) return rs;
      const gone = cur.mentionIds.filter((x) => ids.includes(x));
      if (!gone.length) return rs;
      return put(rs, channel_id, { ...cur, mentions: Math.max(0, cur.mentions - gone.length), mentionIds: cur.mentionIds.filter((x) => !ids.includes(x)) });
    }
    case 'CHANNEL_DELETE': {
      const c = d as { id: string };
      if (!rs.channels[c.id]) return rs;
      const channels = { ...rs.channels };
      delete channels[c.id];
      return { ...rs, channels };
    }
    default:
      return rs;
  }
}

/** Move the marker locally (read up to `messageId`; never backwards unless `allowBack`). */
export function setMarker(rs: ReadStates, channelId: string, messageId: string, mentions: number, allowBack = false): ReadStates {
  const cur = entry(rs, channelId);
  if (!allowBack && cur.lastReadId !== null && cmpId(messageId, cur.lastReadId) < 0) return rs;
  if (cur.lastReadId === messageId && cur.mentions === mentions) return rs;
  return put(rs, channelId, { lastReadId: messageId, mentions: Math.max(0, mentions), mentionIds: cur.mentionIds.filter((id) => cmpId(id, messageId) > 0) });
}

export function isTextLike(type: number): boolean {
  return type === ChannelType.Text || type === ChannelType.Announcement;
}

/** The newest confirmed message of a channel: the loaded history's last, else the channel's `last_message_id`. */
export function newestMessageId(chatState: ChatState, channelId: string): string | null {
  const list = chatState.messages[channelId];
  if (list) {
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i];
      if (m && !m.pending && !m.failed) return m.id;
    }
  }
  return chatState.channels[channelId]?.last_message_id ?? null;
}

/** When I joined the channel's guild (my member's `joined_at`, else the guild's), as a message id floor. */
function joinedFloor(chatState: ChatState, guildId: string): string | null {
  const me = chatState.me?.id;
  const member = me ? chatState.members[guildId]?.[me] : undefined;
  const raw = member?.joined_at ?? (chatState.guilds[guildId]?.guild as { joined_at?: string } | undefined)?.joined_at;
  if (!raw) return null;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? idAtTime(ms) : null;
}

export interface UnreadInfo {
  unread: boolean;
  mentions: number;
}

/**
 * A text channel is unread when its newest message is after my marker (with no marker: after I
 * joined the guild, like the server's mention count). Mentions are the server's count.
 */
export function unreadInfo(chatState: ChatState, rs: ReadStates, channelId: string): UnreadInfo {
  const c = chatState.channels[channelId];
  if (!c || !isTextLike(c.type)) return { unread: false, mentions: 0 };
  const st = rs.channels[channelId];
  const mentions = st?.mentions ?? 0;
  const last = newestMessageId(chatState, channelId) ?? c.last_message_id ?? null;
  let unread = false;
  if (last !== null) {
    const marker = st?.lastReadId ?? null;
    if (marker !== null) unread = cmpId(last, marker) > 0;
    else {
      const floor = c.guild_id ? joinedFloor(chatState, c.guild_id) : null;
      unread = floor === null || cmpId(last, floor) > 0;
    }
  }
  return { unread: unread || mentions > 0, mentions };
}

/** A guild's channels' unread state summed: any unread channel, total mentions. */
export function guildUnreadInfo(chatState: ChatState, rs: ReadStates, guildId: string): UnreadInfo {
  let unread = false;
  let mentions = 0;
  for (const c of Object.values(chatState.channels)) {
    if (c.guild_id !== guildId) continue;
    const u = unreadInfo(chatState, rs, c.id);
    unread ||= u.unread;
    mentions += u.mentions;
  }
  return { unread, mentions };
}

/** Mentions across every guild (the window title's count). */
export function totalMentions(chatState: ChatState, rs: ReadStates): number {
  let n = 0;
  for (const id of Object.keys(rs.channels)) if (chatState.channels[id]) n += unreadInfo(chatState, rs, id).mentions;
  return n;
}

// ---- the store ----

const store = writable<ReadStates>(emptyReadStates());
export const readStates: Readable<ReadStates> = { subscribe: store.subscribe };

/** Whether the open channel is scrolled to its newest message (the message view reports it). */
let atBottom = true;
/** Channels marked unread by hand: automatic reads leave them until the channel is left. */
const held = new Set<string>();

/** The message view tells whether the newest messages are in view; new messages then count as read. */
export function setAtBottom(value: boolean): void {
  atBottom = value;
}

function windowActive(): boolean {
  if (typeof document === 'undefined') return true;
  return document.visibilityState !== 'hidden' && (typeof document.hasFocus !== 'function' || document.hasFocus());
}

/** Am I looking at this channel's newest messages right now? */
export function isReading(channelId: string): boolean {
  return get(selection).channelId === channelId && atBottom && !held.has(channelId) && windowActive();
}

function myRolesIn(chatState: ChatState, channelId: string): string[] {
  const me = chatState.me?.id;
  const gid = chatState.channels[channelId]?.guild_id;
  if (!me || !gid) return [];
  return chatState.members[gid]?.[me]?.roles ?? [];
}

export function lastReadId(channelId: string): string | null {
  return get(store).channels[channelId]?.lastReadId ?? null;
}

// Acks are coalesced: the newest target per channel is sent after a short pause.
const ACK_DELAY_MS = 600;
const pending = new Map<string, string>();
const inFlight = new Map<string, string>();
let timer: ReturnType<typeof setTimeout> | null = null;

function scheduleAck(channelId: string, messageId: string, delay = ACK_DELAY_MS): void {
  pending.set(channelId, messageId);
  if (timer === null) timer = setTimeout(flushAcks, delay);
}

/** Send every pending ack now. */
export function flushAcks(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  for (const [channelId, messageId] of [...pending]) {
    if (inFlight.has(channelId)) continue; // sent when the one in flight settles
    pending.delete(channelId);
    inFlight.set(channelId, messageId);
    api
      .ack(channelId, messageId)
      .catch(() => {
        /* a deleted message or a channel gone: the next read moves the marker again */
      })
      .finally(() => {
        inFlight.delete(channelId);
        if (pending.has(channelId) && timer === null) timer = setTimeout(flushAcks, ACK_DELAY_MS);
      });
  }
}

/** Mark the channel read up to its newest confirmed message: at once locally, acked shortly after. */
export function markRead(channelId: string, opts: { force?: boolean } = {}): void {
  if (opts.force) held.delete(channelId);
  else if (held.has(channelId)) return;
  const s = get(chat);
  const newest = newestMessageId(s, channelId);
  if (!newest) return;
  const cur = get(store).channels[channelId];
  if (cur?.lastReadId != null && cmpId(newest, cur.lastReadId) <= 0 && cur.mentions === 0) return;
  store.update((rs) => setMarker(rs, channelId, newest, 0));
  if (get(store).channels[channelId]?.lastReadId === newest) scheduleAck(channelId, newest);
}

/** Mark every channel of a guild read. */
export function markGuildRead(guildId: string): void {
  const s = get(chat);
  for (const c of Object.values(s.channels)) if (c.guild_id === guildId && isTextLike(c.type) && unreadInfo(s, get(store), c.id).unread) markRead(c.id, { force: true });
}

/**
 * "Mark unread from here": the marker moves to the message before `fromMessageId` (backwards,
 * which the server allows). Automatic reads leave the channel unread until it is left.
 */
export async function markUnread(channelId: string, fromMessageId: string): Promise<void> {
  const s = get(chat);
  const list = (s.messages[channelId] ?? []).filter((m) => !m.pending && !m.failed);
  const idx = list.findIndex((m) => m.id === fromMessageId);
  let prev: string | null = idx > 0 ? (list[idx - 1]?.id ?? null) : null;
  if (prev === null) {
    const older = await api.messages(channelId, { before: fromMessageId, limit: 1 });
    prev = older[0]?.id ?? null;
  }
  held.add(channelId);
  pending.delete(channelId);
  const me = s.me?.id ?? null;
  const roles = myRolesIn(s, channelId);
  const after = list.filter((m) => cmpId(m.id, prev ?? '0') > 0 && m.author.id !== me && mentionsMe(m, me, roles));
  if (prev === null) {
    // The channel's first message: nothing before it to point the marker at. Unread here only.
    store.update((rs) => put(rs, channelId, { lastReadId: idAtTime(0), mentions: after.length, mentionIds: after.map((m) => m.id) }));
    return;
  }
  const marker = prev;
  store.update((rs) => put(rs, channelId, { lastReadId: marker, mentions: after.length, mentionIds: after.map((m) => m.id) }));
  await api.ack(channelId, marker);
}

/** The gateway listener (exported for tests). */
export function readStateDispatch(t: string, d: unknown): void {
  if (t === 'MESSAGE_ACK') {
    const a = d as { channel_id: string; message_id: string };
    // An echo of an older ack while a newer one waits: keep the newer local marker.
    const waiting = pending.get(a.channel_id) ?? inFlight.get(a.channel_id);
    if (waiting && cmpId(waiting, a.message_id) > 0) return;
  }
  const s = get(chat);
  let reading = false;
  if (t === 'MESSAGE_CREATE') {
    const m = d as ChatMessage;
    const mine = s.me !== null && m.author.id === s.me.id;
    reading = !mine && isReading(m.channel_id);
    store.update((rs) => applyReadEvent(rs, t, d, { me: s.me?.id ?? null, myRoles: myRolesIn(s, m.channel_id), reading }));
    // Tell the server: when I read it as it arrived, or when I sent it from this session's open channel.
    if (reading || (mine && get(selection).channelId === m.channel_id)) scheduleAck(m.channel_id, m.id);
    return;
  }
  store.update((rs) => applyReadEvent(rs, t, d, { me: s.me?.id ?? null, myRoles: [], reading: false }));
}

onGatewayDispatch(readStateDispatch);

// Leaving a channel releases a "marked unread" hold; coming back to the window reads the open channel.
let lastSelected: string | null = null;
selection.subscribe((sel) => {
  if (lastSelected !== null && lastSelected !== sel.channelId) held.delete(lastSelected);
  lastSelected = sel.channelId;
});

if (typeof window !== 'undefined') {
  window.addEventListener('focus', () => {
    const id = get(selection).channelId;
    if (id && isReading(id)) markRead(id);
  });
  // Best effort: send what is waiting before the page goes away.
  window.addEventListener('pagehide', () => flushAcks());
}

/** Sign-out: forget everything. */
export function resetReadStates(): void {
  store.set(emptyReadStates());
  if (timer !== null) clearTimeout(timer);
  timer = null;
  pending.clear();
  held.clear();
}

session.subscribe((s) => {
  if (s.token === null) resetReadStates();
});
