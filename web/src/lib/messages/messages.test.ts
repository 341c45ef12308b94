import { describe, it, expect } from 'vitest';
import { buildRows, estimateRow, firstUnread, isSystemMessage } from './rows';
import { capabilities, capabilitiesFor } from './capabilities';
import { menuItems } from './menu';
import { headerTime, parseMessageLink, messagePath, reactionLabel, systemText, typingText } from './format';
import { placeFloating, placeTip } from './dom';
import { applyEvent, emptyState, type ChatMessage, type ChatState } from '../stores/chat';
import { P } from '../permissions';

const user = (id: string) => ({ id, username: 'u' + id, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' });
const msg = (id: string, author = '1', timestamp = '2026-11-23T10:00:00Z', extra: Partial<ChatMessage> = {}): ChatMessage =>
  ({ id, channel_id: '100', author: user(author), content: 'm' + id, timestamp, edited_timestamp: null, nonce: null, attachments: [], embeds: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false, type: 0, flags: 0, reactions: [], ...extra }) as unknown as ChatMessage;

describe('rows', () => {
  const opts = { hasMore: false, hasNewer: false, unreadFrom: null };
  const shape = (rows: ReturnType<typeof buildRows>) => rows.map((r) => (r.kind === 'message' ? `${r.key}${r.head ? '*' : ''}` : r.kind));

  it('groups consecutive messages by author within 7 minutes, with day separators', () => {
    const list = [
      msg('1', 'a', '2026-11-23T10:00:00'),
      msg('2', 'a', '2026-11-23T10:06:00'),
      msg('3', 'a', '2026-11-23T10:14:00'), // 8 minutes later: new group
      msg('4', 'b', '2026-11-23T10:15:00'),
      msg('5', 'b', '2026-11-24T09:00:00'), // another day
    ];
    expect(shape(buildRows(list, opts))).toEqual(['intro', 'day', '1*', '2', '3*', '4*', 'day', '5*']);
  });

  it('replies and system messages start their own group; loading rows mark unloaded ends', () => {
    const list = [msg('1', 'a'), msg('2', 'a', '2026-11-23T10:00:30', { type: 19 }), msg('3', 'a', '2026-11-23T10:01:00', { type: 24 }), msg('4', 'a', '2026-11-23T10:01:10')];
    expect(shape(buildRows(list, { ...opts, hasMore: true, hasNewer: true }))).toEqual(['loading', 'day', '1*', '2*', '3*', '4*', 'loading']);
  });

  it('the unread divider goes before the first unread message and breaks its group', () => {
    const list = [msg('10', 'a'), msg('11', 'b', '2026-11-23T10:00:10'), msg('12', 'b', '2026-11-23T10:00:20')];
    const from = firstUnread(list, '11', 'a');
    expect(from).toBe('12');
    expect(shape(buildRows(list, { ...opts, unreadFrom: from }))).toEqual(['intro', 'day', '10*', '11*', 'unread', '12*']);
  });

  it('firstUnread skips my own messages and needs a marker', () => {
    const list = [msg('10', 'a'), msg('11', 'me'), msg('12', 'b')];
    expect(firstUnread(list, '10', 'me')).toBe('12');
    expect(firstUnread(list, null, 'me')).toBeNull();
    expect(firstUnread(list, '12', 'me')).toBeNull();
    expect(firstUnread([msg('100', 'b')], '99', 'me')).toBe('100'); // ids compare as numbers
  });

  it('estimates grow with content, headers, replies and reactions', () => {
    const base = estimateRow({ kind: 'message', key: '1', message: msg('1'), head: false });
    const head = estimateRow({ kind: 'message', key: '1', message: msg('1'), head: true });
    const long = estimateRow({ kind: 'message', key: '1', message: msg('1', '1', undefined, { content: 'x'.repeat(400) }), head: false }, 80);
    const reacted = estimateRow({ kind: 'message', key: '1', message: msg('1', '1', undefined, { reactions: [{ count: 1, me: false, emoji: { id: null, name: '👍' } }] }), head: false });
    expect(head).toBeGreaterThan(base);
    expect(long).toBeGreaterThan(base * 3);
    expect(reacted).toBeGreaterThan(base);
  });

  it('compact rows are estimated shorter: the name shares the first line', () => {
    const row = (head: boolean) => ({ kind: 'message' as const, key: '1', message: msg('1'), head });
    expect(estimateRow(row(true), 80, true)).toBeLessThan(estimateRow(row(true), 80, false));
    expect(estimateRow(row(true), 80, true) - estimateRow(row(false), 80, true)).toBeLessThan(estimateRow(row(true)) - estimateRow(row(false)));
    expect(estimateRow({ kind: 'day', key: 'day-1', date: new Date() }, 80, true)).toBeLessThan(estimateRow({ kind: 'day', key: 'day-1', date: new Date() }));
  });

  it('types other than 0 and 19 are system messages', () => {
    expect(isSystemMessage({ type: 0 })).toBe(false);
    expect(isSystemMessage({ type: 19 })).toBe(false);
    expect(isSystemMessage({ type: 24 })).toBe(true);
    expect(isSystemMessage({ type: 7 })).toBe(true);
  });
});

function state(everyone: bigint, memberRoles: { id: string; bits: bigint }[] = [], overwrites: unknown[] = []): ChatState {
  let s = applyEvent(emptyState(), 'READY', { user: { ...user('1'), admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10',
    name: 'g',
    owner_id: '99',
    roles: [{ id: '10', name: '@everyone', position: 0, permissions: String(everyone), color: 0, hoist: false, managed: false, mentionable: false }, ...memberRoles.map((r, i) => ({ id: r.id, name: r.id, position: i + 1, permissions: String(r.bits), color: 0, hoist: false, managed: false, mentionable: false }))],
    channels: [{ id: '100', guild_id: '10', name: 'c', type: 0, position: 0, parent_id: null, permission_overwrites: overwrites }],
    members: [{ user: user('1'), nick: null, roles: memberRoles.map((r) => r.id), joined_at: '2026-01-01T00:00:00Z', communication_disabled_until: null }],
  });
  return s;
}

const MEMBER = P.VIEW_CHANNEL | P.SEND_MESSAGES | P.READ_MESSAGE_HISTORY | P.ADD_REACTIONS;

describe('capabilities', () => {
  it('a plain member: edit and delete only their own messages, no pin', () => {
    const s = state(MEMBER);
    const mine = capabilities(s, msg('1', '1'));
    const theirs = capabilities(s, msg('2', '2'));
    expect(mine).toMatchObject({ reply: true, react: true, edit: true, delete: true, pin: false });
    expect(theirs).toMatchObject({ reply: true, react: true, edit: false, delete: false, pin: false });
  });

  it('MANAGE_MESSAGES deletes and pins anyone’s; PIN_MESSAGES pins only', () => {
    expect(capabilities(state(MEMBER, [{ id: '20', bits: P.MANAGE_MESSAGES }]), msg('2', '2'))).toMatchObject({ delete: true, pin: true, edit: false });
    expect(capabilities(state(MEMBER, [{ id: '20', bits: P.PIN_MESSAGES }]), msg('2', '2'))).toMatchObject({ delete: false, pin: true });
  });

  it('a channel overwrite denying SEND_MESSAGES and ADD_REACTIONS hides reply and react', () => {
    const s = state(MEMBER, [], [{ id: '10', type: 0, allow: '0', deny: String(P.SEND_MESSAGES | P.ADD_REACTIONS) }]);
    expect(capabilities(s, msg('2', '2'))).toMatchObject({ reply: false, react: false, toggleReaction: true });
  });

  it('pending messages offer nothing but copying; AutoMod alerts are not deletable by their subject', () => {
    const s = state(MEMBER);
    expect(capabilities(s, msg('local-1', '1', undefined, { pending: true }))).toMatchObject({ reply: false, edit: false, delete: false, copy: true });
    expect(capabilities(s, msg('5', '1', undefined, { type: 24 }))).toMatchObject({ edit: false, delete: false, reply: false });
    expect(capabilitiesFor(msg('5', '1'), null, MEMBER).copy).toBe(false);
  });
});

describe('menu', () => {
  it('lists what the capabilities allow, Delete last and marked dangerous', () => {
    const caps = capabilitiesFor(msg('1', '1'), '1', MEMBER | P.MANAGE_MESSAGES);
    const items = menuItems(msg('1', '1'), caps);
    expect(items.map((i) => i.id)).toEqual(['react', 'edit', 'reply', 'pin', 'unread', 'copy-text', 'copy-link', 'delete']);
    expect(items.at(-1)?.danger).toBe(true);
    expect(menuItems({ ...msg('1', '1'), pinned: true }, caps).some((i) => i.id === 'unpin')).toBe(true);
    const theirs = menuItems(msg('2', '2'), capabilitiesFor(msg('2', '2'), '1', MEMBER));
    expect(theirs.map((i) => i.id)).toEqual(['react', 'reply', 'unread', 'copy-text', 'copy-link']);
  });
});

describe('format', () => {
  it('typing lines', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Alice'])).toBe('Alice is typing…');
    expect(typingText(['Alice', 'Bob'])).toBe('Alice and Bob are typing…');
    expect(typingText(['A', 'B', 'C'])).toBe('A, B and C are typing…');
    expect(typingText(['A', 'B', 'C', 'D'])).toBe('Several people are typing…');
  });

  it('message links round-trip and refuse other origins', () => {
    expect(messagePath('1', '2', '3')).toBe('/channels/1/2/3');
    expect(parseMessageLink('/channels/1/2/3')).toEqual({ guildId: '1', channelId: '2', messageId: '3' });
    expect(parseMessageLink('https://chat.example/channels/1/2/3', 'https://chat.example')).toEqual({ guildId: '1', channelId: '2', messageId: '3' });
    expect(parseMessageLink('https://evil.example/channels/1/2/3', 'https://chat.example')).toBeNull();
    expect(parseMessageLink('/channels/1/2')).toBeNull();
    expect(parseMessageLink('/channels/a/2/3')).toBeNull();
  });

  it('header times say today and yesterday', () => {
    const now = new Date(2026, 10, 23, 15, 0);
    expect(headerTime(new Date(2026, 10, 23, 10, 5), now, 'en-GB')).toBe('Today at 10:05');
    expect(headerTime(new Date(2026, 10, 22, 23, 59), now, 'en-GB')).toBe('Yesterday at 23:59');
    expect(headerTime(new Date(2026, 9, 1, 8, 0), now, 'en-GB')).toMatch(/01\/10\/2026/);
    expect(headerTime(new Date(2026, 10, 30, 23, 59), new Date(2026, 11, 1, 9, 0), 'en-GB')).toBe('Yesterday at 23:59');
  });

  it('reaction labels and system notices', () => {
    expect(reactionLabel('👍', 1, false)).toBe('👍: 1 reaction. Press to add yours');
    expect(reactionLabel('👍', 3, true)).toBe('👍: 3 reactions, including you. Press to remove yours');
    expect(reactionLabel('👍', 5, true, 'You, alice, bob and 2 others reacted with 👍')).toBe('You, alice, bob and 2 others reacted with 👍. Press to remove yours');
    expect(reactionLabel('👍', 1, false, 'alice reacted with 👍')).toBe('alice reacted with 👍. Press to add yours');
    expect(systemText({ type: 24 })).toContain('AutoMod');
    expect(systemText({ type: 7 })).toBe('joined the server.');
    expect(systemText({ type: 6 })).toBe('pinned a message to this channel.');
  });
});

describe('placeTip', () => {
  const vp = { width: 1000, height: 800 };
  it('centres above the anchor, flips below when the list top is in the way, stays in the viewport', () => {
    expect(placeTip({ left: 480, right: 520, top: 300, bottom: 330 }, { width: 200, height: 40 }, vp)).toEqual({ left: 400, top: 254, below: false });
    expect(placeTip({ left: 480, right: 520, top: 90, bottom: 120 }, { width: 200, height: 40 }, vp, { minTop: 60 })).toEqual({ left: 400, top: 126, below: true });
    expect(placeTip({ left: 0, right: 20, top: 300, bottom: 330 }, { width: 200, height: 40 }, vp)).toEqual({ left: 8, top: 254, below: false });
    expect(placeTip({ left: 990, right: 1000, top: 300, bottom: 330 }, { width: 200, height: 40 }, vp)).toEqual({ left: 792, top: 254, below: false });
  });
});

describe('placeFloating', () => {
  const vp = { width: 1000, height: 800 };
  it('goes below the anchor, right-aligned, and flips above near the bottom', () => {
    expect(placeFloating({ left: 500, right: 540, top: 100, bottom: 130 }, { width: 200, height: 300 }, vp)).toEqual({ left: 340, top: 134 });
    expect(placeFloating({ left: 500, right: 540, top: 700, bottom: 730 }, { width: 200, height: 300 }, vp)).toEqual({ left: 340, top: 396 });
  });
  it('stays inside the viewport', () => {
    expect(placeFloating({ left: 2, right: 20, top: 10, bottom: 20 }, { width: 200, height: 100 }, vp)).toEqual({ left: 8, top: 24 });
    expect(placeFloating({ left: 990, right: 990, top: 10, bottom: 10 }, { width: 200, height: 100 }, vp, { align: 'start' })).toEqual({ left: 792, top: 14 });
  });
});
