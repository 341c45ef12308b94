import { describe, expect, it } from 'vitest';
import { matchTier, membersForMention, mentionSuggestions, rankChannels, rankEveryone, rankMembers, rankRoles } from './rank';
import type { Channel, Member, Role } from '../api/types';

function member(id: string, username: string, extra: { nick?: string | null; global_name?: string | null } = {}): Member {
  return {
    user: { id, username, global_name: extra.global_name ?? null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' },
    nick: extra.nick ?? null,
    roles: [],
    joined_at: '2026-01-01T00:00:00Z',
    pending: false,
  } as Member;
}

function role(id: string, name: string, position: number, mentionable: boolean): Role {
  return { id, name, position, mentionable, color: 0, hoist: false, permissions: '0', managed: false } as Role;
}

function channel(id: string, name: string, position: number, parent: string | null = null): Channel {
  return { id, name, position, type: 0, guild_id: 'g', parent_id: parent, nsfw: false, rate_limit_per_user: 0, permission_overwrites: [] } as unknown as Channel;
}

describe('ranking', () => {
  it('matchTier orders exact, prefix, word prefix, substring', () => {
    expect(matchTier('ada', 'Ada')).toBe(0);
    expect(matchTier('ad', 'Ada')).toBe(1);
    expect(matchTier('love', 'Ada Lovelace')).toBe(2);
    expect(matchTier('vel', 'Ada Lovelace')).toBe(3);
    expect(matchTier('zz', 'Ada')).toBeNull();
    expect(matchTier('zoe', 'Zoë')).toBe(0);
  });

  it('ranks members: prefix before substring, then online first, matching nick, global name and username', () => {
    const ms = [
      member('1', 'malan'), // substring "lan", online
      member('2', 'lana'), // prefix, offline
      member('3', 'xyz', { nick: 'Landon' }), // prefix via nick, online
      member('4', 'qq', { global_name: 'Roland' }), // substring via global name
      member('5', 'nobody'),
    ];
    const presences = { '1': 'online', '3': 'idle' };
    const r = rankMembers(ms, presences, 'lan');
    expect(r.map((s) => s.key)).toEqual(['u3', 'u2', 'u1', 'u4']);
    expect(r[0]).toMatchObject({ label: 'Landon', detail: 'xyz', insert: '<@3>', status: 'idle' });
    expect(r[1]?.status).toBe('offline');
  });

  it('lists everyone online first for a bare @', () => {
    const r = rankMembers([member('1', 'bob'), member('2', 'amy'), member('3', 'cat')], { '3': 'online' }, '');
    expect(r.map((s) => s.label)).toEqual(['cat', 'amy', 'bob']);
  });

  it('offers mentionable roles, or every role with MENTION_EVERYONE, never @everyone', () => {
    const roles = [role('g', '@everyone', 0, true), role('r1', 'Mods', 3, false), role('r2', 'Movie night', 1, true)];
    expect(rankRoles(roles, 'g', 'mo', false).map((s) => s.insert)).toEqual(['<@&r2>']);
    expect(rankRoles(roles, 'g', 'mo', true).map((s) => s.insert)).toEqual(['<@&r1>', '<@&r2>']);
    expect(rankRoles(roles, 'g', 'every', true)).toEqual([]);
  });

  it('offers @everyone and @here only with MENTION_EVERYONE', () => {
    expect(rankEveryone('', false)).toEqual([]);
    expect(rankEveryone('', true).map((s) => s.insert)).toEqual(['@everyone', '@here']);
    expect(rankEveryone('he', true).map((s) => s.insert)).toEqual(['@here']);
  });

  it('puts members, then roles, then @everyone/@here', () => {
    const r = mentionSuggestions({
      query: 'e',
      members: [member('1', 'eve')],
      presences: {},
      roles: [role('r', 'editors', 1, true)],
      guildId: 'g',
      canMentionEveryone: true,
    });
    expect(r.map((s) => s.kind)).toEqual(['user', 'role', 'everyone', 'everyone']);
    expect(r.map((s) => s.insert).slice(2)).toEqual(['@everyone', '@here']);
  });

  it('ranks channels by tier, then sidebar order, with the category as detail', () => {
    const chans = [channel('1', 'off-topic', 0), channel('2', 'general', 1, 'cat'), channel('3', 'gen-art', 2)];
    const r = rankChannels(chans, 'gen', (c) => (c.parent_id ? 'Text' : ''));
    expect(r.map((s) => s.insert)).toEqual(['<#2>', '<#3>']);
    expect(r[0]?.detail).toBe('Text');
    expect(rankChannels(chans, 'topic', () => '').map((s) => s.insert)).toEqual(['<#1>']);
  });
});

describe('membersForMention', () => {
  it('merges the fetched copy with the live cache, the live one winning', () => {
    const m = (id: string, nick: string | null) => ({ user: { id, username: 'u' + id, global_name: null }, nick, roles: [] }) as unknown as Member;
    expect(membersForMention(undefined, { '1': m('1', null) }).map((x) => x.user.id)).toEqual(['1']);
    expect(membersForMention(undefined, undefined)).toEqual([]);
    const merged = membersForMention({ '1': m('1', 'old'), '2': m('2', null) }, { '1': m('1', 'new') });
    expect(merged.map((x) => [x.user.id, x.nick])).toEqual([
      ['1', 'new'],
      ['2', null],
    ]);
  });
});
