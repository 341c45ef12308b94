import { describe, expect, it } from 'vitest';
import {
  applySuggestion,
  completeShortcode,
  contentLength,
  detectTrigger,
  inCode,
  insertAt,
  matchTier,
  mentionSuggestions,
  rankChannels,
  rankEveryone,
  rankMembers,
  rankRoles,
  replaceShortcodes,
} from './autocomplete';
import type { Channel, Member, Role } from './api/types';

const at = (s: string) => detectTrigger(s.replace('|', ''), s.indexOf('|'));

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

describe('detectTrigger', () => {
  it('finds @, # and : at the caret with their query and word end', () => {
    expect(at('hi @al|')).toEqual({ kind: '@', query: 'al', start: 3, end: 6 });
    expect(at('@|')).toEqual({ kind: '@', query: '', start: 0, end: 1 });
    expect(at('see #gen|')).toEqual({ kind: '#', query: 'gen', start: 4, end: 8 });
    expect(at('nice :smi|')).toEqual({ kind: ':', query: 'smi', start: 5, end: 9 });
    // caret inside a word: the whole word is replaced
    expect(at('@al|ice rest')).toEqual({ kind: '@', query: 'al', start: 0, end: 6 });
  });

  it('needs a boundary before the trigger', () => {
    expect(at('mail ada@exa|')).toBeNull();
    expect(at('C#|')).toBeNull();
    expect(at('**@bo|')).toMatchObject({ kind: '@', query: 'bo' });
    expect(at('(#ge|')).toMatchObject({ kind: '#', query: 'ge' });
    expect(at('<@123|')).toBeNull();
  });

  it('ends at whitespace and at the length bound', () => {
    expect(at('@ali ce|')).toBeNull();
    expect(at('@' + 'a'.repeat(32) + '|')).toMatchObject({ kind: '@' });
    expect(at('@' + 'a'.repeat(33) + '|')).toBeNull();
  });

  it('requires two shortcode characters for emoji and ignores times and URLs', () => {
    expect(at(':s|')).toBeNull();
    expect(at(':sm|')).toMatchObject({ kind: ':', query: 'sm' });
    expect(at('at 12:30|')).toBeNull();
    expect(at('https://ex|')).toBeNull();
    expect(at(':hello world|')).toBeNull();
    expect(at(':smile:|')).toBeNull();
    expect(at('😄:gr|')).toMatchObject({ kind: ':', query: 'gr' });
  });

  it('does not trigger inside code', () => {
    expect(at('`@ad|')).toBeNull();
    expect(at('```\n#gen|')).toBeNull();
    expect(at('`x` @ad|')).toMatchObject({ kind: '@' });
    expect(inCode('```a``` b', 8)).toBe(false);
  });
});

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

describe('insertion', () => {
  it('replaces the trigger word, adds a space and puts the caret after it', () => {
    const text = 'hi @al';
    const t = detectTrigger(text, text.length)!;
    expect(applySuggestion(text, t, '<@1>')).toEqual({ text: 'hi <@1> ', caret: 8 });
  });

  it('keeps an existing space and replaces a word the caret is inside', () => {
    const text = 'hi @alx there';
    const t = detectTrigger(text, 6)!;
    expect(applySuggestion(text, t, '<@1>')).toEqual({ text: 'hi <@1> there', caret: 8 });
  });

  it('inserts emoji in place of :query', () => {
    const text = 'so :smi';
    const t = detectTrigger(text, text.length)!;
    expect(applySuggestion(text, t, '😄')).toEqual({ text: 'so 😄 ', caret: 3 + '😄'.length + 1 });
  });

  it('insertAt replaces the selection', () => {
    expect(insertAt('abcd', 1, 3, 'X')).toEqual({ text: 'aXd', caret: 2 });
    expect(insertAt('ab', 5, 9, '!')).toEqual({ text: 'ab!', caret: 3 });
  });
});

describe('shortcodes', () => {
  const lookup = (c: string) => ({ smile: '😄', '100': '💯', thumbsup: '👍' })[c];

  it('converts :code: as the closing colon is typed', () => {
    expect(completeShortcode('hi :smile:', 10, lookup)).toEqual({ text: 'hi 😄', caret: 3 + '😄'.length, emoji: '😄' });
    expect(completeShortcode('hi :nope:', 9, lookup)).toBeNull();
    expect(completeShortcode('at 12:100:', 10, lookup)).toBeNull();
    expect(completeShortcode('`:smile:', 8, lookup)).toBeNull();
  });

  it('converts every :code: on send except in code, <…> tokens and URLs', () => {
    expect(replaceShortcodes(':smile: and :thumbsup::smile:', lookup)).toBe('😄 and 👍😄');
    expect(replaceShortcodes('`:smile:` <t:100:R> https://x.org/:smile: :unknown:', lookup)).toBe('`:smile:` <t:100:R> https://x.org/:smile: :unknown:');
    expect(replaceShortcodes('```\n:smile:\n``` :100:', lookup)).toBe('```\n:smile:\n``` 💯');
    expect(replaceShortcodes('a:smile:', lookup)).toBe('a:smile:');
  });
});

describe('contentLength', () => {
  it('counts Unicode scalar values like the server', () => {
    expect(contentLength('abc')).toBe(3);
    expect(contentLength('😄😄')).toBe(2);
  });
});
