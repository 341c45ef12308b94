import { describe, it, expect } from 'vitest';
import type { Guild, Member, Role } from '../api/types';
import { P } from '../permissions';
import { actorOf, canManageRole, compareRank, isAdministrator, outranksMember, rolesHighestFirst, topRank } from './hierarchy';

const role = (id: string, position: number, permissions = '0', name = 'r' + id): Role => ({ id, name, position, permissions, color: 0, hoist: false, mentionable: false, managed: false });
const member = (id: string, roles: string[]): Member => ({ user: { id, username: 'u' + id, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '' }, nick: null, roles, joined_at: '', pending: false, communication_disabled_until: null });
const guild: Guild = {
  id: '1',
  name: 'G',
  description: '',
  owner_id: '100',
  roles: [role('1', 0, String(P.VIEW_CHANNEL)), role('20', 2, String(P.MANAGE_ROLES | P.KICK_MEMBERS)), role('30', 1), role('40', 2), role('50', 3, String(P.ADMINISTRATOR))],
  features: [],
  approximate_member_count: 0,
  created_at: '',
  default_message_notifications: 0,
  explicit_content_filter: 0,
  verification_level: 0,
  system_channel_id: null,
};

describe('hierarchy', () => {
  it('ranks by position, the older role above on a tie', () => {
    expect(compareRank({ position: 2, id: '20' }, { position: 2, id: '40' })).toBeGreaterThan(0);
    expect(compareRank({ position: 1, id: '9' }, { position: 2, id: '40' })).toBeLessThan(0);
    expect(rolesHighestFirst(guild.roles).map((r) => r.id)).toEqual(['50', '20', '40', '30', '1']);
    expect(topRank(guild, [])).toEqual({ position: 0, id: '1' });
    expect(topRank(guild, ['30', '40'])).toEqual({ position: 2, id: '40' });
  });

  it('lets a moderator act only on members and roles strictly below them', () => {
    const mod = actorOf(guild, member('2', ['20']));
    if (!mod) throw new Error('no actor');
    expect(outranksMember(mod, guild, member('3', ['40']))).toBe(true); // tie on position, 20 is older
    expect(outranksMember(mod, guild, member('3', ['50']))).toBe(false);
    expect(outranksMember(mod, guild, member('2', ['20']))).toBe(false); // not yourself
    expect(outranksMember(mod, guild, member('100', []))).toBe(false); // never the owner
    expect(canManageRole(mod, guild, guild.roles[3] as Role)).toBe(true);
    expect(canManageRole(mod, guild, guild.roles[1] as Role)).toBe(false); // own top role
    expect(canManageRole(mod, guild, guild.roles[0] as Role)).toBe(true); // @everyone
    const owner = actorOf(guild, member('100', []));
    if (!owner) throw new Error('no actor');
    expect(canManageRole(owner, guild, guild.roles[4] as Role)).toBe(true);
    expect(outranksMember(owner, guild, member('3', ['50']))).toBe(true);
    expect(isAdministrator(guild, member('3', ['50']))).toBe(true);
    expect(isAdministrator(guild, member('3', ['40']))).toBe(false);
    const plain = actorOf(guild, member('4', ['30']));
    expect(canManageRole(plain, guild, guild.roles[0] as Role)).toBe(false);
  });
});
