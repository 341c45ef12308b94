import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { get } from 'svelte/store';
import { chat, selection } from './app';
import { applyEvent, emptyState, historyLoaded, type ChatMessage } from './stores/chat';
import { jumpRequest, jumpToMessage, jumpToPresent, loadNewer, loadOlder, saveScroll, savedScroll } from './history';
import { notice } from './messages/actions';

const user = { id: '1', username: 'ada', global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' };
const msg = (id: number) => ({ id: String(id), channel_id: '100', author: user, content: 'm' + id, timestamp: '2026-11-23T10:00:00Z', nonce: null, type: 0, reactions: [] }) as unknown as ChatMessage;
/** newest first, like the API */
const range = (from: number, to: number) => {
  const out: ChatMessage[] = [];
  for (let i = to; i >= from; i--) out.push(msg(i));
  return out;
};

let requests: string[] = [];

function serve(handler: (url: URL) => unknown) {
  vi.stubGlobal('fetch', async (input: string) => {
    const url = new URL(input, 'http://x');
    requests.push(url.pathname + url.search);
    const body = handler(url);
    if (body === 404) return new Response(JSON.stringify({ error: { code: 'UNKNOWN_MESSAGE', message: 'unknown message' } }), { status: 404 });
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
}

beforeEach(() => {
  requests = [];
  jumpRequest.set(null);
  let s = applyEvent(emptyState(), 'READY', { user: { ...user, admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
  s = applyEvent(s, 'GUILD_CREATE', { id: '10', name: 'g', roles: [], channels: [{ id: '100', guild_id: '10', name: 'general', type: 0, position: 0, parent_id: null }], members: [] });
  s = historyLoaded(s, '100', range(951, 1000), 50, null);
  chat.set(s);
  selection.set({ guildId: '10', channelId: '100' });
});

afterEach(() => vi.unstubAllGlobals());

describe('history', () => {
  it('a cached message jumps without a request', async () => {
    serve(() => []);
    expect(await jumpToMessage('100', '960')).toBe(true);
    expect(requests).toEqual([]);
    expect(get(jumpRequest)).toMatchObject({ channelId: '100', messageId: '960' });
  });

  it('an old message loads a window around it, then pages newer with after= up to the present', async () => {
    serve((u) => {
      const around = u.searchParams.get('around');
      const after = u.searchParams.get('after');
      if (around) return range(Number(around) - 25, Number(around) + 24);
      if (after) return range(Number(after) + 1, Math.min(1000, Number(after) + 50));
      return range(951, 1000);
    });
    expect(await jumpToMessage('100', '100')).toBe(true);
    expect(requests).toEqual(['/api/v1/channels/100/messages?around=100&limit=50']);
    let s = get(chat);
    expect(s.hasNewer['100']).toBe(true);
    expect(s.messages['100']?.[0]?.id).toBe('75');
    expect(get(jumpRequest)?.messageId).toBe('100');
    // New messages do not land in the old window.
    chat.update((st) => applyEvent(st, 'MESSAGE_CREATE', msg(1001)));
    expect(get(chat).messages['100']?.some((m) => m.id === '1001')).toBe(false);
    for (let i = 0; i < 20 && get(chat).hasNewer['100']; i++) await loadNewer('100');
    s = get(chat);
    expect(s.hasNewer['100']).toBeUndefined();
    expect(s.messages['100']?.at(-1)?.id).toBe('1000');
    expect(requests[1]).toBe('/api/v1/channels/100/messages?after=124&limit=50');
  });

  it('jumpToPresent reloads the newest page when in an old window', async () => {
    serve((u) => (u.searchParams.get('around') ? range(75, 124) : range(951, 1000)));
    await jumpToMessage('100', '100');
    await jumpToPresent('100');
    expect(get(chat).hasNewer['100']).toBeUndefined();
    expect(get(chat).messages['100']?.at(-1)?.id).toBe('1000');
    expect(get(jumpRequest)).toMatchObject({ channelId: '100', messageId: null });
  });

  it('a deleted message says so and does not jump', async () => {
    serve(() => 404);
    expect(await jumpToMessage('100', '5')).toBe(false);
    expect(get(notice)?.error).toBe(true);
    expect(get(jumpRequest)).toBeNull();
    expect(await jumpToMessage('999', '5')).toBe(false);
  });

  it('loadOlder pages before the oldest cached message, once at a time', async () => {
    serve(() => range(901, 950));
    await Promise.all([loadOlder('100'), loadOlder('100')]);
    expect(requests).toEqual(['/api/v1/channels/100/messages?before=951&limit=50']);
    expect(get(chat).messages['100']?.length).toBe(100);
  });

  it('keeps a scroll position per channel', () => {
    expect(savedScroll('100')).toBeNull();
    saveScroll('100', { anchor: { key: '960', delta: 12 }, atBottom: false });
    expect(savedScroll('100')).toEqual({ anchor: { key: '960', delta: 12 }, atBottom: false });
  });
});
