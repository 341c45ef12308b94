// @vitest-environment happy-dom
/**
 * A fresh READY (the session could not be resumed) drops confirmed history. The open channel keeps
 * showing what it had, and is then refetched: around the message at the top of the view when the
 * reader was scrolled up, the newest page when they were at the bottom.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach, vi } from 'vitest';
import { get } from 'svelte/store';
import { chat, selection, signOut, startGateway } from './app';
import { followMessageLinkInLocation, registerScrollProbe, type SavedScroll } from './history';
import { setSession } from './stores/session';
import { historyDropped, historyLoaded, type ChatMessage } from './stores/chat';

class FakeWS {
  static last: FakeWS | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeWS.last = this;
  }
  send() {}
  close() {}
  recv(t: string, d: unknown) {
    this.onmessage?.({ data: JSON.stringify({ op: 0, s: ++seq, t, d }) });
  }
}
let seq = 0;

const me = { id: '1', username: 'ada', global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z', admin: false, owner: false, mfa_enabled: false };
const msg = (id: number) => ({ id: String(id), channel_id: '100', author: me, content: 'm' + id, timestamp: '2026-11-23T10:00:00Z', nonce: null, type: 0, reactions: [] }) as unknown as ChatMessage;
/** newest first, like the API */
const range = (from: number, to: number) => {
  const out: ChatMessage[] = [];
  for (let i = to; i >= from; i--) out.push(msg(i));
  return out;
};
const channel = (id: string) => ({ id, guild_id: '10', name: 'c' + id, type: 0, position: Number(id), parent_id: null, permission_overwrites: [] });
const guildCreate = (channels = [channel('100'), channel('200')]) => ({ id: '10', name: 'g', roles: [], channels, members: [{ user: me, nick: null, roles: [] }], member_count: 1 });

let requests: string[] = [];
/** While set, history pages wait for it (to deliver gateway events meanwhile). */
let hold: Promise<void> | null = null;
let pos: SavedScroll = { anchor: null, atBottom: true };
let unprobe: (() => void) | null = null;

function ready() {
  FakeWS.last?.recv('READY', { v: 10, user: me, session_id: 's' + seq, guilds: [{ id: '10', unavailable: true }], read_state: [] });
}

async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

const ids = () => get(chat).messages['100']?.map((m) => Number(m.id)) ?? [];

beforeAll(async () => {
  vi.stubGlobal('WebSocket', FakeWS);
  vi.stubGlobal('fetch', async (input: string) => {
    const url = new URL(input, 'http://x');
    requests.push(url.pathname + url.search);
    if (hold && url.pathname.endsWith('/messages')) await hold;
    const q = url.searchParams;
    let body: unknown = [];
    if (url.pathname === '/api/v1/channels/100/messages') {
      const around = q.get('around');
      if (around) body = range(Number(around) - 25, Math.min(2000, Number(around) + 24));
      else body = range(1951, 2000);
    }
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  setSession('tok', me);
  startGateway();
  FakeWS.last?.onmessage?.({ data: JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 } }) });
  ready();
  FakeWS.last?.recv('GUILD_CREATE', guildCreate());
  await settle();
  expect(get(selection).channelId).toBe('100');
  unprobe = registerScrollProbe('100', () => pos);
});

afterAll(async () => {
  unprobe?.();
  await signOut();
  vi.unstubAllGlobals();
});

beforeEach(() => {
  requests = [];
});

describe('after a reconnect', () => {
  it('scrolled up: the history stays on screen, then a window around the top message replaces it', async () => {
    expect(ids().at(-1)).toBe(2000);
    pos = { anchor: { key: '1990', delta: 12 }, atBottom: false };
    ready();
    // Still there at once (not emptied while the guild comes back).
    expect(ids()).toContain(1990);
    expect(ids().length).toBe(50);
    FakeWS.last?.recv('GUILD_CREATE', guildCreate());
    await settle();
    expect(requests).toEqual(['/api/v1/channels/100/messages?around=1990&limit=50']);
    expect(ids()[0]).toBe(1965);
    expect(ids()).toContain(1990);
    // The window reaches the present (its newer side is short: 1990…2000).
    expect(get(chat).hasNewer['100']).toBeUndefined();
  });

  it('far back: the window around the anchor is marked as older history', async () => {
    pos = { anchor: { key: '1500', delta: 0 }, atBottom: false };
    ready();
    FakeWS.last?.recv('GUILD_CREATE', guildCreate());
    await settle();
    expect(requests).toEqual(['/api/v1/channels/100/messages?around=1500&limit=50']);
    expect(ids()).toContain(1500);
    expect(get(chat).hasNewer['100']).toBe(true);
  });

  it('at the bottom: the newest page replaces it', async () => {
    pos = { anchor: { key: '1990', delta: 0 }, atBottom: true };
    ready();
    FakeWS.last?.recv('GUILD_CREATE', guildCreate());
    await settle();
    expect(requests).toEqual(['/api/v1/channels/100/messages?limit=50']);
    expect(ids().at(-1)).toBe(2000);
    expect(get(chat).hasNewer['100']).toBeUndefined();
  });

  it('messages created or deleted while the page is in flight are not lost or brought back', async () => {
    pos = { anchor: null, atBottom: true };
    let release: () => void = () => {};
    hold = new Promise<void>((r) => (release = r));
    ready();
    FakeWS.last?.recv('GUILD_CREATE', guildCreate());
    await settle();
    expect(requests).toEqual(['/api/v1/channels/100/messages?limit=50']);
    // The page (read before these) has 1951…2000.
    FakeWS.last?.recv('MESSAGE_CREATE', { ...msg(2001), guild_id: '10' });
    FakeWS.last?.recv('MESSAGE_DELETE', { id: '1999', channel_id: '100', guild_id: '10' });
    hold = null;
    release();
    await settle();
    expect(ids().at(-1)).toBe(2001);
    expect(ids()).not.toContain(1999);
    expect(ids()).toContain(1998);
  });

  it('a channel no longer visible is forgotten and another one opens', async () => {
    pos = { anchor: null, atBottom: true };
    ready();
    FakeWS.last?.recv('GUILD_CREATE', guildCreate([channel('200')]));
    await settle();
    expect(get(chat).messages['100']).toBeUndefined();
    expect(get(selection).channelId).toBe('200');
  });
});

describe('message links', () => {
  it('are followed once: the address goes back to / so a reload does not jump again', async () => {
    history.replaceState(null, '', '/channels/10/200/1990');
    followMessageLinkInLocation(location.pathname);
    await settle();
    expect(location.pathname).toBe('/');
    expect(requests).toContain('/api/v1/channels/200/messages?around=1990&limit=50');
  });

  it('wait for the newest page of the channel the app is opening, so it cannot replace the window around the message', async () => {
    FakeWS.last?.recv('GUILD_CREATE', guildCreate());
    await settle();
    selection.set({ guildId: '10', channelId: '100' });
    chat.update((s) => historyDropped(s, '100'));
    requests = [];
    history.replaceState(null, '', '/channels/10/100/1500');
    followMessageLinkInLocation(location.pathname);
    await settle();
    expect(requests.some((r) => r.includes('around=1500'))).toBe(false);
    expect(location.pathname).toBe('/channels/10/100/1500');
    // The app's own load of the newest page lands: now the jump loads the window around it.
    chat.update((s) => historyLoaded(s, '100', range(1951, 2000), 50, null));
    await settle();
    expect(requests).toContain('/api/v1/channels/100/messages?around=1500&limit=50');
    expect(ids()).toContain(1500);
    expect(location.pathname).toBe('/');
  });
});
