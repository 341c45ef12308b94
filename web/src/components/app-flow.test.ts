// @vitest-environment happy-dom
/** The whole app in a DOM with a fake server: sign in, gateway READY, open a channel, optimistic send replaced by the echo. */
import { describe, it, expect, afterEach, vi } from 'vitest';
import { flushSync, mount, unmount, tick } from 'svelte';
import App from '../App.svelte';
import { signOut } from '../lib/app';

class FakeWS {
  static all: FakeWS[] = [];
  sent: { op: number; d?: unknown }[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeWS.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as { op: number; d?: unknown });
  }
  close() {}
  recv(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
  flushSync();
}

const user = { id: '1', username: 'ada', global_name: 'Ada', bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z', admin: false, owner: false, mfa_enabled: false };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('app flow', () => {
  it('signs in, connects, shows the channel, and replaces an optimistic send with its echo', async () => {
    let releaseSend: (() => void) | null = null;
    const posts: unknown[] = [];
    vi.stubGlobal('WebSocket', FakeWS);
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      const json = (b: unknown, status = 200) => new Response(JSON.stringify(b), { status, headers: { 'Content-Type': 'application/json' } });
      if (url.endsWith('/instance')) return json({ name: 'Hearth', description: '', terms: '', privacy: '', registration_mode: 'open' });
      if (url.endsWith('/auth/login')) return json({ token: 'tok', user });
      if (url.includes('/channels/100/messages') && init?.method === 'GET') return json([]);
      if (url.endsWith('/channels/100/messages') && init?.method === 'POST') {
        const body = JSON.parse(String(init.body)) as { content: string; nonce: string };
        posts.push(body);
        await new Promise<void>((r) => (releaseSend = r));
        return json({ id: '5000', channel_id: '100', author: user, content: body.content, timestamp: '2026-11-23T10:00:00Z', nonce: body.nonce, reactions: [] }, 201);
      }
      if (url.endsWith('/auth/logout')) return new Response(null, { status: 204 });
      return json({ error: { code: 'UNKNOWN_ROUTE', message: url } }, 404);
    });

    const target = document.createElement('div');
    document.body.appendChild(target);
    const app = mount(App, { target });
    await settle();

    const input = (sel: string, v: string) => {
      const el = target.querySelector(sel) as HTMLInputElement;
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    input('#username', 'ada');
    input('#password', 'password123');
    (target.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();

    expect(localStorage.getItem('hearth.token')).toBe('tok');
    const ws = FakeWS.all[0];
    if (!ws) throw new Error('no socket');
    expect(ws.url).toContain('/gateway?v=10&encoding=json');
    ws.recv({ op: 10, d: { heartbeat_interval: 41250 } });
    expect(ws.sent[0]).toMatchObject({ op: 2, d: { token: 'tok' } });
    expect(target.querySelector('[role=status]')?.textContent).toContain('Connecting');

    ws.recv({ op: 0, s: 1, t: 'READY', d: { v: 10, user, session_id: 's', guilds: [{ id: '10', unavailable: true }], read_state: [] } });
    ws.recv({
      op: 0,
      s: 2,
      t: 'GUILD_CREATE',
      d: { id: '10', name: 'Hearthside', roles: [], member_count: 1, channels: [{ id: '100', guild_id: '10', name: 'general', type: 0, position: 0, parent_id: null }], members: [{ user, nick: null, roles: [] }], presences: [] },
    });
    await settle();
    expect(target.querySelector('[role=status]')).toBeNull();
    expect(target.querySelector('main h1')?.textContent).toContain('general');
    expect(target.querySelector('.intro')?.textContent).toContain('start of the #general channel');

    const composer = target.querySelector('#composer-input') as HTMLTextAreaElement;
    composer.value = 'hello world';
    composer.dispatchEvent(new Event('input', { bubbles: true }));
    composer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    expect(composer.value).toBe('');
    expect(target.querySelector('.msg.pending .content')?.textContent).toBe('hello world');
    const nonce = (posts[0] as { nonce: string }).nonce;
    expect(nonce.length).toBeLessThanOrEqual(25);

    ws.recv({ op: 0, s: 3, t: 'MESSAGE_CREATE', d: { id: '5000', channel_id: '100', guild_id: '10', author: user, content: 'hello world', timestamp: '2026-11-23T10:00:00Z', nonce, reactions: [] } });
    await settle();
    expect(target.querySelectorAll('.msg').length).toBe(1);
    expect(target.querySelector('.msg.pending')).toBeNull();
    (releaseSend as (() => void) | null)?.();
    await settle();
    expect(target.querySelectorAll('.msg').length).toBe(1);
    expect(target.querySelector('.msg .name')?.textContent).toBe('Ada');

    await signOut();
    await settle();
    expect(localStorage.getItem('hearth.token')).toBeNull();
    expect(target.querySelector('#username')).not.toBeNull();
    unmount(app);
    target.remove();
  });
});
