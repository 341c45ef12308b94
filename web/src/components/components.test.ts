// @vitest-environment happy-dom
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { flushSync, mount, unmount, tick } from 'svelte';
import AuthScreen from './AuthScreen.svelte';
import Shell from './Shell.svelte';
import { chat, connection, selection } from '../lib/app';
import { applyEvent, emptyState, historyLoaded, addPending, markFailed, type ChatMessage } from '../lib/stores/chat';

let target: HTMLElement;
let app: ReturnType<typeof mount> | null = null;

beforeEach(() => {
  target = document.createElement('div');
  document.body.appendChild(target);
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  target.remove();
  vi.unstubAllGlobals();
});

function jsonResponse(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
  flushSync();
}

describe('AuthScreen', () => {
  it('shows instance terms on register and requires accepting them', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse({ name: 'Test Hearth', description: 'hi', terms: 'Be nice.', privacy: '', registration_mode: 'open' }));
    app = mount(AuthScreen, { target });
    await settle();
    expect(target.querySelector('h1')?.textContent).toBe('Test Hearth');
    const registerTab = [...target.querySelectorAll('button[role=tab]')].find((b) => b.textContent === 'Register') as HTMLButtonElement;
    registerTab.click();
    flushSync();
    const terms = target.querySelector('#terms-text') as HTMLTextAreaElement;
    expect(terms.value).toBe('Be nice.');
    expect(target.querySelector('label[for=invite]')?.textContent).toContain('optional');
    const submit = target.querySelector('button[type=submit]') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    const box = target.querySelector('input[type=checkbox]') as HTMLInputElement;
    box.click();
    flushSync();
    expect(submit.disabled).toBe(false);
  });

  it('shows field errors from a failed sign-in', async () => {
    vi.stubGlobal('fetch', async (url: string) =>
      url.endsWith('/instance')
        ? jsonResponse({ name: 'H', description: '', terms: '', privacy: '', registration_mode: 'open' })
        : new Response(JSON.stringify({ error: { code: 'INVALID_CREDENTIALS', message: 'invalid username or password' } }), { status: 401 }),
    );
    app = mount(AuthScreen, { target });
    await settle();
    (target.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(target.querySelector('[role=alert]')?.textContent).toBe('invalid username or password');
  });
});

describe('Shell', () => {
  const user = { id: '1', username: 'ada', global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' };
  const msg = (id: string, content: string, ts: string, extra: Partial<ChatMessage> = {}) =>
    ({ id, channel_id: '100', author: user, content, timestamp: ts, edited_timestamp: null, nonce: null, reactions: [], ...extra }) as unknown as ChatMessage;

  it('renders the three panels, grouped messages as text, members and the offline banner', async () => {
    let s = applyEvent(emptyState(), 'READY', { user: { ...user, admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
    s = applyEvent(s, 'GUILD_CREATE', {
      id: '10',
      name: 'Hearthside',
      roles: [],
      member_count: 1,
      channels: [
        { id: '101', guild_id: '10', name: 'Text', type: 4, position: 0, parent_id: null },
        { id: '100', guild_id: '10', name: 'general', type: 0, position: 0, parent_id: '101', topic: 'hello there' },
      ],
      members: [{ user, nick: null, roles: [] }],
      presences: [{ user: { id: '1' }, status: 'online' }],
    });
    s = historyLoaded(s, '100', [msg('1002', 'second', '2026-11-23T10:01:00Z'), msg('1001', '<b>first</b>', '2026-11-23T10:00:00Z')], 50, null);
    s = markFailed(addPending(s, msg('local-n', 'oops', '2026-11-23T10:02:00Z', { nonce: 'n' })), '100', 'n');
    chat.set(s);
    selection.set({ guildId: '10', channelId: '100' });
    connection.set('reconnecting');
    // A desktop window: four columns, member list shown (happy-dom's default 1024px is the tablet layout).
    (window as unknown as { happyDOM: { setViewport(v: { width: number; height: number }): void } }).happyDOM.setViewport({ width: 1280, height: 800 });
    app = mount(Shell, { target });
    await settle();

    expect(target.querySelector('[role=status]')?.textContent).toContain('Offline');
    expect([...target.querySelectorAll('nav[aria-label=Communities] button .sr-only')].map((e) => e.textContent)).toContain('Hearthside');
    expect(target.querySelector('.category')?.textContent).toBe('Text');
    expect(target.querySelector('button.channel[aria-current=page]')?.textContent).toContain('general');
    expect(target.querySelector('main h1')?.textContent).toContain('general');
    const groups = target.querySelectorAll('.msg.head');
    expect(groups.length).toBe(1);
    const contents = [...target.querySelectorAll('.content')].map((p) => p.textContent);
    expect(contents).toEqual(['<b>first</b>', 'second', 'oops']);
    expect(target.querySelector('.content b')).toBeNull();
    expect(target.querySelector('.failed')?.textContent).toContain('Retry');
    expect(target.querySelector('aside[aria-label=Members]')?.textContent).toContain('ada');
    expect(target.querySelector('label[for=composer-input]')?.textContent).toBe('Message #general');
    for (const b of target.querySelectorAll('button')) {
      const name = b.getAttribute('aria-label') ?? b.textContent?.trim();
      expect(name, b.outerHTML).toBeTruthy();
    }
    // Geometry set through CSSOM by the message list (allowed by the CSP) is the only inline style.
    expect(target.querySelector('[style]:not(.canvas):not(.window)')).toBeNull();

    connection.set('connected');
    await settle();
    expect(target.querySelector('[role=status]')).toBeNull();
  });
});
