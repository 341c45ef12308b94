import { afterEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';
import { chat } from '../app';
import { applyEvent, emptyState } from './chat';
import { ensureMembersFor, membersForMention } from './mention-members';
import { pagedMembers } from './members';
import type { Member } from '../api/types';

const user = (id: string, username: string) => ({ id, username, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' });
const member = (id: string, username: string, nick: string | null = null) => ({ user: user(id, username), nick, roles: [], joined_at: '2026-01-01T00:00:00Z', pending: false }) as Member;

function guild(id: string, memberCount: number, members: Member[]) {
  let s = applyEvent(emptyState(), 'READY', { user: { ...user('1', 'ada'), admin: false, owner: false, mfa_enabled: false }, guilds: [{ id }] });
  s = applyEvent(s, 'GUILD_CREATE', { id, name: 'G', roles: [], channels: [], members, member_count: memberCount, presences: [] });
  chat.set(s);
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  pagedMembers.set({});
});

describe('autocomplete members', () => {
  it('fetches the rest of a partially known guild once, debounced', async () => {
    vi.useFakeTimers();
    guild('10', 3, [member('1', 'ada')]);
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify([member('1', 'ada'), member('2', 'bella'), member('3', 'carl')]), { status: 200 });
    });
    ensureMembersFor('10');
    ensureMembersFor('10');
    expect(urls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(350);
    ensureMembersFor('10');
    await vi.advanceTimersByTimeAsync(350);
    expect(urls).toEqual(['/api/v1/guilds/10/members?limit=1000']);
    // Into the member list's paged store, which autocomplete and the member list share.
    expect(Object.keys(get(pagedMembers)['10']?.members ?? {}).sort()).toEqual(['1', '2', '3']);
    expect(get(pagedMembers)['10']?.complete).toBe(true);
  });

  it('does not fetch when every member is known', async () => {
    vi.useFakeTimers();
    guild('11', 1, [member('1', 'ada')]);
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);
    ensureMembersFor('11');
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('prefers the live cache over the fetched copy', () => {
    const fetched = { '1': member('1', 'ada'), '2': member('2', 'bella') };
    const live = { '1': member('1', 'ada', 'Countess') };
    const merged = membersForMention(fetched, live);
    expect(merged.map((m) => m.nick ?? m.user.username).sort()).toEqual(['Countess', 'bella']);
    expect(membersForMention(undefined, live)).toHaveLength(1);
    expect(membersForMention(undefined, undefined)).toEqual([]);
  });
});
