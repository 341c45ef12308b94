/**
 * Users mentioned in a message who are not in the caches (offline members are not sent with the
 * guild): looked up once each, on demand, and kept for the session. A guild member is asked of the
 * guild (for their nickname there); anyone else, or a mention outside a guild, of the users endpoint.
 * A few requests run at a time, and a session looks up at most MAX_LOOKUPS users, so a message full of
 * mentions cannot flood the server.
 */
import { writable } from 'svelte/store';
import { api } from '../app';
import { ApiError } from '../api/client';
import type { Member, User } from '../api/types';

export interface Lookups {
  /** `guildId:userId` → the member, or null when they are not a member. */
  members: Record<string, Member | null>;
  /** user id → the user, or null when there is no such user (or they could not be looked up). */
  users: Record<string, User | null>;
}

export const lookups = writable<Lookups>({ members: {}, users: {} });

export const MAX_LOOKUPS = 500;
const MAX_ACTIVE = 3;

const started = new Set<string>();
const queue: (() => Promise<void>)[] = [];
let active = 0;

function pump(): void {
  while (active < MAX_ACTIVE && queue.length) {
    const job = queue.shift() as () => Promise<void>;
    active++;
    void job().finally(() => {
      active--;
      pump();
    });
  }
}

const isUser = (u: unknown): u is User => typeof u === 'object' && u !== null && typeof (u as User).id === 'string' && typeof (u as User).username === 'string';
const isMember = (m: unknown): m is Member => typeof m === 'object' && m !== null && isUser((m as Member).user);
/** A refusal that will not change by asking again (no such member or user, or not allowed). */
const final = (e: unknown): boolean => !(e instanceof ApiError) || (e.status >= 400 && e.status < 500 && e.status !== 429) || e.status === 0;

async function fetchUser(userId: string): Promise<void> {
  try {
    const u = await api.lookupUser(userId);
    lookups.update((s) => ({ ...s, users: { ...s.users, [userId]: isUser(u) ? u : null } }));
  } catch (e) {
    if (final(e)) lookups.update((s) => ({ ...s, users: { ...s.users, [userId]: null } }));
    else started.delete('u:' + userId);
  }
}

/** Look a mentioned user up (once per session), in a guild when there is one. */
export function lookupMention(guildId: string | null | undefined, userId: string): void {
  const key = guildId ? `${guildId}:${userId}` : 'u:' + userId;
  if (started.has(key) || started.size >= MAX_LOOKUPS) return;
  started.add(key);
  if (!guildId) {
    queue.push(() => fetchUser(userId));
  } else {
    queue.push(async () => {
      try {
        const m = await api.guildMember(guildId, userId);
        lookups.update((s) => ({ ...s, members: { ...s.members, [key]: isMember(m) ? m : null } }));
        if (isMember(m)) return;
      } catch (e) {
        if (!final(e)) {
          started.delete(key);
          return;
        }
        lookups.update((s) => ({ ...s, members: { ...s.members, [key]: null } }));
      }
      // Not a member (any more): their account may still be known.
      if (!started.has('u:' + userId)) {
        started.add('u:' + userId);
        await fetchUser(userId);
      }
    });
  }
  pump();
}

/** Whether a lookup for this mention has finished (found or not). */
export function lookupDone(s: Lookups, guildId: string | null | undefined, userId: string): boolean {
  if (guildId) {
    const m = s.members[`${guildId}:${userId}`];
    if (m === undefined) return false;
    if (m !== null) return true;
  }
  return userId in s.users;
}
