/**
 * Who reacted: the first few users behind a reaction chip, fetched when the chip is hovered or
 * focused (`GET …/reactions/{emoji}?limit=`), cached per message and emoji, and fetched again when
 * the chip's count no longer matches the count they were fetched for. `reactorsText` turns them into
 * "alice, bob and 3 others reacted with 👍". Pure apart from `loadReactors`.
 */
import { get, writable } from 'svelte/store';
import { api, onGatewayDispatch } from '../app';
import type { User } from '../api/types';

/** Names a chip's text shows at most, before "and N others". */
export const MAX_NAMES = 3;
/** One more than the names shown: I may be among them (I am named "You", from the chip's `me`). */
export const REACTORS_LIMIT = MAX_NAMES + 1;

export interface ReactorsEntry {
  /** the chip's count when these users were fetched */
  count: number;
  users: User[];
}

/** `messageId emoji` → the users fetched for it. */
export const reactors = writable<Record<string, ReactorsEntry>>({});

export const reactorsKey = (messageId: string, emoji: string): string => `${messageId} ${emoji}`;

const inflight = new Map<string, number>();

/** Fetch who reacted unless the cache already answers for this count (or the same fetch is under way). */
export async function loadReactors(channelId: string, messageId: string, emoji: string, count: number): Promise<void> {
  const key = reactorsKey(messageId, emoji);
  if (count <= 0 || get(reactors)[key]?.count === count || inflight.get(key) === count) return;
  inflight.set(key, count);
  try {
    const users = await api.reactionUsers(channelId, messageId, emoji, { limit: REACTORS_LIMIT });
    // A newer fetch (the count changed meanwhile) wins.
    if (inflight.get(key) === count) reactors.update((r) => ({ ...r, [key]: { count, users: Array.isArray(users) ? users : [] } }));
  } catch {
    // The chip keeps its count-only label; hovering again retries.
  } finally {
    if (inflight.get(key) === count) inflight.delete(key);
  }
}

// A new session starts with an empty cache (reactions may have changed while away).
onGatewayDispatch((t) => {
  if (t === 'READY') reactors.set({});
});

/** "alice", "alice and bob", "alice, bob and carol". */
function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * "You, alice and 3 others reacted with 👍". `users` are the fetched reactors (by user id, so I may
 * be among them or not); `me`: I reacted (named first, as "You"). Null when there is nothing to name
 * (not fetched yet, or the fetch found nobody else while others reacted).
 */
export function reactorsText(emoji: string, count: number, me: boolean, users: readonly User[] | undefined, myId: string | null, nameOf: (u: User) => string): string | null {
  if (!users || count <= 0) return null;
  const others = users.filter((u) => u.id !== myId).map(nameOf);
  const names = [...(me ? ['You'] : []), ...others].slice(0, Math.min(MAX_NAMES, count));
  if (names.length === 0) return null;
  const rest = Math.max(0, count - names.length);
  const who = rest > 0 ? `${names.join(', ')} and ${rest} ${rest === 1 ? 'other' : 'others'}` : joinNames(names);
  return `${who} reacted with ${emoji}`;
}
