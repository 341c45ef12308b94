import { describe, it, expect } from 'vitest';
import { applyEvent, emptyState, historyLoaded, type ChatMessage, type ChatState } from './chat';
import { applyReadEvent, cmpId, emptyReadStates, guildUnreadInfo, idAtTime, mentionsMe, newestMessageId, setMarker, totalMentions, unreadInfo, type ReadContext, type ReadStates } from './readstate';

const me = { id: '1', username: 'me', global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2025-06-01T00:00:00Z' };
const bob = { ...me, id: '2', username: 'bob' };
const ctx = (over: Partial<ReadContext> = {}): ReadContext => ({ me: '1', myRoles: ['r1'], reading: false, ...over });

// Ids made after the join date below (2025-06-01): idAtTime gives the smallest id of a moment.
const JOINED = Date.parse('2025-06-01T00:00:00Z');
const id = (secondsAfterJoin: number) => (BigInt(idAtTime(JOINED + secondsAfterJoin * 1000)) + 1n).toString();

function msg(mid: string, channel: string, author = bob, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id: mid, channel_id: channel, author, content: 'hi', timestamp: '2025-06-01T00:00:00Z', edited_timestamp: null, nonce: null, mentions: [], mention_roles: [], mention_everyone: false, reactions: [], ...extra } as unknown as ChatMessage;
}

function world(): ChatState {
  let s = applyEvent(emptyState(), 'READY', { user: { ...me, admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10',
    name: 'G',
    owner_id: '2',
    roles: [],
    joined_at: '2025-06-01T00:00:00Z',
    member_count: 2,
    channels: [
      { id: '100', type: 0, guild_id: '10', name: 'general', position: 0, last_message_id: id(10), permission_overwrites: [] },
      { id: '101', type: 0, guild_id: '10', name: 'random', position: 1, last_message_id: null, permission_overwrites: [] },
      { id: '102', type: 2, guild_id: '10', name: 'voice', position: 2, last_message_id: null, permission_overwrites: [] },
    ],
    members: [{ user: me, roles: ['r1'], joined_at: '2025-06-01T00:00:00Z', nick: null, pending: false }],
    presences: [],
  });
  return s;
}

describe('read state reducer', () => {
  it('takes READY read_state as markers and mention counts', () => {
    const rs = applyReadEvent(emptyReadStates(), 'READY', { read_state: [{ id: '100', last_message_id: '55', mention_count: 2 }] }, ctx());
    expect(rs.channels['100']).toEqual({ lastReadId: '55', mentions: 2, mentionIds: [] });
  });

  it('counts a mention from someone else, not my own message, and reads on my own message', () => {
    let rs: ReadStates = emptyReadStates();
    rs = applyReadEvent(rs, 'MESSAGE_CREATE', msg(id(20), '100', bob, { mentions: [me] }), ctx());
    rs = applyReadEvent(rs, 'MESSAGE_CREATE', msg(id(21), '100', bob, { mention_everyone: true }), ctx());
    rs = applyReadEvent(rs, 'MESSAGE_CREATE', msg(id(22), '100', bob, { mention_roles: ['r1'] }), ctx());
    rs = applyReadEvent(rs, 'MESSAGE_CREATE', msg(id(23), '100', bob, { mention_roles: ['other'] }), ctx());
    expect(rs.channels['100']?.mentions).toBe(3);
    expect(rs.channels['100']?.lastReadId).toBeNull();
    // The same message twice (a resume replay) counts once.
    rs = applyReadEvent(rs, 'MESSAGE_CREATE', msg(id(20), '100', bob, { mentions: [me] }), ctx());
    expect(rs.channels['100']?.mentions).toBe(3);
    rs = applyReadEvent(rs, 'MESSAGE_CREATE', msg(id(30), '100', me, { mention_everyone: true }), ctx());
    expect(rs.channels['100']).toEqual({ lastReadId: id(30), mentions: 0, mentionIds: [] });
  });

  it('reads a message arriving in the channel I am reading', () => {
    const rs = applyReadEvent(emptyReadStates(), 'MESSAGE_CREATE', msg(id(20), '100', bob, { mentions: [me] }), ctx({ reading: true }));
    expect(rs.channels['100']).toEqual({ lastReadId: id(20), mentions: 0, mentionIds: [] });
  });

  it('ignores a message at or before the marker', () => {
    const start = applyReadEvent(emptyReadStates(), 'READY', { read_state: [{ id: '100', last_message_id: id(50), mention_count: 0 }] }, ctx());
    expect(applyReadEvent(start, 'MESSAGE_CREATE', msg(id(40), '100', bob, { mentions: [me] }), ctx())).toBe(start);
  });

  it('MESSAGE_ACK sets the marker (also backwards) and the server count', () => {
    let rs = applyReadEvent(emptyReadStates(), 'MESSAGE_CREATE', msg(id(20), '100', bob, { mentions: [me] }), ctx());
    rs = applyReadEvent(rs, 'MESSAGE_ACK', { channel_id: '100', message_id: id(25), mention_count: 0 }, ctx());
    expect(rs.channels['100']).toEqual({ lastReadId: id(25), mentions: 0, mentionIds: [] });
    rs = applyReadEvent(rs, 'MESSAGE_ACK', { channel_id: '100', message_id: id(5), mention_count: 1 }, ctx());
    expect(rs.channels['100']?.lastReadId).toBe(id(5));
    expect(rs.channels['100']?.mentions).toBe(1);
  });

  it('takes a deleted mention off the count', () => {
    let rs = applyReadEvent(emptyReadStates(), 'MESSAGE_CREATE', msg(id(20), '100', bob, { mentions: [me] }), ctx());
    rs = applyReadEvent(rs, 'MESSAGE_CREATE', msg(id(21), '100', bob, { mentions: [me] }), ctx());
    rs = applyReadEvent(rs, 'MESSAGE_DELETE', { id: id(20), channel_id: '100' }, ctx());
    expect(rs.channels['100']?.mentions).toBe(1);
    rs = applyReadEvent(rs, 'MESSAGE_DELETE_BULK', { ids: [id(21), '9'], channel_id: '100' }, ctx());
    expect(rs.channels['100']?.mentions).toBe(0);
    // A message that was not a counted mention changes nothing.
    expect(applyReadEvent(rs, 'MESSAGE_DELETE', { id: '9', channel_id: '100' }, ctx())).toBe(rs);
  });

  it('setMarker never moves backwards unless asked', () => {
    const rs = setMarker(emptyReadStates(), '100', id(30), 0);
    expect(setMarker(rs, '100', id(20), 0)).toBe(rs);
    expect(setMarker(rs, '100', id(20), 0, true).channels['100']?.lastReadId).toBe(id(20));
  });

  it('mentionsMe needs a user', () => {
    expect(mentionsMe({ mentions: [], mention_roles: [], mention_everyone: true }, null, [])).toBe(false);
  });
});

describe('unread selectors', () => {
  it('a channel with no marker is unread when its newest message is after I joined', () => {
    const s = world();
    expect(unreadInfo(s, emptyReadStates(), '100')).toEqual({ unread: true, mentions: 0 });
    expect(unreadInfo(s, emptyReadStates(), '101')).toEqual({ unread: false, mentions: 0 });
    // A voice channel is never unread.
    expect(unreadInfo(s, emptyReadStates(), '102').unread).toBe(false);
    // Older than my join: read.
    const old = { ...s, channels: { ...s.channels, '100': { ...s.channels['100']!, last_message_id: '5' } } };
    expect(unreadInfo(old, emptyReadStates(), '100').unread).toBe(false);
  });

  it('a marker at the newest message reads the channel; mentions make it unread', () => {
    const s = world();
    const rs = setMarker(emptyReadStates(), '100', id(10), 0);
    expect(unreadInfo(s, rs, '100').unread).toBe(false);
    const withMention: ReadStates = { channels: { '100': { lastReadId: id(10), mentions: 2, mentionIds: [] } } };
    expect(unreadInfo(s, withMention, '100')).toEqual({ unread: true, mentions: 2 });
    expect(guildUnreadInfo(s, withMention, '10')).toEqual({ unread: true, mentions: 2 });
    expect(totalMentions(s, withMention)).toBe(2);
    // A channel not in the chat state (hidden since) counts for nothing.
    expect(totalMentions(s, { channels: { '999': { lastReadId: null, mentions: 4, mentionIds: [] } } })).toBe(0);
  });

  it('newest message: the loaded history wins over last_message_id (a deleted newest)', () => {
    let s = world();
    expect(newestMessageId(s, '100')).toBe(id(10));
    s = historyLoaded(s, '100', [msg(id(8), '100'), msg(id(7), '100')], 50, null);
    expect(newestMessageId(s, '100')).toBe(id(8));
    expect(newestMessageId(s, 'nope')).toBeNull();
  });

  it('cmpId orders snowflakes numerically', () => {
    expect(cmpId('9', '10')).toBeLessThan(0);
    expect(cmpId('11', '10')).toBeGreaterThan(0);
    expect(cmpId('10', '10')).toBe(0);
  });
});
