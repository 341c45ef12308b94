import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';
import { chat } from '../app';
import { applyEvent, emptyState, historyLoaded, type ChatMessage } from '../stores/chat';
import { customEmojis } from '../stores/emojis';
import { addReaction, toggleReaction } from './actions';

const me = { id: '1', username: 'me', global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '' };
const msg = { id: '1001', channel_id: '100', author: me, content: 'x', timestamp: '', edited_timestamp: null, nonce: null, mentions: [], mention_roles: [], mention_everyone: false, reactions: [] } as unknown as ChatMessage;
let calls: string[] = [];

beforeEach(() => {
  calls = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push(`${init.method} ${url}`);
    return new Response(null, { status: 204 });
  });
  let s = applyEvent(emptyState(), 'READY', { user: me, guilds: [{ id: '10' }] });
  s = applyEvent(s, 'GUILD_CREATE', { id: '10', name: 'G', owner_id: '1', roles: [], channels: [{ id: '100', type: 0, guild_id: '10', name: 'general', position: 0, permission_overwrites: [] }], members: [] });
  chat.set(historyLoaded(s, '100', [msg], 50, null));
  customEmojis.set({ '10': [{ id: '5', name: 'party', roles: [], require_colons: true, managed: false, animated: true, available: true }] });
});

afterEach(() => {
  vi.unstubAllGlobals();
  chat.set(emptyState());
  customEmojis.set({});
});

const chips = () => get(chat).messages['100']?.[0]?.reactions ?? [];

describe('reacting with custom emoji', () => {
  it('a pick from the picker (<a:name:id>) puts name:id in the path and shows the chip at once', async () => {
    await addReaction('100', '1001', '<a:party:5>');
    expect(calls).toEqual(['PUT /api/v1/channels/100/messages/1001/reactions/party%3A5/@me']);
    expect(chips()).toEqual([{ count: 1, me: true, emoji: { id: '5', name: 'party', animated: true } }]);
    // Picking it again leaves it.
    await addReaction('100', '1001', '<a:party:5>');
    expect(calls.length).toBe(1);
  });

  it('a chip (its key) toggles my reaction off again; the store says it is animated', async () => {
    await toggleReaction('100', '1001', 'party:5');
    expect(chips()[0]?.emoji).toEqual({ id: '5', name: 'party', animated: true });
    await toggleReaction('100', '1001', 'party:5');
    expect(calls).toEqual(['PUT /api/v1/channels/100/messages/1001/reactions/party%3A5/@me', 'DELETE /api/v1/channels/100/messages/1001/reactions/party%3A5/@me']);
    expect(chips()).toEqual([]);
  });

  it('unicode reactions go as before', async () => {
    await toggleReaction('100', '1001', '👍');
    expect(calls).toEqual([`PUT /api/v1/channels/100/messages/1001/reactions/${encodeURIComponent('👍')}/@me`]);
  });
});
