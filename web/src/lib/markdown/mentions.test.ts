import { describe, it, expect } from 'vitest';
import { applyEvent, emptyState, type ChatState } from '../stores/chat';
import { resolveMention, userName } from './mentions';
import { colorHex } from '../colour';

const user = (id: string, username: string, global_name: string | null = null) => ({ id, username, global_name, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' });

function state(): ChatState {
  let s = applyEvent(emptyState(), 'READY', { user: { ...user('1', 'ada', 'Ada L'), admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }, { id: '20' }] });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10',
    name: 'Hearthside',
    owner_id: '1',
    roles: [
      { id: '10', name: '@everyone', color: 0, hoist: false, managed: false, mentionable: false, permissions: '0', position: 0 },
      { id: '11', name: 'Mods', color: 0x3498db, hoist: true, managed: false, mentionable: true, permissions: '0', position: 2 },
      { id: '12', name: 'Plain', color: 0, hoist: false, managed: false, mentionable: true, permissions: '0', position: 1 },
    ],
    channels: [
      { id: '100', guild_id: '10', name: 'general', type: 0, position: 0, nsfw: false, permission_overwrites: [], rate_limit_per_user: 0 },
      { id: '101', guild_id: '10', name: 'Voice', type: 2, position: 1, nsfw: false, permission_overwrites: [], rate_limit_per_user: 0 },
    ],
    members: [
      { user: user('1', 'ada', 'Ada L'), nick: null, roles: ['11'], joined_at: '2026-01-01T00:00:00Z', pending: false },
      { user: user('2', 'bob', 'Bobby'), nick: 'Bob the Builder', roles: [], joined_at: '2026-01-01T00:00:00Z', pending: false },
      { user: user('3', 'cy'), nick: null, roles: [], joined_at: '2026-01-01T00:00:00Z', pending: false },
    ],
  });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '20',
    name: 'Other',
    owner_id: '4',
    roles: [],
    channels: [],
    members: [{ user: user('4', 'dee', 'Dee'), nick: 'Dee here', roles: [], joined_at: '2026-01-01T00:00:00Z', pending: false }],
  });
  return s;
}

describe('mentions', () => {
  it('shows a user by guild nick, then display name, then username', () => {
    const s = state();
    expect(resolveMention(s, { type: 'mention_user', id: '2' }, '10', '1')).toMatchObject({ label: '@Bob the Builder', known: true, self: false });
    expect(resolveMention(s, { type: 'mention_user', id: '1' }, '10', '1')).toMatchObject({ label: '@Ada L', self: true });
    expect(resolveMention(s, { type: 'mention_user', id: '3' }, '10', '1').label).toBe('@cy');
    // Known from another guild: its nick there does not apply.
    expect(userName(s, '4', '10')).toBe('Dee');
    expect(resolveMention(s, { type: 'mention_user', id: '999' }, '10', '1')).toMatchObject({ label: '@unknown-user', known: false });
    expect(resolveMention(s, { type: 'mention_user', id: '999' }, null, '1').label).toBe('@unknown-user');
  });

  it('shows a role by name and colour, highlighted when the reader has it', () => {
    const s = state();
    expect(resolveMention(s, { type: 'mention_role', id: '11' }, '10', '1')).toMatchObject({ label: '@Mods', color: 0x3498db, self: true });
    expect(resolveMention(s, { type: 'mention_role', id: '11' }, '10', '2')).toMatchObject({ self: false });
    expect(resolveMention(s, { type: 'mention_role', id: '12' }, '10', '1')).toMatchObject({ label: '@Plain', color: null, self: false });
    expect(resolveMention(s, { type: 'mention_role', id: '10' }, '10', '2')).toMatchObject({ label: '@everyone', self: true });
    expect(resolveMention(s, { type: 'mention_role', id: '77' }, '10', '1')).toMatchObject({ label: '@unknown-role', known: false });
    expect(resolveMention(s, { type: 'mention_role', id: '11' }, null, '1').known).toBe(false);
    expect(colorHex(0x3498db)).toBe('#3498db');
    expect(colorHex(0xff)).toBe('#0000ff');
  });

  it('shows a channel by name, openable only for text channels', () => {
    const s = state();
    expect(resolveMention(s, { type: 'mention_channel', id: '100' }, '10', '1')).toMatchObject({ label: '#general', channelId: '100' });
    expect(resolveMention(s, { type: 'mention_channel', id: '101' }, '10', '1')).toMatchObject({ label: '#Voice', channelId: null, known: true });
    expect(resolveMention(s, { type: 'mention_channel', id: '555' }, '10', '1')).toMatchObject({ label: '#unknown-channel', channelId: null, known: false });
  });

  it('always highlights @everyone and @here', () => {
    const s = state();
    expect(resolveMention(s, { type: 'mention_everyone' }, '10', '1')).toMatchObject({ label: '@everyone', self: true });
    expect(resolveMention(s, { type: 'mention_here' }, null, null)).toMatchObject({ label: '@here', self: true });
  });
});
