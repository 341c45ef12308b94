import { describe, expect, it } from 'vitest';
import { activeTrigger, buildSuggestions, emojiSuggestions, keepDismissal, mentionableChannels, popupTitle, triggerNeeds, type SuggestionSources } from './suggestions';
import { composerStanding } from './standing';
import { guildState, smallEmoji } from './test-fixtures';
import type { Member } from '../api/types';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const MENTION_EVERYONE = String(1n << 17n);

function sources(o: Partial<SuggestionSources> & { opts?: Parameters<typeof guildState>[0] } = {}): SuggestionSources {
  const state = guildState(o.opts);
  return { state, standing: composerStanding(state, '100', '1', NOW), fetchedMembers: undefined, emojiData: null, skinTone: 0, ...o };
}
const trig = (text: string) => activeTrigger(text, text.length, true, -1);

describe('the active trigger', () => {
  it('is the trigger at the caret while focused and not dismissed', () => {
    expect(activeTrigger('hi @bo', 6, true, -1)).toMatchObject({ kind: '@', query: 'bo', start: 3 });
    expect(activeTrigger('hi @bo', 6, false, -1)).toBeNull();
    expect(activeTrigger('hi @bo', 6, true, 3)).toBeNull();
    expect(activeTrigger('hi @bo #ga', 10, true, 3)).toMatchObject({ kind: '#', start: 7 });
  });

  it('a dismissal holds while the caret stays in its trigger, and ends when it leaves', () => {
    expect(keepDismissal(-1, 'see #ga', 7)).toBe(-1);
    expect(keepDismissal(4, 'see #gam', 8)).toBe(4);
    expect(keepDismissal(4, 'see #gam ', 9)).toBe(-1);
    expect(keepDismissal(4, 'see #gam #gen', 13)).toBe(-1);
  });

  it('says what must be fetched first', () => {
    expect(triggerNeeds(trig('@a'), '10', false)).toEqual({ membersOf: '10', emoji: false });
    expect(triggerNeeds(trig('@a'), null, false)).toEqual({ membersOf: null, emoji: false });
    expect(triggerNeeds(trig(':pi'), '10', false)).toEqual({ membersOf: null, emoji: true });
    expect(triggerNeeds(trig(':pi'), '10', true)).toEqual({ membersOf: null, emoji: false });
    expect(triggerNeeds(null, '10', false)).toEqual({ membersOf: null, emoji: false });
  });
});

describe('buildSuggestions', () => {
  it('@ offers members (online first), then mentionable roles; @everyone only with the permission', () => {
    const list = buildSuggestions(trig('@b'), sources());
    expect(list.map((s) => s.key)).toEqual(['u2', 'r50']);
    expect(list[0]).toMatchObject({ kind: 'user', label: 'Bobby', insert: '<@2>', status: 'online' });
    const all = buildSuggestions(trig('@'), sources({ opts: { myRoles: [['60', MENTION_EVERYONE]] } }));
    expect(all.filter((s) => s.kind === 'everyone').map((s) => s.label)).toEqual(['@everyone', '@here']);
    // MENTION_EVERYONE also allows roles that are not mentionable
    expect(all.some((s) => s.key === 'r51')).toBe(true);
    expect(buildSuggestions(trig('@'), sources()).some((s) => s.kind === 'everyone' || s.key === 'r51')).toBe(false);
  });

  it('@ includes members fetched for autocomplete, the live cache winning', () => {
    const carl = { user: { id: '3', username: 'carl', global_name: null }, nick: null, roles: [] } as unknown as Member;
    const staleBob = { user: { id: '2', username: 'bob', global_name: 'Old Bob' }, nick: null, roles: [] } as unknown as Member;
    const list = buildSuggestions(trig('@'), sources({ fetchedMembers: { '3': carl, '2': staleBob } }));
    expect(list.filter((s) => s.kind === 'user').map((s) => s.label)).toEqual(['Bobby', 'Ada', 'carl']);
  });

  it('# offers the text and announcement channels I can see, with their category', () => {
    const list = buildSuggestions(trig('#'), sources());
    expect(list.map((s) => s.label)).toEqual(['general', 'gaming', 'news']);
    expect(list.find((s) => s.label === 'news')).toMatchObject({ detail: 'Info', insert: '<#105>' });
    expect(buildSuggestions(trig('#ga'), sources()).map((s) => s.label)).toEqual(['gaming']);
  });

  it('# offers hidden channels too while my standing is unknown', () => {
    const src = sources({ opts: { withoutMe: true } });
    expect(buildSuggestions(trig('#'), src).map((s) => s.label)).toContain('secret');
    expect(mentionableChannels(src.state, { ...src.standing, guildId: null })).toEqual([]);
  });

  it(': offers emoji once the data is loaded, in my skin tone', () => {
    expect(buildSuggestions(trig(':pi'), sources())).toEqual([]);
    const data = smallEmoji();
    expect(buildSuggestions(trig(':pi'), sources({ emojiData: data }))[0]).toMatchObject({ kind: 'emoji', label: ':pizza:', detail: 'pizza', insert: '🍕', emoji: '🍕' });
    const thumbs = emojiSuggestions(data, 'thumbs', 3);
    expect(thumbs[0]).toMatchObject({ label: ':thumbsup:', insert: '👍🏽' });
    expect(emojiSuggestions(data, 'thumbs', 0)[0]?.insert).toBe('👍️');
  });

  it('offers nothing without a trigger or outside a guild', () => {
    expect(buildSuggestions(null, sources())).toEqual([]);
    const src = sources();
    expect(buildSuggestions(trig('@b'), { ...src, standing: { ...src.standing, guildId: null } })).toEqual([]);
  });

  it('reads only the sources its trigger needs', () => {
    const read: string[] = [];
    const base = sources({ emojiData: smallEmoji() });
    const spy = Object.fromEntries(Object.keys(base).map((k) => [k, k])) as Record<keyof SuggestionSources, string>;
    const lazy = {} as SuggestionSources;
    for (const k of Object.keys(spy) as (keyof SuggestionSources)[]) Object.defineProperty(lazy, k, { get: () => (read.push(k), base[k]) });
    buildSuggestions(trig(':pi'), lazy);
    expect(read).not.toContain('state');
    expect(read).not.toContain('fetchedMembers');
    read.length = 0;
    buildSuggestions(trig('@b'), lazy);
    expect(read).not.toContain('emojiData');
  });
});

describe('popupTitle', () => {
  it('names the list after its trigger', () => {
    expect(popupTitle(trig('@b'))).toBe('Members and roles');
    expect(popupTitle(trig('#g'))).toBe('Text channels');
    expect(popupTitle(trig(':piz'))).toBe('Emoji matching :piz');
    expect(popupTitle(null)).toBe('Members and roles');
  });
});
