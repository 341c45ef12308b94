// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import { get } from 'svelte/store';
import Composer from './Composer.svelte';
import { chat, retrySend } from '../lib/app';
import { applyEvent, emptyState, historyLoaded, type ChatMessage } from '../lib/stores/chat';
import { session } from '../lib/stores/session';
import { drafts, replyTo, slowModeUntil, startReply, typingNotifier } from '../lib/stores/composer';
import { editing } from '../lib/stores/editing';
import { loadEmoji } from '../lib/emoji/data';

const EVERYONE_DEFAULT = String((1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 6n));
const me = { id: '1', username: 'ada', global_name: 'Ada', bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' };
const bob = { ...me, id: '2', username: 'bob', global_name: 'Bobby' };

let target: HTMLElement;
let app: ReturnType<typeof mount> | null = null;
let calls: { method: string; url: string; body: unknown }[] = [];
let respond: (url: string, method: string) => Response = () => json({});

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function message(id: string, author: typeof me, content: string): ChatMessage {
  return { id, channel_id: '100', author, content, timestamp: '2026-11-23T10:00:00Z', edited_timestamp: null, nonce: null, reactions: [], type: 0, attachments: [], embeds: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false, flags: 0 } as unknown as ChatMessage;
}

function setup(opts: { rateLimit?: number; everyonePerms?: string; timeoutUntil?: string | null; messages?: ChatMessage[] } = {}) {
  let s = applyEvent(emptyState(), 'READY', { user: { ...me, admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10',
    name: 'Hearthside',
    owner_id: '999',
    roles: [
      { id: '10', name: '@everyone', permissions: opts.everyonePerms ?? EVERYONE_DEFAULT, position: 0, color: 0, hoist: false, mentionable: false, managed: false },
      { id: '50', name: 'Builders', permissions: '0', position: 1, color: 0x3366ff, hoist: false, mentionable: true, managed: false },
    ],
    member_count: 2,
    channels: [
      { id: '100', guild_id: '10', name: 'general', type: 0, position: 0, parent_id: null, rate_limit_per_user: opts.rateLimit ?? 0, permission_overwrites: [], nsfw: false },
      { id: '102', guild_id: '10', name: 'gaming', type: 0, position: 1, parent_id: null, rate_limit_per_user: 0, permission_overwrites: [], nsfw: false },
    ],
    members: [
      { user: me, nick: null, roles: [], joined_at: '2026-01-01T00:00:00Z', pending: false, communication_disabled_until: opts.timeoutUntil ?? null },
      { user: bob, nick: null, roles: [], joined_at: '2026-01-01T00:00:00Z', pending: false },
    ],
    presences: [{ user: { id: '2' }, status: 'online' }],
  });
  s = historyLoaded(s, '100', (opts.messages ?? [message('500', bob, 'hi'), message('501', me, 'mine')]).slice().reverse(), 50, null);
  chat.set(s);
  session.set({ token: 't', user: { ...me, admin: false, owner: false, mfa_enabled: false } as never });
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
  flushSync();
}

function input(): HTMLTextAreaElement {
  return target.querySelector('#composer-input') as HTMLTextAreaElement;
}

function type(value: string) {
  const ta = input();
  ta.focus();
  ta.value = value;
  ta.setSelectionRange(value.length, value.length);
  ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value.slice(-1) }));
  flushSync();
}

function key(k: string, extra: KeyboardEventInit = {}): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...extra });
  input().dispatchEvent(e);
  flushSync();
  return e;
}

const posts = () => calls.filter((c) => c.method === 'POST' && c.url.endsWith('/channels/100/messages'));

beforeEach(() => {
  target = document.createElement('div');
  document.body.appendChild(target);
  calls = [];
  typingNotifier.reset();
  respond = (url) => (url.endsWith('/messages') ? json(message('900', me, 'sent')) : new Response(null, { status: 204 }));
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url, body: init.body ? JSON.parse(String(init.body)) : undefined });
    return respond(url, method);
  });
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  target.remove();
  drafts.set({});
  replyTo.set({});
  slowModeUntil.set({});
  editing.set(null);
  vi.unstubAllGlobals();
});

describe('Composer', () => {
  it('sends on Enter and clears the draft', async () => {
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    type('hello there');
    expect(get(drafts)['100']).toBe('hello there');
    const e = key('Enter');
    expect(e.defaultPrevented).toBe(true);
    await settle();
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.body).toMatchObject({ content: 'hello there' });
    expect(get(drafts)['100']).toBeUndefined();
    expect(input().value).toBe('');
  });

  it('keeps Shift+Enter as a newline and does not send', async () => {
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    type('line one');
    const e = key('Enter', { shiftKey: true });
    expect(e.defaultPrevented).toBe(false);
    await settle();
    expect(posts()).toHaveLength(0);
  });

  it('posts a typing notice while typing, not for blank text', async () => {
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    type('   ');
    await settle();
    expect(calls.filter((c) => c.url.endsWith('/channels/100/typing'))).toHaveLength(0);
    type('hey');
    type('hey!');
    await settle();
    expect(calls.filter((c) => c.url.endsWith('/channels/100/typing') && c.method === 'POST')).toHaveLength(1);
  });

  it('edits my last message on ArrowUp in an empty composer only', () => {
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    type('draft');
    key('ArrowUp');
    expect(get(editing)).toBeNull();
    type('');
    const e = key('ArrowUp');
    expect(e.defaultPrevented).toBe(true);
    expect(get(editing)).toEqual({ channelId: '100', messageId: '501' });
  });

  it('keeps a draft per channel across channel switches', async () => {
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    type('for general');
    unmount(app);
    app = mount(Composer, { target, props: { channelId: '102', channelName: 'gaming' } });
    flushSync();
    expect(input().value).toBe('');
    type('for gaming');
    unmount(app);
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    expect(input().value).toBe('for general');
  });

  it('shows the reply bar, cancels it with the button and with Esc, and sends replies', async () => {
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    startReply('100', '500');
    flushSync();
    expect(target.querySelector('.reply')?.textContent).toContain('Replying to Bobby');
    (target.querySelector('button[aria-label="Cancel reply"]') as HTMLButtonElement).click();
    flushSync();
    expect(target.querySelector('.reply')).toBeNull();

    startReply('100', '500');
    flushSync();
    key('Escape');
    expect(target.querySelector('.reply')).toBeNull();

    startReply('100', '500');
    flushSync();
    type('answer');
    key('Enter');
    await settle();
    expect(posts()[0]?.body).toMatchObject({ content: 'answer', message_reference: { message_id: '500' } });
    expect(target.querySelector('.reply')).toBeNull();
    // the optimistic copy already shows the reply
    const local = get(chat).messages['100']?.find((m) => m.content === 'answer' || m.id === '900');
    expect(local).toBeDefined();
  });

  it('autocompletes @ members and roles with the combobox pattern', async () => {
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    type('hi @b');
    await settle();
    const ta = input();
    expect(ta.getAttribute('aria-expanded')).toBe('true');
    const options = [...target.querySelectorAll('[role=option]')].map((o) => o.textContent?.replace(/\s+/g, ' ').trim());
    expect(options[0]).toContain('Bobby');
    expect(options.some((o) => o?.includes('Builders'))).toBe(true);
    expect(ta.getAttribute('aria-activedescendant')).toBe('composer-suggestions-0');
    key('ArrowDown');
    expect(ta.getAttribute('aria-activedescendant')).toBe('composer-suggestions-1');
    key('ArrowUp');
    key('Tab');
    await settle();
    expect(ta.value).toBe('hi <@2> ');
    expect(ta.getAttribute('aria-expanded')).toBe('false');
  });

  it('autocompletes # channels and closes with Esc', async () => {
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    type('see #ga');
    await settle();
    expect(target.querySelector('[role=option]')?.textContent).toContain('gaming');
    key('Escape');
    expect(input().getAttribute('aria-expanded')).toBe('false');
    type('see #gam');
    await settle();
    // same trigger: stays dismissed until the trigger changes
    expect(input().getAttribute('aria-expanded')).toBe('false');
    type('see #gam #gen');
    await settle();
    const opt = target.querySelector('[role=option]') as HTMLElement;
    expect(opt.textContent).toContain('general');
    opt.click();
    await settle();
    expect(input().value).toBe('see #gam <#100> ');
  });

  it('explains why sending is impossible: no permission, or a timeout with its end', () => {
    setup({ everyonePerms: String((1n << 10n) | (1n << 16n)) });
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    expect(input()).toBeNull();
    expect(target.textContent).toContain('You do not have permission to send messages in this channel.');
    unmount(app);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    setup({ timeoutUntil: until });
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    expect(input()).toBeNull();
    expect(target.textContent).toContain('You are timed out until');
    expect(target.querySelector('time')?.getAttribute('datetime')).toBe(until);
  });

  it('counts down slow mode after a send and blocks sending meanwhile', async () => {
    setup({ rateLimit: 30 });
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    expect(target.textContent).toContain('one message every 30 seconds');
    type('first');
    key('Enter');
    await settle();
    expect(posts()).toHaveLength(1);
    expect(target.querySelector('[role=timer]')?.textContent).toMatch(/send again in 0:(30|29)/);
    type('second');
    key('Enter');
    await settle();
    expect(posts()).toHaveLength(1);
    expect((target.querySelector('button[type=submit]') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the counter near the limit and refuses over-long messages', async () => {
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    type('x'.repeat(3600));
    expect(target.querySelector('.count')?.textContent).toContain('3,600');
    type('x'.repeat(4001));
    expect(input().getAttribute('aria-invalid')).toBe('true');
    key('Enter');
    await settle();
    expect(posts()).toHaveLength(0);
    expect(target.querySelector('[role=alert]')?.textContent).toContain('1 character too long');
  });

  it('shows the server error when a send is refused', async () => {
    setup();
    respond = (url) => (url.endsWith('/messages') ? json({ error: { code: 'AUTOMOD_BLOCKED', message: 'Watch your language' } }, 400) : new Response(null, { status: 204 }));
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    type('bad words');
    key('Enter');
    await settle();
    expect(target.querySelector('[role=alert]')?.textContent).toBe('Watch your language');
  });

  it('autocompletes :emoji, converts a typed :shortcode: and converts shortcodes on send', async () => {
    await loadEmoji();
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    type('so :piz');
    await settle();
    const first = target.querySelector('[role=option]');
    expect(first?.textContent).toContain(':pizza:');
    key('Enter');
    await settle();
    expect(input().value).toBe('so 🍕 ');
    type('so 🍕 :thumbsup:');
    await settle();
    expect(input().value).toBe('so 🍕 👍️');
    // pasted text is converted when sent, except inside code
    const ta = input();
    ta.value = 'ok :smile: `:smile:`';
    ta.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    key('Enter');
    await settle();
    expect(posts()[0]?.body).toMatchObject({ content: 'ok 😄 `:smile:`' });
  }, 30_000);

  it('inserts a picked emoji at the caret and returns focus to the input', async () => {
    await loadEmoji();
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    type('hello world');
    input().setSelectionRange(5, 5);
    (target.querySelector('button[aria-label=Emoji]') as HTMLButtonElement).click();
    // The picker is its own chunk: wait for the dynamic import (compiled on first use in tests).
    for (let i = 0; i < 200 && !target.querySelector('[aria-label="Emoji picker"] [role=option]'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      flushSync();
    }
    const search = target.querySelector('[aria-label="Emoji picker"] input') as HTMLInputElement;
    search.value = 'pizza';
    search.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    expect(target.querySelector('[aria-label="Emoji picker"]')).toBeNull();
    expect(input().value).toBe('hello🍕 world');
    expect(document.activeElement).toBe(input());
    expect(input().selectionStart).toBe(5 + '🍕'.length);
  }, 30_000);

  it('focuses the input when a printable key is typed on the page, not in another field', () => {
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    const other = document.body.appendChild(document.createElement('input'));
    other.focus();
    other.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true, cancelable: true }));
    expect(document.activeElement).toBe(other);
    other.remove();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect(document.activeElement).not.toBe(input());
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'h', bubbles: true, cancelable: true }));
    expect(document.activeElement).toBe(input());
  });

  it('closes the suggestions with Esc before cancelling the reply', async () => {
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    startReply('100', '500');
    flushSync();
    type('ask @bo');
    await settle();
    expect(input().getAttribute('aria-expanded')).toBe('true');
    const first = key('Escape');
    expect(first.defaultPrevented).toBe(true);
    expect(input().getAttribute('aria-expanded')).toBe('false');
    expect(target.querySelector('.reply')).not.toBeNull();
    key('Escape');
    expect(target.querySelector('.reply')).toBeNull();
  });

  it('toggles the emoji picker from its button', async () => {
    await loadEmoji();
    setup();
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    const button = target.querySelector('button[aria-label=Emoji]') as HTMLButtonElement;
    button.click();
    flushSync();
    expect(button.getAttribute('aria-expanded')).toBe('true');
    button.click();
    flushSync();
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(target.querySelector('[aria-label="Emoji picker"]')).toBeNull();
  });

  it('keeps the reply on the optimistic copy and when a failed reply is retried', async () => {
    setup();
    let fail = true;
    respond = (url) => (url.endsWith('/messages') ? (fail ? json({ error: { code: 'INTERNAL_ERROR', message: 'internal server error' } }, 500) : json(message('901', me, 'retry me'))) : new Response(null, { status: 204 }));
    app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
    flushSync();
    startReply('100', '500');
    flushSync();
    type('retry me');
    key('Enter');
    await settle();
    const failed = get(chat).messages['100']?.find((m) => m.failed);
    expect(failed).toMatchObject({ content: 'retry me', type: 19, message_reference: { message_id: '500' } });
    expect(failed?.referenced_message?.content).toBe('hi');
    fail = false;
    await retrySend(failed!);
    const bodies = posts().map((p) => p.body as { nonce: string; message_reference?: { message_id: string } });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.message_reference).toEqual({ message_id: '500' });
    expect(bodies[1]?.nonce).toBe(bodies[0]?.nonce);
  });
});
