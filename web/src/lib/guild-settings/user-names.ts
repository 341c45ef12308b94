/** Display names for user ids the settings show (reporters, moderators, audit actors), fetched once each. */
import { writable, type Readable } from 'svelte/store';
import type { User } from '../api/types';
import { api } from '../app';
import { createUserCache } from '../settings/user-cache';

export interface UserNames extends Readable<Record<string, User>> {
  /** Remember users already at hand (from a list answer). */
  put(users: readonly User[]): void;
  /** Fetch the ids not known yet (unknown or deleted ones stay unknown). */
  ensure(ids: readonly (string | null | undefined)[]): void;
}

export function createUserNames(): UserNames {
  const known = writable<Record<string, User>>({});
  const seen = new Set<string>();
  const cache = createUserCache<User>((id) => api.lookupUser(id));
  return {
    subscribe: known.subscribe,
    put(users) {
      if (users.length === 0) return;
      for (const u of users) {
        seen.add(u.id);
        cache.put(u);
      }
      known.update((k) => {
        const next = { ...k };
        for (const u of users) next[u.id] = u;
        return next;
      });
    },
    ensure(ids) {
      for (const id of ids) {
        if (!id || seen.has(id)) continue;
        seen.add(id);
        void cache.get(id).then((u) => {
          if (u) known.update((k) => ({ ...k, [u.id]: u }));
        });
      }
    },
  };
}

export function userLabel(u: Pick<User, 'username' | 'global_name'> | undefined, fallbackId?: string): string {
  if (!u) return fallbackId ? `user ${fallbackId}` : 'unknown user';
  return u.global_name ?? u.username;
}
