import { describe, it, expect } from 'vitest';
import { applyEvent, emptyState, type ChatState } from './stores/chat';
import { emptyReadStates, type ReadStates } from './stores/readstate';
import { buildItems, fuzzyScore, rank } from './switcher';

const user = (id: string, username: string) => ({ id, username, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2025-06-01T00:00:00Z' });
const member = (id: string, username: string, nick: string | null = null) => ({ user: user(id, username), roles: [], joined_at: '2025-06-01T00:00:00Z', nick, pending: false });
const ch = (id: string, guild: string, name: string, position: number, last: string | null = null, type = 0) => ({ id, type, guild_id: guild, name, position, last_message_id: last, permission_overwrites: [] });

function world(): ChatState {
  let s = applyEvent(emptyState(), 'READY', { user: { ...user('1', 'me'), admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }, { id: '20' }] });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10', name: 'Hearthside', owner_id: '1', roles: [], member_count: 3,
    channels: [ch('100', '10', 'general', 0), ch('101', '10', 'random', 1, '999999999999'), ch('102', '10', 'voice-chat', 2, null, 2)],
    members: [member('1', 'me'), member('2', 'bob', 'Bobby')], presences: [],
  });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '20', name: 'Rustaceans', owner_id: '3', roles: [], member_count: 2,
    channels: [ch('200', '20', 'general-help', 0), ch('201', '20', 'announcements', 1, '999999999998')],
    members: [member('1', 'me'), member('2', 'bob', 'Bob R'), member('3', 'carol')], presences: [],
  });
  return s;
}

// Markers at each channel's newest message except #random (unread) and #announcements (2 mentions).
function reads(): ReadStates {
  return { channels: { '100': { lastReadId: '1', mentions: 0, mentionIds: [] }, '200': { lastReadId: '1', mentions: 0, mentionIds: [] }, '201': { lastReadId: '5', mentions: 2, mentionIds: [] } } };
}

describe('fuzzyScore', () => {
  it('ranks exact > prefix > word start > substring > subsequence, and rejects non-matches', () => {
    const exact = fuzzyScore('general', 'general')!;
    const prefix = fuzzyScore('gen', 'general')!;
    const word = fuzzyScore('help', 'general-help')!;
    const sub = fuzzyScore('era', 'general')!;
    const subseq = fuzzyScore('gnl', 'general')!;
    expect(exact).toBeGreaterThan(prefix);
    expect(prefix).toBeGreaterThan(word);
    expect(word).toBeGreaterThan(sub);
    expect(sub).toBeGreaterThan(subseq);
    expect(subseq).toBeGreaterThan(0);
    expect(fuzzyScore('xyz', 'general')).toBeNull();
    expect(fuzzyScore('GEN', 'General')).toBe(prefix);
  });
});

describe('switcher items and ranking', () => {
  it('lists text channels with their guild, guilds, and each other member once (not me)', () => {
    const items = buildItems(world(), emptyReadStates());
    const channels = items.filter((i) => i.kind === 'channel');
    expect(channels.map((c) => c.name)).toEqual(['general', 'random', 'general-help', 'announcements']);
    expect(channels[2]).toMatchObject({ guildName: 'Rustaceans', guildId: '20' });
    expect(items.filter((i) => i.kind === 'guild').map((g) => g.name)).toEqual(['Hearthside', 'Rustaceans']);
    const members = items.filter((i) => i.kind === 'member');
    expect(members.map((m) => m.name)).toEqual(['Bobby', 'carol']);
  });

  it('prefers the current guild\u2019s copy of a member', () => {
    const members = buildItems(world(), emptyReadStates(), {}, '20').filter((i) => i.kind === 'member');
    expect(members.find((m) => m.id === '2')?.name).toBe('Bob R');
  });

  it('adds paged members', () => {
    const items = buildItems(world(), emptyReadStates(), { '10': { '4': member('4', 'dave') } });
    expect(items.some((i) => i.kind === 'member' && i.username === 'dave')).toBe(true);
  });

  it('an empty query lists unread channels first, mentions first, and leaves out the open channel', () => {
    const items = buildItems(world(), reads());
    const out = rank(items, '', { currentGuildId: '10', currentChannelId: '100' });
    expect(out.map((i) => i.name)).toEqual(['announcements', 'random', 'general-help']);
  });

  it('a query matches channels, guilds and members (by username too), best first', () => {
    const items = buildItems(world(), reads());
    expect(rank(items, 'gen', { currentGuildId: '20' }).map((i) => i.name).slice(0, 2)).toEqual(['general-help', 'general']);
    expect(rank(items, 'gen', { currentGuildId: '10' })[0]?.name).toBe('general');
    expect(rank(items, 'carol')[0]).toMatchObject({ kind: 'member', name: 'carol' });
    expect(rank(items, 'bob')[0]).toMatchObject({ kind: 'member', name: 'Bobby' });
    expect(rank(items, 'rust')[0]).toMatchObject({ kind: 'guild', name: 'Rustaceans' });
    expect(rank(items, 'zzz')).toEqual([]);
  });

  it('sigils search one kind', () => {
    const items = buildItems(world(), reads());
    expect(rank(items, '#').every((i) => i.kind === 'channel')).toBe(true);
    expect(rank(items, '*').map((i) => i.name)).toEqual(['Rustaceans', 'Hearthside']);
    expect(rank(items, '@ b').map((i) => i.kind)).toEqual(['member']);
    expect(rank(items, '#h').every((i) => i.kind === 'channel')).toBe(true);
  });

  it('limits the results', () => {
    expect(rank(buildItems(world(), reads()), 'e', { limit: 2 })).toHaveLength(2);
  });
});
