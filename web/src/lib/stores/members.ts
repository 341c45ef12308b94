/**
 * The full member list of a guild. GUILD_CREATE carries only me and the members online now; when the
 * member list opens for a guild with more members than that, the rest are paged in here
 * (`GET /guilds/{id}/members?after=&limit=1000`) and kept current from the gateway. The member list
 * shows `mergeMembers(paged, live)`: the chat state's copy (fresher) wins.
 */
import { get, writable } from 'svelte/store';
import type { Member } from '../api/types';
import { api, chat, errorText, onGatewayDispatch } from '../app';
import type { ChatState } from './chat';

export interface PagedGuild {
  members: Record<string, Member>;
  /** Every page was read. */
  complete: boolean;
  loading: boolean;
  error: string | null;
}

export const pagedMembers = writable<Record<string, PagedGuild>>({});

export const PAGE_SIZE = 1000;

/** Paged members overlaid with the live ones (the chat state's copy wins). */
export function mergeMembers(paged: Record<string, Member> | undefined, live: Record<string, Member> | undefined): Record<string, Member> {
  if (!paged || !Object.keys(paged).length) return live ?? {};
  return { ...paged, ...(live ?? {}) };
}

/** The chat state with a guild's members merged with the paged ones (for the chat selectors). */
export function withPagedMembers(s: ChatState, paged: Record<string, PagedGuild>, guildId: string): ChatState {
  const p = paged[guildId];
  if (!p) return s;
  return { ...s, members: { ...s.members, [guildId]: mergeMembers(p.members, s.members[guildId]) } };
}

/** Does the guild have members we have not seen (and are not already fetching)? */
export function needsPaging(s: ChatState, paged: Record<string, PagedGuild>, guildId: string): boolean {
  const entry = s.guilds[guildId];
  if (!entry || entry.unavailable) return false;
  const p = paged[guildId];
  if (p?.loading || p?.complete) return false;
  const known = Object.keys(mergeMembers(p?.members, s.members[guildId])).length;
  return entry.member_count > known;
}

/** Pure: one gateway dispatch applied to the paged lists. */
export function applyMemberEvent(paged: Record<string, PagedGuild>, t: string, d: unknown): Record<string, PagedGuild> {
  switch (t) {
    case 'READY':
      return {};
    case 'GUILD_DELETE': {
      const { id } = d as { id: string };
      if (!paged[id]) return paged;
      const copy = { ...paged };
      delete copy[id];
      return copy;
    }
    case 'GUILD_MEMBER_ADD':
    case 'GUILD_MEMBER_UPDATE': {
      const { guild_id, ...member } = d as Member & { guild_id: string };
      const p = paged[guild_id];
      if (!p) return paged;
      return { ...paged, [guild_id]: { ...p, members: { ...p.members, [member.user.id]: member as Member } } };
    }
    case 'GUILD_MEMBER_REMOVE': {
      const { guild_id, user } = d as { guild_id: string; user: { id: string } };
      const p = paged[guild_id];
      if (!p || !p.members[user.id]) return paged;
      const members = { ...p.members };
      delete members[user.id];
      return { ...paged, [guild_id]: { ...p, members } };
    }
    case 'GUILD_ROLE_DELETE': {
      const { guild_id, role_id } = d as { guild_id: string; role_id: string };
      const p = paged[guild_id];
      if (!p) return paged;
      const members: Record<string, Member> = {};
      for (const [uid, m] of Object.entries(p.members)) members[uid] = m.roles.includes(role_id) ? { ...m, roles: m.roles.filter((r) => r !== role_id) } : m;
      return { ...paged, [guild_id]: { ...p, members } };
    }
    default:
      return paged;
  }
}

function patch(guildId: string, f: (p: PagedGuild) => PagedGuild): void {
  pagedMembers.update((all) => ({ ...all, [guildId]: f(all[guildId] ?? { members: {}, complete: false, loading: false, error: null }) }));
}

/** Page in every member of the guild (when some are unknown). Each page shows as it arrives. */
export async function ensureAllMembers(guildId: string): Promise<void> {
  if (!needsPaging(get(chat), get(pagedMembers), guildId)) return;
  patch(guildId, (p) => ({ ...p, loading: true, error: null }));
  let after: string | undefined;
  try {
    for (;;) {
      const page = await api.guildMembers(guildId, after === undefined ? { limit: PAGE_SIZE } : { after, limit: PAGE_SIZE });
      if (!get(chat).guilds[guildId]) return; // left meanwhile
      patch(guildId, (p) => {
        const members = { ...p.members };
        for (const m of page) members[m.user.id] = m;
        return { ...p, members };
      });
      const last = page[page.length - 1];
      if (page.length < PAGE_SIZE || !last) break;
      after = last.user.id;
    }
    patch(guildId, (p) => ({ ...p, loading: false, complete: true }));
  } catch (e) {
    patch(guildId, (p) => ({ ...p, loading: false, error: errorText(e) }));
  }
}

onGatewayDispatch((t, d) => pagedMembers.update((p) => applyMemberEvent(p, t, d)));

/** The member whose profile card is open (from the member list or the quick switcher). */
export interface ProfileTarget {
  guildId: string;
  userId: string;
  /** Where the card points from; null centres it. */
  anchor: { top: number; left: number; right: number; bottom: number } | null;
  /** Focus goes back here when the card closes. */
  returnFocus: HTMLElement | null;
}

export const profileCard = writable<ProfileTarget | null>(null);

/** The colour of a member's name: their highest role with a colour, as `#rrggbb`; null for none. */
export function memberColor(roles: readonly { id: string; color: number; position: number }[], member: Pick<Member, 'roles'>): string | null {
  let best: { color: number; position: number } | null = null;
  for (const r of roles) if (r.color !== 0 && member.roles.includes(r.id) && (best === null || r.position > best.position)) best = r;
  return best ? '#' + best.color.toString(16).padStart(6, '0') : null;
}

/** A member's roles, highest first (without @everyone). */
export function memberRoles<R extends { id: string; position: number }>(roles: readonly R[], member: Pick<Member, 'roles'>): R[] {
  return roles.filter((r) => member.roles.includes(r.id)).sort((a, b) => b.position - a.position);
}
