/**
 * Who is typing where. TYPING_START (not my own) marks a user typing in a channel for 10 seconds
 * (Discord's window; clients send it again every few seconds while typing); that user's
 * MESSAGE_CREATE in the channel ends it at once. The reducer is pure and takes the clock as an
 * argument; the store below runs one timer for the next expiry.
 */
import { derived, get, writable, type Readable } from 'svelte/store';
import { chat, onGatewayDispatch } from '../app';
import type { Member } from '../api/types';

export const TYPING_TTL_MS = 10_000;

export interface Typer {
  name: string;
  /** when the entry lapses (ms since the epoch, local clock) */
  until: number;
  /** when this user started typing here (keeps the order of names stable) */
  since: number;
}

/** channel id → user id → typer */
export type TypingState = Record<string, Record<string, Typer>>;

export function typingStarted(s: TypingState, channelId: string, userId: string, name: string, now: number, ttl = TYPING_TTL_MS): TypingState {
  const ch = s[channelId] ?? {};
  const cur = ch[userId];
  return { ...s, [channelId]: { ...ch, [userId]: { name, until: now + ttl, since: cur && cur.until > now ? cur.since : now } } };
}

export function typingStopped(s: TypingState, channelId: string, userId: string): TypingState {
  const ch = s[channelId];
  if (!ch || !ch[userId]) return s;
  const copy = { ...ch };
  delete copy[userId];
  const next = { ...s };
  if (Object.keys(copy).length) next[channelId] = copy;
  else delete next[channelId];
  return next;
}

/** Drop lapsed entries (unchanged object when none lapsed). */
export function expireTyping(s: TypingState, now: number): TypingState {
  let next = s;
  for (const [cid, ch] of Object.entries(s)) for (const [uid, t] of Object.entries(ch)) if (t.until <= now) next = typingStopped(next, cid, uid);
  return next;
}

/** The earliest expiry, or null when nobody is typing. */
export function nextExpiry(s: TypingState): number | null {
  let min: number | null = null;
  for (const ch of Object.values(s)) for (const t of Object.values(ch)) if (min === null || t.until < min) min = t.until;
  return min;
}

/** Names of those typing in a channel, in the order they started. */
export function typersIn(s: TypingState, channelId: string, now: number): string[] {
  return Object.values(s[channelId] ?? {})
    .filter((t) => t.until > now)
    .sort((a, b) => a.since - b.since)
    .map((t) => t.name);
}

export interface TypingEnv {
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  myId: () => string | null;
  /** a display name for a user of a guild (nick, display name, username) */
  nameOf: (guildId: string | null, userId: string, member: Member | undefined) => string;
}

/** A typing store driven by gateway dispatches; `dispatch` is what the gateway listener calls. */
export function createTypingStore(env: TypingEnv) {
  const store = writable<TypingState>({});
  let timer: unknown = null;

  function schedule(): void {
    if (timer !== null) env.clearTimer(timer);
    timer = null;
    const at = nextExpiry(get(store));
    if (at === null) return;
    timer = env.setTimer(
      () => {
        timer = null;
        store.update((s) => expireTyping(s, env.now()));
        schedule();
      },
      Math.max(0, at - env.now()),
    );
  }

  function dispatch(t: string, d: unknown): void {
    if (t === 'TYPING_START') {
      const e = d as { channel_id: string; guild_id?: string | null; user_id: string; member?: Member };
      if (e.user_id === env.myId()) return;
      store.update((s) => typingStarted(s, e.channel_id, e.user_id, env.nameOf(e.guild_id ?? null, e.user_id, e.member), env.now()));
      schedule();
    } else if (t === 'MESSAGE_CREATE') {
      const m = d as { channel_id: string; author: { id: string } };
      const before = get(store);
      const after = typingStopped(before, m.channel_id, m.author.id);
      if (after !== before) {
        store.set(after);
        schedule();
      }
    } else if (t === 'READY') {
      store.set({});
      schedule();
    }
  }

  /** Names typing in one channel, updated as entries come and lapse. */
  function channel(channelId: string): Readable<string[]> {
    return derived(store, (s) => typersIn(s, channelId, env.now()));
  }

  return { subscribe: store.subscribe, dispatch, channel };
}

function memberName(m: Member | undefined): string | null {
  if (!m) return null;
  return m.nick ?? m.user.global_name ?? m.user.username;
}

export const typing = createTypingStore({
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  myId: () => get(chat).me?.id ?? null,
  nameOf: (guildId, userId, member) => memberName(member) ?? (guildId ? memberName(get(chat).members[guildId]?.[userId]) : null) ?? 'Someone',
});

onGatewayDispatch(typing.dispatch);

/** Names typing in a channel (excluding me). */
export function typingIn(channelId: string): Readable<string[]> {
  return typing.channel(channelId);
}
