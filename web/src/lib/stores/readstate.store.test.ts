import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { get } from 'svelte/store';
import { chat, selection } from '../app';
import { applyEvent, emptyState, historyLoaded, type ChatMessage } from './chat';
import { flushAcks, lastReadId, markGuildRead, markRead, markUnread, readStateDispatch, readStates, resetReadStates, setAtBottom } from './readstate';

const me = { id: '1', username: 'me', global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '' };
const bob = { ...me, id: '2', username: 'bob' };
const msg = (id: string, author = bob, extra: Partial<ChatMessage> = {}) =>
  ({ id, channel_id: '100', author, content: 'x', timestamp: '', edited_timestamp: null, nonce: null, mentions: [], mention_roles: [], mention_everyone: false, reactions: [], ...extra }) as unknown as ChatMessage;

let calls: string[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  calls = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push(`${init.method} ${new URL(url, 'http://x').pathname}${url.includes('?') ? '?' + url.split('?')[1] : ''}`);
    if (url.includes('/messages?')) return new Response(JSON.stringify([msg('40')]), { status: 200, headers: { 'Content-Type': 'application/json' } });
    return new Response(null, { status: 204 });
  });
  let s = applyEvent(emptyState(), 'READY', { user: { ...me, admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10', name: 'G', owner_id: '2', roles: [], member_count: 2,
    channels: [{ id: '100', type: 0, guild_id: '10', name: 'general', position: 0, last_message_id: '50', permission_overwrites: [] }, { id: '101', type: 0, guild_id: '10', name: 'b', position: 1, last_message_id: '70', permission_overwrites: [] }],
    members: [{ user: me, roles: [], joined_at: '2025-01-01T00:00:00Z', nick: null, pending: false }], presences: [],
  });
  chat.set(s);
  selection.set({ guildId: '10', channelId: '100' });
  resetReadStates();
  readStateDispatch('READY', { read_state: [{ id: '100', last_message_id: '10', mention_count: 1 }] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('read state store', () => {
  it('markRead moves the marker at once and sends one coalesced ack', async () => {
    expect(lastReadId('100')).toBe('10');
    markRead('100');
    expect(lastReadId('100')).toBe('50');
    expect(get(readStates).channels['100']?.mentions).toBe(0);
    chat.update((s) => applyEvent(s, 'MESSAGE_CREATE', msg('60')));
    markRead('100');
    markRead('100');
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual(['POST /api/v1/channels/100/messages/60/ack']);
  });

  it('never moves backwards from markRead, and an older ack echo does not undo a newer pending one', async () => {
    markRead('100');
    readStateDispatch('MESSAGE_ACK', { channel_id: '100', message_id: '20', mention_count: 0 });
    expect(lastReadId('100')).toBe('50');
    await vi.advanceTimersByTimeAsync(1000);
    // From another session, later: accepted even backwards (mark unread elsewhere).
    readStateDispatch('MESSAGE_ACK', { channel_id: '100', message_id: '30', mention_count: 2 });
    expect(lastReadId('100')).toBe('30');
    expect(get(readStates).channels['100']?.mentions).toBe(2);
  });

  it('my own message reads the channel; in the open channel it is acked', async () => {
    const mine = msg('80', me);
    chat.update((s) => applyEvent(s, 'MESSAGE_CREATE', mine));
    readStateDispatch('MESSAGE_CREATE', mine);
    expect(lastReadId('100')).toBe('80');
    flushAcks();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['POST /api/v1/channels/100/messages/80/ack']);
  });

  it('someone else\u2019s message in a channel I am not reading stays unread', async () => {
    selection.set({ guildId: '10', channelId: '101' });
    const m = msg('90', bob, { mentions: [me] });
    chat.update((s) => applyEvent(s, 'MESSAGE_CREATE', m));
    readStateDispatch('MESSAGE_CREATE', m);
    expect(lastReadId('100')).toBe('10');
    expect(get(readStates).channels['100']?.mentions).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual([]);
  });

  it('mark unread moves the marker back to the previous message and holds it against automatic reads', async () => {
    chat.update((s) => historyLoaded(s, '100', [msg('50'), msg('45', bob, { mentions: [me] }), msg('40')], 50, null));
    markRead('100');
    await vi.advanceTimersByTimeAsync(1000);
    calls = [];
    await markUnread('100', '45');
    expect(lastReadId('100')).toBe('40');
    expect(get(readStates).channels['100']?.mentions).toBe(1);
    expect(calls).toEqual(['POST /api/v1/channels/100/messages/40/ack']);
    markRead('100');
    expect(lastReadId('100')).toBe('40');
    markRead('100', { force: true });
    expect(lastReadId('100')).toBe('50');
  });

  it('mark unread fetches the message before when it is not loaded', async () => {
    await markUnread('100', '45');
    expect(calls[0]).toBe('GET /api/v1/channels/100/messages?before=45&limit=1');
    expect(lastReadId('100')).toBe('40');
  });

  it('marks a whole guild read', async () => {
    setAtBottom(true);
    markGuildRead('10');
    expect(lastReadId('100')).toBe('50');
    expect(lastReadId('101')).toBe('70');
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.sort()).toEqual(['POST /api/v1/channels/100/messages/50/ack', 'POST /api/v1/channels/101/messages/70/ack']);
  });
});
