/**
 * The guild's members as the settings page through them (GET /guilds/{id}/members, 1000 a page, by
 * user id), kept current by the gateway's member events while the settings are open.
 */
import { get, writable, type Readable } from 'svelte/store';
import type { Member } from '../api/types';
import { api, onGatewayDispatch } from '../app';
import { describeError } from './errors';
import { MEMBER_PAGE, mergeMembers, nextCursor } from './members';

export interface DirectoryState {
  members: Member[];
  /** Every page has been loaded. */
  done: boolean;
  loading: boolean;
  error: string;
}

export interface MemberDirectory extends Readable<DirectoryState> {
  loadMore(): Promise<void>;
  /** Load every page (bounded), e.g. to list a role's members. */
  loadAll(maxPages?: number): Promise<void>;
  upsert(m: Member): void;
  remove(userId: string): void;
  destroy(): void;
}

export function createMemberDirectory(guildId: string, pageSize = MEMBER_PAGE): MemberDirectory {
  const state = writable<DirectoryState>({ members: [], done: false, loading: false, error: '' });
  let cursor: string | null = null;
  let inflight: Promise<void> | null = null;

  function loadMore(): Promise<void> {
    if (inflight) return inflight;
    if (get(state).done) return Promise.resolve();
    state.update((s) => ({ ...s, loading: true, error: '' }));
    inflight = (async () => {
      try {
        const page = await api.guildMembers(guildId, cursor ? { after: cursor, limit: pageSize } : { limit: pageSize });
        const next = nextCursor(page, pageSize, (m) => m.user.id);
        cursor = next;
        state.update((s) => ({ ...s, members: mergeMembers(s.members, page), done: next === null, loading: false }));
      } catch (e) {
        state.update((s) => ({ ...s, loading: false, error: describeError(e) }));
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  }

  async function loadAll(maxPages = 100): Promise<void> {
    for (let i = 0; i < maxPages && !get(state).done && !get(state).error; i++) await loadMore();
  }

  function upsert(m: Member): void {
    state.update((s) => ({ ...s, members: mergeMembers(s.members, [m]) }));
  }

  function remove(userId: string): void {
    state.update((s) => ({ ...s, members: s.members.filter((m) => m.user.id !== userId) }));
  }

  const off = onGatewayDispatch((t, d) => {
    if (t === 'GUILD_MEMBER_ADD' || t === 'GUILD_MEMBER_UPDATE') {
      const { guild_id, ...member } = d as Member & { guild_id: string };
      if (guild_id === guildId) upsert(member as Member);
    } else if (t === 'GUILD_MEMBER_REMOVE') {
      const { guild_id, user } = d as { guild_id: string; user: { id: string } };
      if (guild_id === guildId) remove(user.id);
    }
  });

  return { subscribe: state.subscribe, loadMore, loadAll, upsert, remove, destroy: off };
}
