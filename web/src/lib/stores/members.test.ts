import { describe, it, expect } from 'vitest';
import { applyEvent, emptyState, memberSections } from './chat';
import { applyMemberEvent, memberColor, memberRoles, mergeMembers, needsPaging, withPagedMembers, type PagedGuild } from './members';

const user = (id: string, username: string) => ({ id, username, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '' });
const member = (id: string, username: string, roles: string[] = [], nick: string | null = null) => ({ user: user(id, username), roles, joined_at: '2025-06-01T00:00:00Z', nick, pending: false });
const page = (members: ReturnType<typeof member>[], extra: Partial<PagedGuild> = {}): PagedGuild => ({ members: Object.fromEntries(members.map((m) => [m.user.id, m])), complete: true, loading: false, error: null, ...extra });

function world() {
  let s = applyEvent(emptyState(), 'READY', { user: { ...user('1', 'me'), admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10', name: 'G', owner_id: '1', member_count: 4, channels: [],
    roles: [{ id: '10', name: '@everyone', position: 0, color: 0, hoist: false, permissions: '0' }, { id: 'mod', name: 'Mods', position: 2, color: 0x3498db, hoist: true, permissions: '0' }, { id: 'vip', name: 'VIP', position: 1, color: 0xe91e63, hoist: false, permissions: '0' }],
    members: [member('1', 'me'), member('2', 'bob', ['vip'])],
    presences: [{ user: { id: '1' }, status: 'online' }, { user: { id: '2' }, status: 'online' }],
  });
  return s;
}

describe('members paging', () => {
  it('merges paged members with the live ones (live wins)', () => {
    const merged = mergeMembers({ '2': member('2', 'bob', [], 'old'), '3': member('3', 'carol') }, { '2': member('2', 'bob', [], 'new') });
    expect(Object.keys(merged).sort()).toEqual(['2', '3']);
    expect(merged['2']?.nick).toBe('new');
    expect(mergeMembers(undefined, undefined)).toEqual({});
  });

  it('needs paging while the member count exceeds the known members', () => {
    const s = world();
    expect(needsPaging(s, {}, '10')).toBe(true);
    expect(needsPaging(s, { '10': page([member('3', 'carol')], { complete: false, loading: true }) }, '10')).toBe(false);
    expect(needsPaging(s, { '10': page([member('3', 'carol'), member('4', 'dave')], { complete: false }) }, '10')).toBe(false);
    expect(needsPaging(s, {}, 'nope')).toBe(false);
  });

  it('shows offline paged members in the member list sections, hoisted roles apart', () => {
    const s = world();
    const paged = { '10': page([member('3', 'carol', ['mod']), member('4', 'dave')]) };
    const merged = withPagedMembers(s, paged, '10');
    const sections = memberSections(merged, '10');
    expect(sections.map((x) => [x.title, x.members.map((m) => m.user.username)])).toEqual([
      ['Online', ['bob', 'me']],
      ['Offline', ['carol', 'dave']],
    ]);
    // carol comes online: listed under her hoisted role.
    const online = applyEvent(merged, 'PRESENCE_UPDATE', { user: { id: '3' }, status: 'online' });
    expect(memberSections(online, '10')[0]).toMatchObject({ title: 'Mods' });
  });

  it('keeps the paged list current from the gateway', () => {
    let p: Record<string, PagedGuild> = { '10': page([member('3', 'carol', ['mod'])]) };
    p = applyMemberEvent(p, 'GUILD_MEMBER_UPDATE', { guild_id: '10', ...member('3', 'carol', ['mod'], 'Caz') });
    expect(p['10']?.members['3']?.nick).toBe('Caz');
    p = applyMemberEvent(p, 'GUILD_ROLE_DELETE', { guild_id: '10', role_id: 'mod' });
    expect(p['10']?.members['3']?.roles).toEqual([]);
    p = applyMemberEvent(p, 'GUILD_MEMBER_REMOVE', { guild_id: '10', user: { id: '3' } });
    expect(p['10']?.members['3']).toBeUndefined();
    expect(applyMemberEvent(p, 'GUILD_MEMBER_ADD', { guild_id: '99', ...member('5', 'x') })).toBe(p);
    expect(applyMemberEvent(p, 'GUILD_DELETE', { id: '10' })).toEqual({});
    expect(applyMemberEvent(p, 'READY', {})).toEqual({});
  });

  it('colours a name by the highest coloured role and lists roles highest first', () => {
    const roles = world().guilds['10']!.guild.roles;
    expect(memberColor(roles, { roles: ['vip', 'mod'] })).toBe('#3498db');
    expect(memberColor(roles, { roles: ['vip'] })).toBe('#e91e63');
    expect(memberColor(roles, { roles: [] })).toBeNull();
    expect(memberRoles(roles, { roles: ['vip', 'mod'] }).map((r) => r.name)).toEqual(['Mods', 'VIP']);
  });
});
