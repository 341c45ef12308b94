import { describe, it, expect } from 'vitest';
import type { Member } from '../api/types';
import { memberMatches, mergeMembers, nextCursor, searchMembers } from './members';

const m = (id: string, username: string, global_name: string | null = null, nick: string | null = null): Member => ({
  user: { id, username, global_name, bio: '', pronouns: '', avatar: null, bot: false, created_at: '' },
  nick,
  roles: [],
  joined_at: '',
  pending: false,
  communication_disabled_until: null,
});

describe('member paging and search', () => {
  it('merges pages in id order and finds the next cursor', () => {
    const a = mergeMembers([m('10', 'a'), m('9', 'b')], [m('100', 'c'), m('10', 'a2')]);
    expect(a.map((x) => x.user.id)).toEqual(['9', '10', '100']);
    expect(a[1]?.user.username).toBe('a2');
    expect(nextCursor([m('5', 'x'), m('7', 'y')], 2, (x) => x.user.id)).toBe('7');
    expect(nextCursor([m('5', 'x')], 2, (x) => x.user.id)).toBeNull();
  });

  it('matches username, display name, nickname (ignoring case and accents) or the exact id', () => {
    const list = [m('1', 'alice', 'Alice Liddell'), m('2', 'bob', null, 'Bobby'), m('3', 'renée'), m('4', 'malice')];
    expect(memberMatches(list[2] as Member, 'RENEE')).toBe(true);
    expect(memberMatches(list[1] as Member, '@bobb')).toBe(true);
    expect(memberMatches(list[1] as Member, '2')).toBe(true);
    expect(memberMatches(list[1] as Member, '3')).toBe(false);
    expect(searchMembers(list, 'alice').map((x) => x.user.id)).toEqual(['1', '4']);
    expect(searchMembers(list, 'lid').map((x) => x.user.id)).toEqual(['1']);
    expect(searchMembers(list, '').length).toBe(4);
  });
});
