import { describe, it, expect } from 'vitest';
import { guildMenuItems, inviteChannel } from './guild-menu';
import { expiryText, inviteLink } from './invites';
import { P } from './permissions';
import { applyEvent, emptyState } from './stores/chat';

const user = (id: string) => ({ id, username: 'u' + id, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '' });

function world(everyone: bigint, myRoles: string[] = [], owner = '9', overwrites: unknown[] = []) {
  let s = applyEvent(emptyState(), 'READY', { user: { ...user('1'), admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10', name: 'G', owner_id: owner, member_count: 1,
    roles: [{ id: '10', name: '@everyone', position: 0, color: 0, hoist: false, permissions: everyone.toString() }, { id: 'mod', name: 'Mods', position: 1, color: 0, hoist: false, permissions: (P.KICK_MEMBERS).toString() }],
    channels: [
      { id: '100', type: 0, guild_id: '10', name: 'locked', position: 0, permission_overwrites: overwrites },
      { id: '101', type: 0, guild_id: '10', name: 'open', position: 1, permission_overwrites: [] },
    ],
    members: [{ user: user('1'), roles: myRoles, joined_at: '', nick: null, pending: false }],
    presences: [],
  });
  return s;
}

const actions = (s: ReturnType<typeof world>, unread = false) => guildMenuItems(s, '10', '100', unread).map((i) => i.action);
const base = P.VIEW_CHANNEL | P.SEND_MESSAGES;

describe('guild menu', () => {
  it('a plain member may only leave', () => {
    expect(actions(world(base))).toEqual(['leave']);
  });

  it('offers invites where allowed: the open channel, else the first channel that allows it', () => {
    expect(guildMenuItems(world(base | P.CREATE_INSTANT_INVITE), '10', '100', false)[0]).toMatchObject({ action: 'invite', channelId: '100' });
    const denied = world(base | P.CREATE_INSTANT_INVITE, [], '9', [{ id: '10', type: 0, allow: '0', deny: P.CREATE_INSTANT_INVITE.toString() }]);
    expect(inviteChannel(denied, '10', '100')).toBe('101');
  });

  it('server settings for any management permission (a role\u2019s KICK_MEMBERS counts)', () => {
    expect(actions(world(base, ['mod']))).toEqual(['settings', 'leave']);
    expect(actions(world(base | P.VIEW_AUDIT_LOG))).toEqual(['settings', 'leave']);
    expect(actions(world(base | P.MANAGE_REPORTS))).toEqual(['settings', 'leave']);
  });

  it('the owner gets everything but leaving; mark as read only when something is unread', () => {
    expect(actions(world(base, [], '1'), true)).toEqual(['invite', 'settings', 'mark-read']);
  });
});

describe('invite wording', () => {
  it('builds the link and says when it expires', () => {
    expect(inviteLink('https://chat.example.org', 'AbC-1')).toBe('https://chat.example.org/invite/AbC-1');
    expect(expiryText(604800, 0)).toBe('Your invite link expires in 7 days.');
    expect(expiryText(0, 1)).toBe('Your invite link never expires and works once.');
    expect(expiryText(1800, 25)).toBe('Your invite link expires in 30 minutes and works 25 times.');
  });
});
