import { describe, expect, it } from 'vitest';
import type { GuildEmoji } from '../api/endpoints/media';
import { buildSuggestions, customEmojiSuggestions, mergeEmojiSuggestions, EMOJI_SUGGESTIONS, type SuggestionSources } from './suggestions';
import { emptyState } from '../stores/chat';
import { emojiSections } from '../emoji/guild-emoji';
import { buildEmojiData } from '../emoji/data';
import type { Trigger } from '../autocomplete';
import type { Suggestion } from './rank';

const e = (id: string, name: string, animated = false): GuildEmoji => ({ id, name, roles: [], require_colons: true, managed: false, animated, available: true });
const sections = emojiSections({ '10': [e('1', 'partyblob'), e('2', 'wave')], '20': [e('3', 'party', true)] }, [{ id: '20', name: 'Other place' }, { id: '10', name: 'Home' }], '10');
const trig = (query: string): Trigger => ({ kind: ':', query, start: 0, end: query.length + 1 });
const data = buildEmojiData([{ label: 'party popper', hexcode: '1F389', emoji: '🎉', group: 6, order: 1, version: 1, tags: ['party'] }], { '1F389': 'tada' });

function sources(custom = sections): SuggestionSources {
  return { state: emptyState(), standing: { guildId: '10', guild: undefined, me: undefined, perms: null, canMentionEveryone: false }, fetchedMembers: undefined, emojiData: data, skinTone: 0, customEmoji: custom };
}

describe('custom emoji in the : autocomplete', () => {
  it('offers matching custom emoji with their image, inserting <:name:id> / <a:name:id>', () => {
    const list = customEmojiSuggestions(sections, 'party', '10');
    expect(list.map((s) => [s.label, s.insert, s.image, s.detail])).toEqual([
      [':party:', '<a:party:3>', '/emojis/3.gif', 'Other place'],
      [':partyblob:', '<:partyblob:1>', '/emojis/1.png', 'This community'],
    ]);
  });

  it('lists custom matches before unicode ones, even before the emoji data loads', () => {
    expect(buildSuggestions(trig('party'), sources()).map((s) => s.insert)).toEqual(['<a:party:3>', '<:partyblob:1>', '🎉']);
    expect(buildSuggestions(trig('wav'), { ...sources(), emojiData: null }).map((s) => s.insert)).toEqual(['<:wave:2>']);
    expect(buildSuggestions(trig('party'), { ...sources(), customEmoji: undefined }).map((s) => s.insert)).toEqual(['🎉']);
  });

  it('keeps room for unicode matches when there are many custom ones', () => {
    const many: Suggestion[] = Array.from({ length: 20 }, (_, i) => ({ key: 'c' + i, kind: 'emoji', label: '', detail: '', insert: 'c' + i }));
    const uni: Suggestion[] = Array.from({ length: 20 }, (_, i) => ({ key: 'u' + i, kind: 'emoji', label: '', detail: '', insert: 'u' + i }));
    const merged = mergeEmojiSuggestions(many, uni);
    expect(merged.length).toBe(EMOJI_SUGGESTIONS);
    expect(merged.filter((s) => s.key.startsWith('u')).length).toBe(5);
    expect(mergeEmojiSuggestions(many, uni.slice(0, 2)).filter((s) => s.key.startsWith('c')).length).toBe(EMOJI_SUGGESTIONS - 2);
  });
});
