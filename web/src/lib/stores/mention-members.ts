/**
 * Members for `@` autocomplete beyond what the gateway gave us. GUILD_CREATE carries the online
 * members (and whoever has been loaded since); when a guild's member_count says there are more,
 * the composer asks for the rest here: a debounced `GET /guilds/{id}/members` (1000 a page, a few
 * pages at most) once per guild per session. Gateway member events keep the copy current.
 */
import { get, writable } from 'svelte/store';
import { api, chat, onGatewayDispatch } from '../app';
import type { Member } from '../api/types';

const PAGE = 1000;
/** Stop after this many pages: autocomplete then knows the first 5000 members by id. */
const MAX_PAGES = 5;
const DEBOUNCE_MS = 300;

/** guild id → user id → member, as fetched for autocomplete. */
export const extraMembers = writable<Record<string, Record<string, Member>>>({});

const requested = new Set<string>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();

/** Whether the cache looks partial: fewer known members than the guild has. */
export function looksPartial(known: number, memberCount: number): boolean {
  return memberCount > known;
}

async function fetchAll(guildId: string): Promise<void> {
  const out: Record<string, Member> = {};
  let after: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const batch = await api.guildMembers(guildId, after ? { after, limit: PAGE } : { limit: PAGE });
      for (const m of batch) out[m.user.id] = m;
      if (batch.length < PAGE) break;
      after = batch[batch.length - 1]?.user.id;
      if (!after) break;
    }
  } catch {
    // Keep what arrived; allow another try later (the guild may have been unavailable).
    requested.delete(guildId);
  }
  if (!get(chat).guilds[guildId]) return;
  extraMembers.update((all) => ({ ...all, [guildId]: { ...(all[guildId] ?? {}), ...out } }));
}

/**
 * Ask (once per guild, debounced) for the guild's members when the local cache looks partial.
 * Cheap to call on every `@` keystroke.
 */
export function ensureMembersFor(guildId: string): void {
  if (requested.has(guildId) || timers.has(guildId)) return;
  const s = get(chat);
  const entry = s.guilds[guildId];
  if (!entry) return;
  const known = Object.keys(s.members[guildId] ?? {}).length;
  if (!looksPartial(known, entry.member_count)) return;
  timers.set(
    guildId,
    setTimeout(() => {
      timers.delete(guildId);
      if (requested.has(guildId)) return;
      requested.add(guildId);
      void fetchAll(guildId);
    }, DEBOUNCE_MS),
  );
}

/** Merging the fetched copy with the live cache is pure: it lives with the other autocomplete logic. */
export { membersForMention } from '../composer/rank';

function reset(): void {
  for (const t of timers.values()) clearTimeout(t);
  timers.clear();
  requested.clear();
  extraMembers.set({});
}

onGatewayDispatch((t, d) => {
  switch (t) {
    case 'READY':
      reset();
      break;
    case 'GUILD_DELETE': {
      const id = (d as { id: string }).id;
      requested.delete(id);
      extraMembers.update((all) => {
        if (!(id in all)) return all;
        const copy = { ...all };
        delete copy[id];
        return copy;
      });
      break;
    }
    case 'GUILD_MEMBER_REMOVE': {
      const { guild_id, user } = d as { guild_id: string; user: { id: string } };
      extraMembers.update((all) => {
        const g = all[guild_id];
        if (!g || !(user.id in g)) return all;
        const copy = { ...g };
        delete copy[user.id];
        return { ...all, [guild_id]: copy };
      });
      break;
    }
    case 'GUILD_MEMBER_UPDATE': {
      const { guild_id, ...member } = d as Member & { guild_id: string };
      extraMembers.update((all) => {
        const g = all[guild_id];
        if (!g || !(member.user.id in g)) return all;
        return { ...all, [guild_id]: { ...g, [member.user.id]: member as Member } };
      });
      break;
    }
  }
});
