import { afterEach, describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import type { GuildEmoji } from '../api/endpoints/media';
import { chat } from '../app';
import { applyEvent, emptyState } from './chat';
import { applyEmojiEvent, customEmojiById, customEmojis, emojiDeleted, emojiDispatch, emojiSaved, emojiStateFrom } from './emojis';
import { emojiSections, railGuilds, searchCustomEmoji } from '../emoji/guild-emoji';

const e = (id: string, name: string, extra: Partial<GuildEmoji> = {}): GuildEmoji => ({ id, name, roles: [], require_colons: true, managed: false, animated: false, available: true, ...extra });
const guild = (id: string, name: string, emojis?: GuildEmoji[]) => ({ id, name, owner_id: '1', roles: [], channels: [], members: [], ...(emojis ? { emojis } : {}) });

afterEach(() => customEmojis.set({}));

describe('the emoji reducer', () => {
  it('fills from GUILD_CREATE, replaces on GUILD_EMOJIS_UPDATE, drops on GUILD_DELETE', () => {
    let s = applyEmojiEvent({}, 'GUILD_CREATE', guild('10', 'A', [e('1', 'party')]));
    s = applyEmojiEvent(s, 'GUILD_CREATE', guild('20', 'B', [e('2', 'wave')]));
    expect(s['10']?.map((x) => x.name)).toEqual(['party']);
    s = applyEmojiEvent(s, 'GUILD_EMOJIS_UPDATE', { guild_id: '10', emojis: [e('1', 'fiesta'), e('3', 'cat')] });
    expect(s['10']?.map((x) => x.name)).toEqual(['fiesta', 'cat']);
    s = applyEmojiEvent(s, 'GUILD_DELETE', { id: '10' });
    expect(Object.keys(s)).toEqual(['20']);
  });

  it('treats a guild without an emoji list as having none, and leaves it alone on GUILD_UPDATE without one', () => {
    let s = applyEmojiEvent({}, 'GUILD_CREATE', guild('10', 'A'));
    expect(s['10']).toEqual([]);
    s = applyEmojiEvent(s, 'GUILD_EMOJIS_UPDATE', { guild_id: '10', emojis: [e('1', 'party')] });
    expect(applyEmojiEvent(s, 'GUILD_UPDATE', guild('10', 'A'))).toBe(s);
    expect(applyEmojiEvent(s, 'GUILD_UPDATE', guild('10', 'A', []))['10']).toEqual([]);
  });

  it('READY keeps lists of the guilds still listed (until their GUILD_CREATE) and forgets the others', () => {
    let s = applyEmojiEvent({}, 'GUILD_CREATE', guild('10', 'A', [e('1', 'party')]));
    s = applyEmojiEvent(s, 'GUILD_CREATE', guild('20', 'B', [e('2', 'wave')]));
    s = applyEmojiEvent(s, 'READY', { user: {}, guilds: [{ id: '10', unavailable: true }, guild('30', 'C', [e('3', 'hi')])] });
    expect(Object.keys(s).sort()).toEqual(['10', '30']);
  });

  it('ignores other events without copying', () => {
    const s = { '10': [e('1', 'party')] };
    expect(applyEmojiEvent(s, 'MESSAGE_CREATE', {})).toBe(s);
    expect(applyEmojiEvent(s, 'GUILD_DELETE', { id: '99' })).toBe(s);
  });

  it('shows saves and deletions at once', () => {
    let s = emojiSaved({}, '10', e('1', 'party'));
    s = emojiSaved(s, '10', e('1', 'fiesta'));
    s = emojiSaved(s, '10', e('2', 'wave'));
    expect(s['10']?.map((x) => x.name)).toEqual(['fiesta', 'wave']);
    expect(emojiDeleted(s, '10', '1')['10']?.map((x) => x.id)).toEqual(['2']);
    expect(emojiDeleted(s, '10', '99')).toBe(s);
  });
});

describe('the emoji store', () => {
  it('follows gateway dispatches and indexes emoji by id', () => {
    emojiDispatch('GUILD_CREATE', guild('10', 'A', [e('1', 'party', { animated: true })]));
    expect(get(customEmojiById).get('1')).toMatchObject({ guildId: '10', emoji: { name: 'party', animated: true } });
    emojiDispatch('GUILD_EMOJIS_UPDATE', { guild_id: '10', emojis: [] });
    expect(get(customEmojiById).size).toBe(0);
  });

  it('can start from the guilds the chat state already holds', () => {
    let s = applyEvent(emptyState(), 'READY', { user: { id: '1' }, guilds: [{ id: '10' }] });
    s = applyEvent(s, 'GUILD_CREATE', guild('10', 'A', [e('1', 'party')]));
    chat.set(s);
    expect(emojiStateFrom(get(chat))['10']?.map((x) => x.name)).toEqual(['party']);
    chat.set(emptyState());
  });
});

describe('emoji sections and search', () => {
  const state = { '10': [e('1', 'party'), e('2', 'partyhat')], '20': [e('3', 'party_blob'), e('4', 'gone', { available: false })], '30': [] };
  const guilds = [
    { id: '20', name: 'B' },
    { id: '10', name: 'A' },
    { id: '30', name: 'C' },
  ];

  it('lists the current guild first, then rail order, without empty guilds or unavailable emoji', () => {
    const secs = emojiSections(state, guilds, '10');
    expect(secs.map((s) => [s.guildName, s.emojis.map((x) => x.name)])).toEqual([
      ['A', ['party', 'partyhat']],
      ['B', ['party_blob']],
    ]);
    expect(emojiSections(state, guilds, null).map((s) => s.guildId)).toEqual(['20', '10']);
  });

  it('finds by name: exact first, then prefix, then the current guild', () => {
    const secs = emojiSections(state, guilds, '20');
    expect(searchCustomEmoji(secs, ':party', '20').map((f) => f.emoji.name)).toEqual(['party', 'party_blob', 'partyhat']);
    expect(searchCustomEmoji(secs, 'blob', '20').map((f) => f.emoji.name)).toEqual(['party_blob']);
    expect(searchCustomEmoji(secs, '  ', '20')).toEqual([]);
    expect(searchCustomEmoji(secs, 'party', '20', 1).length).toBe(1);
  });

  it('takes guild names and order from the chat state', () => {
    let s = applyEvent(emptyState(), 'READY', { user: { id: '1' }, guilds: [{ id: '10' }, { id: '20' }] });
    s = applyEvent(s, 'GUILD_CREATE', guild('20', 'B'));
    expect(railGuilds(s)).toEqual([{ id: '20', name: 'B' }]);
  });
});
