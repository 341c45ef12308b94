import { describe, it, expect } from 'vitest';
import {
  addPending,
  applyEvent,
  changeReaction,
  channelGroups,
  pinnedChanged,
  pinsLoaded,
  reactionToggled,
  referencedMessage,
  windowLoaded,
  emptyState,
  historyDropped,
  historyLoaded,
  historyRestored,
  markFailed,
  memberSections,
  sendConfirmed,
  type ChatMessage,
  type ChatState,
} from './chat';
import type { Channel, Guild, Member, Role, User } from '../api/types';

const user = (id: string, username = 'u' + id): User => ({ id, username, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' });
const role = (id: string, position: number, hoist = false, name = 'r' + id): Role =>
  ({ id, name, position, hoist, color: 0, managed: false, mentionable: false, permissions: '0' }) as Role;
const guild = (id: string, roles: Role[] = [role(id, 0)]): Guild =>
  ({ id, name: 'g' + id, roles, owner_id: '1', description: null, icon: null, features: [], system_channel_id: null, verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0, created_at: '2026-01-01T00:00:00Z', approximate_member_count: null }) as unknown as Guild;
const channel = (id: string, guild_id: string, extra: Partial<Channel> = {}): Channel =>
  ({ id, guild_id, name: 'c' + id, type: 0, position: 0, parent_id: null, topic: null, nsfw: false, last_message_id: null, permission_overwrites: [], rate_limit_per_user: 0, bitrate: null, user_limit: null, ...extra }) as unknown as Channel;
const member = (id: string, roles: string[] = []): Member => ({ user: user(id), nick: null, roles, joined_at: '2026-01-01T00:00:00Z', pending: false, communication_disabled_until: null }) as unknown as Member;
const msg = (id: string, channel_id: string, author = '1', timestamp = '2026-11-23T10:00:00Z', extra: Partial<ChatMessage> = {}): ChatMessage =>
  ({ id, channel_id, author: user(author), content: 'm' + id, timestamp, edited_timestamp: null, nonce: null, attachments: [], embeds: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false, type: 0, flags: 0, reactions: [], ...extra }) as unknown as ChatMessage;

function withGuild(): ChatState {
  let s = applyEvent(emptyState(), 'READY', { user: { ...user('1'), admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10', unavailable: true }], session_id: 's' });
  s = applyEvent(s, 'GUILD_CREATE', {
    ...guild('10', [role('10', 0), role('11', 2, true, 'Mods')]),
    member_count: 2,
    channels: [channel('100', '10'), channel('101', '10', { type: 4, name: 'Cat', position: 1 }), channel('102', '10', { parent_id: '101' })],
    members: [member('1'), member('2', ['11'])],
    presences: [{ user: { id: '2' }, status: 'online' }],
  });
  return historyLoaded(s, '100', [msg('1002', '100'), msg('1001', '100')], 50, null);
}

describe('chat reducer', () => {
  it('READY then GUILD_CREATE fills guilds, channels, members', () => {
    const s = withGuild();
    expect(s.me?.id).toBe('1');
    expect(s.guildOrder).toEqual(['10']);
    expect(s.guilds['10']?.unavailable).toBe(false);
    expect(s.guilds['10']?.member_count).toBe(2);
    expect(Object.keys(s.channels).sort()).toEqual(['100', '101', '102']);
    expect(Object.keys(s.members['10'] ?? {})).toEqual(['1', '2']);
    expect('channels' in (s.guilds['10']?.guild ?? {})).toBe(false);
  });

  it('history is stored oldest first with hasMore', () => {
    const s = withGuild();
    expect(s.messages['100']?.map((m) => m.id)).toEqual(['1001', '1002']);
    expect(s.hasMore['100']).toBe(false);
    const older = historyLoaded(s, '100', [msg('999', '100')], 1, '1001');
    expect(older.messages['100']?.map((m) => m.id)).toEqual(['999', '1001', '1002']);
    expect(older.hasMore['100']).toBe(true);
  });

  it('MESSAGE_CREATE appends, dedupes, and bumps last_message_id', () => {
    let s = withGuild();
    s = applyEvent(s, 'MESSAGE_CREATE', { ...msg('1003', '100'), guild_id: '10' });
    s = applyEvent(s, 'MESSAGE_CREATE', { ...msg('1003', '100'), guild_id: '10' });
    expect(s.messages['100']?.map((m) => m.id)).toEqual(['1001', '1002', '1003']);
    expect(s.channels['100']?.last_message_id).toBe('1003');
    // A channel whose history is not loaded keeps no partial cache.
    s = applyEvent(s, 'MESSAGE_CREATE', msg('2000', '102'));
    expect(s.messages['102']).toBeUndefined();
  });

  it('optimistic send is replaced by the echo carrying the nonce', () => {
    let s = withGuild();
    s = addPending(s, msg('local-1', '100', '1', '2026-11-23T10:05:00Z', { nonce: 'n1' }));
    expect(s.messages['100']?.at(-1)?.pending).toBe(true);
    s = applyEvent(s, 'MESSAGE_CREATE', msg('1004', '100', '1', '2026-11-23T10:05:00Z', { nonce: 'n1' }));
    expect(s.messages['100']?.map((m) => [m.id, m.pending ?? false])).toEqual([
      ['1001', false],
      ['1002', false],
      ['1004', false],
    ]);
    // The REST answer arriving after the echo changes nothing.
    s = sendConfirmed(s, msg('1004', '100', '1', '2026-11-23T10:05:00Z', { nonce: 'n1' }));
    expect(s.messages['100']?.length).toBe(3);
  });

  it('a failed send is marked, and confirmed messages stay before local ones', () => {
    let s = withGuild();
    s = addPending(s, msg('local-2', '100', '1', '2026-11-23T10:05:00Z', { nonce: 'n2' }));
    s = markFailed(s, '100', 'n2');
    s = applyEvent(s, 'MESSAGE_CREATE', msg('1005', '100', '2'));
    expect(s.messages['100']?.map((m) => m.id)).toEqual(['1001', '1002', '1005', 'local-2']);
    expect(s.messages['100']?.at(-1)?.failed).toBe(true);
  });

  it('MESSAGE_UPDATE merges and keeps reactions; DELETE and DELETE_BULK remove', () => {
    let s = withGuild();
    s = applyEvent(s, 'MESSAGE_UPDATE', { ...msg('1001', '100'), content: 'edited', edited_timestamp: '2026-11-23T11:00:00Z', reactions: undefined });
    expect(s.messages['100']?.[0]?.content).toBe('edited');
    expect(s.messages['100']?.[0]?.reactions).toEqual([]);
    s = applyEvent(s, 'MESSAGE_DELETE', { id: '1001', channel_id: '100', guild_id: '10' });
    expect(s.messages['100']?.map((m) => m.id)).toEqual(['1002']);
    s = applyEvent(s, 'MESSAGE_CREATE', msg('1003', '100'));
    s = applyEvent(s, 'MESSAGE_DELETE_BULK', { ids: ['1002', '1003'], channel_id: '100', guild_id: '10' });
    expect(s.messages['100']).toEqual([]);
  });

  it('CHANNEL_CREATE / UPDATE / DELETE', () => {
    let s = withGuild();
    s = applyEvent(s, 'CHANNEL_CREATE', channel('103', '10', { name: 'new' }));
    expect(s.channels['103']?.name).toBe('new');
    s = applyEvent(s, 'CHANNEL_UPDATE', channel('103', '10', { name: 'renamed' }));
    expect(s.channels['103']?.name).toBe('renamed');
    s = applyEvent(s, 'CHANNEL_DELETE', channel('100', '10'));
    expect(s.channels['100']).toBeUndefined();
    expect(s.messages['100']).toBeUndefined();
  });

  it('GUILD_MEMBER_ADD / UPDATE / REMOVE keep members and the count', () => {
    let s = withGuild();
    s = applyEvent(s, 'GUILD_MEMBER_ADD', { ...member('3'), guild_id: '10' });
    expect(s.guilds['10']?.member_count).toBe(3);
    s = applyEvent(s, 'GUILD_MEMBER_UPDATE', { ...member('3'), nick: 'Three', guild_id: '10' });
    expect(s.members['10']?.['3']?.nick).toBe('Three');
    expect(s.guilds['10']?.member_count).toBe(3);
    s = applyEvent(s, 'GUILD_MEMBER_REMOVE', { guild_id: '10', user: user('3') });
    expect(s.members['10']?.['3']).toBeUndefined();
    expect(s.guilds['10']?.member_count).toBe(2);
  });

  it('GUILD_ROLE_CREATE / UPDATE / DELETE, removing a deleted role from members', () => {
    let s = withGuild();
    s = applyEvent(s, 'GUILD_ROLE_CREATE', { guild_id: '10', role: role('12', 1) });
    expect(s.guilds['10']?.guild.roles.map((r) => r.id).sort()).toEqual(['10', '11', '12']);
    s = applyEvent(s, 'GUILD_ROLE_UPDATE', { guild_id: '10', role: role('12', 1, false, 'renamed') });
    expect(s.guilds['10']?.guild.roles.find((r) => r.id === '12')?.name).toBe('renamed');
    s = applyEvent(s, 'GUILD_ROLE_DELETE', { guild_id: '10', role_id: '11' });
    expect(s.guilds['10']?.guild.roles.map((r) => r.id).sort()).toEqual(['10', '12']);
    expect(s.members['10']?.['2']?.roles).toEqual([]);
  });

  it('GUILD_DELETE drops the guild and its channels and messages', () => {
    let s = withGuild();
    s = applyEvent(s, 'GUILD_DELETE', { id: '10', unavailable: false });
    expect(s.guildOrder).toEqual([]);
    expect(s.guilds['10']).toBeUndefined();
    expect(s.channels).toEqual({});
    expect(s.messages['100']).toBeUndefined();
  });

  it('a second GUILD_CREATE (after re-identify) replaces the channel set but keeps loaded history', () => {
    let s = withGuild();
    s = applyEvent(s, 'GUILD_CREATE', { ...guild('10'), channels: [channel('100', '10')], members: [member('1')] });
    expect(Object.keys(s.channels)).toEqual(['100']);
    expect(s.messages['100']?.length).toBe(2);
  });

  it('a new READY drops confirmed history (it may have gaps) but keeps unsent messages', () => {
    let s = withGuild();
    s = addPending(s, msg('local-9', '100', '1', '2026-11-23T10:05:00Z', { nonce: 'n9' }));
    s = applyEvent(s, 'READY', { user: s.me, guilds: [{ id: '10', unavailable: true }], session_id: 's2' });
    expect(s.messages['100']?.map((m) => m.id)).toEqual(['local-9']);
    expect(s.guilds['10']?.unavailable).toBe(true);
    expect(s.channels).toEqual({});
  });

  it('after a new READY, the open channel’s history can be put back as shown (with its window flags) and dropped again', () => {
    let s = withGuild();
    s = windowLoaded(s, '100', [msg('1002', '100'), msg('1001', '100')], 2, { around: '1001' });
    const before = { messages: s.messages['100'] ?? [], hasMore: s.hasMore['100'] ?? false, hasNewer: s.hasNewer['100'] ?? false };
    expect(before.hasNewer).toBe(true);
    s = addPending(s, msg('local-9', '100', '1', '2026-11-23T10:05:00Z', { nonce: 'n9' }));
    s = applyEvent(s, 'READY', { user: s.me, guilds: [{ id: '10', unavailable: true }], session_id: 's2' });
    expect(s.messages['100']?.map((m) => m.id)).toEqual(['local-9']);
    s = historyRestored(s, '100', before);
    expect(s.messages['100']?.map((m) => m.id)).toEqual(['1001', '1002', 'local-9']);
    expect(s.hasNewer['100']).toBe(true);
    expect(s.hasMore['100']).toBe(before.hasMore);
    // A window flag keeps new messages out of the restored window, as before the reconnect.
    s = applyEvent(s, 'MESSAGE_CREATE', msg('2000', '100'));
    expect(s.messages['100']?.some((m) => m.id === '2000')).toBe(false);
    s = historyDropped(s, '100');
    expect(s.messages['100']?.map((m) => m.id)).toEqual(['local-9']);
    expect(s.hasNewer['100']).toBeUndefined();
    expect(s.hasMore['100']).toBeUndefined();
    expect(historyDropped(s, '999')).toBe(s);
    expect(historyDropped(historyLoaded(emptyState(), '5', [msg('1', '5')], 50, null), '5').messages['5']).toBeUndefined();
  });

  it('ignores unknown events', () => {
    const s = withGuild();
    expect(applyEvent(s, 'SOMETHING_NEW', {})).toBe(s);
  });
});

describe('selectors', () => {
  it('groups channels under categories', () => {
    const groups = channelGroups(withGuild(), '10');
    expect(groups.map((g) => [g.category?.id ?? null, g.channels.map((c) => c.id)])).toEqual([
      [null, ['100']],
      ['101', ['102']],
    ]);
  });

  it('sections members by hoisted role and presence', () => {
    const sections = memberSections(withGuild(), '10');
    expect(sections.map((s) => [s.title, s.members.map((m) => m.user.id)])).toEqual([
      ['Mods', ['2']],
      ['Offline', ['1']],
    ]);
  });
});

describe('reactions', () => {
  const react = (t: string, user_id: string, emoji: string, message_id = '1001') => ({ user_id, channel_id: '100', message_id, guild_id: '10', emoji: { id: null, name: emoji } });
  const reactionsOf = (s: ChatState, id = '1001') => s.messages['100']?.find((m) => m.id === id)?.reactions?.map((r) => [r.emoji.name, r.count, r.me]);

  it('ADD / REMOVE from others count without touching `me`, in order of first use', () => {
    let s = withGuild();
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', react('a', '2', '👍'));
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', react('a', '3', '🎉'));
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', react('a', '3', '👍'));
    expect(reactionsOf(s)).toEqual([
      ['👍', 2, false],
      ['🎉', 1, false],
    ]);
    s = applyEvent(s, 'MESSAGE_REACTION_REMOVE', react('r', '2', '👍'));
    s = applyEvent(s, 'MESSAGE_REACTION_REMOVE', react('r', '3', '🎉'));
    expect(reactionsOf(s)).toEqual([['👍', 1, false]]);
  });

  it('my own reaction events set `me` once (the echo of an optimistic toggle changes nothing)', () => {
    let s = withGuild();
    s = reactionToggled(s, '100', '1001', '👍', true);
    expect(reactionsOf(s)).toEqual([['👍', 1, true]]);
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', react('a', '1', '👍'));
    expect(reactionsOf(s)).toEqual([['👍', 1, true]]);
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', react('a', '2', '👍'));
    expect(reactionsOf(s)).toEqual([['👍', 2, true]]);
    s = reactionToggled(s, '100', '1001', '👍', false);
    expect(reactionsOf(s)).toEqual([['👍', 1, false]]);
    s = applyEvent(s, 'MESSAGE_REACTION_REMOVE', react('r', '1', '👍'));
    expect(reactionsOf(s)).toEqual([['👍', 1, false]]);
  });

  it('a failed optimistic add rolls back to where it was', () => {
    let s = withGuild();
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', react('a', '2', '❤️'));
    const before = reactionsOf(s);
    s = reactionToggled(s, '100', '1001', '❤️', true);
    expect(reactionsOf(s)).toEqual([['❤️', 2, true]]);
    s = reactionToggled(s, '100', '1001', '❤️', false);
    expect(reactionsOf(s)).toEqual(before);
  });

  it('REMOVE_ALL and REMOVE_EMOJI', () => {
    let s = withGuild();
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', react('a', '2', '👍'));
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', react('a', '1', '🎉'));
    s = applyEvent(s, 'MESSAGE_REACTION_REMOVE_EMOJI', { channel_id: '100', message_id: '1001', guild_id: '10', emoji: { id: null, name: '👍' } });
    expect(reactionsOf(s)).toEqual([['🎉', 1, true]]);
    s = applyEvent(s, 'MESSAGE_REACTION_REMOVE_ALL', { channel_id: '100', message_id: '1001', guild_id: '10' });
    expect(reactionsOf(s)).toEqual([]);
  });

  it('reactions on an uncached message or channel change nothing', () => {
    const s = withGuild();
    expect(applyEvent(s, 'MESSAGE_REACTION_ADD', react('a', '2', '👍', '9999'))).toEqual(s);
    expect(applyEvent(s, 'MESSAGE_REACTION_ADD', { ...react('a', '2', '👍'), channel_id: '555' })).toBe(s);
  });

  it('changeReaction: removing the last one drops the chip; removing one I do not have does nothing', () => {
    expect(changeReaction([{ count: 1, me: true, emoji: { id: null, name: 'x' } }], 'x', false, true)).toEqual([]);
    const list = [{ count: 2, me: false, emoji: { id: null, name: 'x' } }];
    expect(changeReaction(list, 'x', false, true)).toBe(list);
  });
});

describe('pins', () => {
  it('pinsLoaded stores the list and syncs every cached pinned flag', () => {
    let s = withGuild();
    s = pinnedChanged(s, '100', '1001', true);
    expect(s.messages['100']?.[0]?.pinned).toBe(true);
    s = pinsLoaded(s, '100', [msg('1002', '100', '1', '2026-11-23T10:00:00Z', { pinned: true })]);
    expect(s.messages['100']?.map((m) => [m.id, m.pinned])).toEqual([
      ['1001', false],
      ['1002', true],
    ]);
    expect(s.pins['100']?.map((m) => m.id)).toEqual(['1002']);
  });

  it('pinnedChanged keeps a loaded pins list current (newest pin first)', () => {
    let s = pinsLoaded(withGuild(), '100', [msg('1002', '100', '1', '2026-11-23T10:00:00Z', { pinned: true })]);
    s = pinnedChanged(s, '100', '1001', true);
    expect(s.pins['100']?.map((m) => m.id)).toEqual(['1001', '1002']);
    s = pinnedChanged(s, '100', '1002', false);
    expect(s.pins['100']?.map((m) => m.id)).toEqual(['1001']);
    expect(s.messages['100']?.find((m) => m.id === '1002')?.pinned).toBe(false);
  });

  it('edits and deletions reach the pins list', () => {
    let s = pinsLoaded(withGuild(), '100', [msg('1001', '100', '1', '2026-11-23T10:00:00Z', { pinned: true })]);
    s = applyEvent(s, 'MESSAGE_UPDATE', { ...msg('1001', '100'), content: 'changed', pinned: true });
    expect(s.pins['100']?.[0]?.content).toBe('changed');
    s = applyEvent(s, 'MESSAGE_DELETE', { id: '1001', channel_id: '100', guild_id: '10' });
    expect(s.pins['100']).toEqual([]);
  });
});

describe('replies', () => {
  it('an edit of the original updates reply previews; deleting it leaves "deleted" (null)', () => {
    let s = withGuild();
    s = applyEvent(s, 'MESSAGE_CREATE', msg('1003', '100', '2', '2026-11-23T10:02:00Z', { type: 19, message_reference: { type: 0, message_id: '1001', channel_id: '100', guild_id: '10' }, referenced_message: msg('1001', '100') as never }));
    s = applyEvent(s, 'MESSAGE_UPDATE', { ...msg('1001', '100'), content: 'fixed', edited_timestamp: '2026-11-23T10:05:00Z' });
    const reply = () => s.messages['100']?.find((m) => m.id === '1003');
    expect(referencedMessage(reply() as ChatMessage)?.content).toBe('fixed');
    s = applyEvent(s, 'MESSAGE_DELETE', { id: '1001', channel_id: '100', guild_id: '10' });
    expect(reply()?.referenced_message).toBeNull();
  });
});

describe('history windows', () => {
  const page = (from: number, to: number) => {
    const out: ChatMessage[] = [];
    for (let i = to; i >= from; i--) out.push(msg(String(i), '100'));
    return out; // newest first, like the API
  };

  it('around: a window away from the present sets hasNewer, and new messages are not appended to it', () => {
    let s = withGuild();
    // limit 10 around 500: 5 older (495..499) and 5 from 500 on (500..504)
    s = windowLoaded(s, '100', page(495, 504), 10, { around: '500' });
    expect(s.messages['100']?.map((m) => m.id)).toEqual(['495', '496', '497', '498', '499', '500', '501', '502', '503', '504']);
    expect(s.hasMore['100']).toBe(true);
    expect(s.hasNewer['100']).toBe(true);
    s = applyEvent(s, 'MESSAGE_CREATE', msg('2000', '100'));
    expect(s.messages['100']?.some((m) => m.id === '2000')).toBe(false);
    expect(s.channels['100']?.last_message_id).toBe('2000');
  });

  it('around near either end: short sides mean the start or the present is reached', () => {
    let s = withGuild();
    s = windowLoaded(s, '100', page(1, 7), 10, { around: '3' });
    expect(s.hasMore['100']).toBe(false); // only 2 older of the 5 asked
    expect(s.hasNewer['100']).toBe(true); // all 5 from the id on: there may be more
    s = windowLoaded(s, '100', page(1, 6), 10, { around: '3' });
    expect(s.hasNewer['100']).toBeUndefined(); // 4 of 5: the newest is reached
    s = windowLoaded(s, '100', page(10, 17), 10, { around: '15' });
    expect(s.hasMore['100']).toBe(true);
    expect(s.hasNewer['100']).toBeUndefined(); // 3 of 5 newer: at the present
  });

  it('after: newer pages extend the window until a short page reaches the present', () => {
    let s = windowLoaded(withGuild(), '100', page(495, 504), 10, { around: '500' });
    s = windowLoaded(s, '100', page(505, 514), 10, { after: '504' });
    expect(s.hasNewer['100']).toBe(true);
    expect(s.messages['100']?.length).toBe(20);
    s = windowLoaded(s, '100', page(515, 517), 10, { after: '514' });
    expect(s.hasNewer['100']).toBeUndefined();
    s = applyEvent(s, 'MESSAGE_CREATE', msg('518', '100'));
    expect(s.messages['100']?.at(-1)?.id).toBe('518');
  });

  it('my own send while in an old window still replaces its optimistic copy', () => {
    let s = windowLoaded(withGuild(), '100', page(495, 504), 10, { around: '500' });
    s = addPending(s, msg('local-n', '100', '1', '2026-11-23T10:05:00Z', { nonce: 'n' }));
    s = applyEvent(s, 'MESSAGE_CREATE', msg('3000', '100', '1', '2026-11-23T10:05:00Z', { nonce: 'n' }));
    expect(s.messages['100']?.some((m) => m.pending)).toBe(false);
    expect(s.messages['100']?.at(-1)?.id).toBe('3000');
  });

  it('the newest page replaces an old window and ends it; older pages keep it', () => {
    let s = windowLoaded(withGuild(), '100', page(495, 504), 10, { around: '500' });
    s = historyLoaded(s, '100', page(490, 494), 5, '495');
    expect(s.hasNewer['100']).toBe(true);
    expect(s.messages['100']?.[0]?.id).toBe('490');
    s = historyLoaded(s, '100', page(2990, 2999), 10, null);
    expect(s.hasNewer['100']).toBeUndefined();
    expect(s.messages['100']?.map((m) => m.id)[0]).toBe('2990');
    expect(s.messages['100']?.length).toBe(10);
  });

  it('CHANNEL_DELETE forgets the window flags and pins', () => {
    let s = windowLoaded(withGuild(), '100', page(495, 504), 10, { around: '500' });
    s = pinsLoaded(s, '100', []);
    s = applyEvent(s, 'CHANNEL_DELETE', channel('100', '10'));
    expect(s.hasNewer['100']).toBeUndefined();
    expect(s.pins['100']).toBeUndefined();
  });
});

describe('history pages', () => {
  it('a page carrying the echo of a pending send replaces the optimistic copy (one sort per page)', () => {
    let s = withGuild();
    s = addPending(s, msg('local-e', '100', '1', '2026-11-23T10:05:00Z', { nonce: 'e' }));
    s = historyLoaded(s, '100', [msg('1003', '100', '1', '2026-11-23T10:05:00Z', { nonce: 'e' }), msg('1002', '100')], 50, '1001');
    expect(s.messages['100']?.map((m) => m.id)).toEqual(['1001', '1002', '1003']);
  });
});
