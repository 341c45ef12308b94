// @vitest-environment happy-dom
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { flushSync, mount, unmount, tick } from 'svelte';
import { get } from 'svelte/store';
import Markdown from './Markdown.svelte';
import { chat, selection } from '../../lib/app';
import { applyEvent, emptyState } from '../../lib/stores/chat';
import { loadHighlighter } from '../../lib/markdown/highlight';

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
  chat.set(emptyState());
  selection.set({ guildId: null, channelId: null });
  vi.unstubAllGlobals();
});

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
  flushSync();
}

function render(content: string, guildId: string | null = null): HTMLElement {
  app = mount(Markdown, { target, props: { content, guildId } });
  flushSync();
  return target.querySelector('.markdown') as HTMLElement;
}

const user = (id: string, username: string, global_name: string | null = null) => ({ id, username, global_name, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' });

function seedGuild(): void {
  let s = applyEvent(emptyState(), 'READY', { user: { ...user('1', 'ada'), admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10',
    name: 'Hearthside',
    owner_id: '1',
    roles: [{ id: '11', name: 'Mods', color: 0x3498db, hoist: true, managed: false, mentionable: true, permissions: '0', position: 1 }],
    channels: [
      { id: '100', guild_id: '10', name: 'general', type: 0, position: 0, nsfw: false, permission_overwrites: [], rate_limit_per_user: 0 },
      { id: '102', guild_id: '10', name: 'random', type: 0, position: 1, nsfw: false, permission_overwrites: [], rate_limit_per_user: 0 },
    ],
    members: [
      { user: user('1', 'ada'), nick: null, roles: ['11'], joined_at: '2026-01-01T00:00:00Z', pending: false },
      { user: user('2', 'bob', 'Bobby'), nick: 'Bob', roles: [], joined_at: '2026-01-01T00:00:00Z', pending: false },
    ],
  });
  chat.set(s);
}

describe('Markdown', () => {
  it('renders HTML in a message as text, never as markup', () => {
    const md = render('<b>x</b> <img src=x onerror=alert(1)> <script>alert(2)</script>');
    expect(md.textContent).toBe('<b>x</b> <img src=x onerror=alert(1)> <script>alert(2)</script>');
    expect(md.querySelector('b, img, script')).toBeNull();
  });

  it('renders styles as elements with exactly the text of the message', () => {
    const md = render('a **b** *c* __d__ ~~e~~ `f` g');
    expect(md.textContent).toBe('a b c d e f g');
    expect(md.querySelector('strong')?.textContent).toBe('b');
    expect(md.querySelector('em')?.textContent).toBe('c');
    expect(md.querySelector('u')?.textContent).toBe('d');
    expect(md.querySelector('s')?.textContent).toBe('e');
    expect(md.querySelector('code')?.textContent).toBe('f');
    // Every text run is isolated for bidirectional text.
    expect([...md.querySelectorAll('bdi')].map((b) => b.textContent)).toEqual(['a ', 'b', ' ', 'c', ' ', 'd', ' ', 'e', ' ', ' g']);
  });

  it('renders blocks: line breaks, headings, quotes, lists', () => {
    const md = render('# Title\nline one\nline two\n> quoted\n- a\n  - b\n3. c');
    expect(md.querySelector('h1')?.textContent).toBe('Title');
    // One break between the two plain lines, one ending the second before the quote (a block).
    expect(md.querySelectorAll('br').length).toBe(2);
    expect(md.querySelector('h1 + bdi')?.textContent).toBe('line one');
    expect(md.querySelector('blockquote')?.textContent).toBe('quoted');
    expect(md.querySelector('ul > li > ul > li')?.textContent).toBe('b');
    expect(md.querySelector('ol')?.getAttribute('start')).toBe('3');
  });

  it('does not make javascript: or data: URLs into links', () => {
    const md = render('[x](javascript:alert(1)) [y](data:text/html,hi) <javascript:alert(1)> javascript:alert(1)');
    expect(md.querySelector('a')).toBeNull();
    expect(md.textContent).toBe('[x](javascript:alert(1)) [y](data:text/html,hi) <javascript:alert(1)> javascript:alert(1)');
  });

  it('opens links in a new context without referrer', () => {
    const md = render('see https://example.org/a');
    const a = md.querySelector('a') as HTMLAnchorElement;
    expect(a.href).toBe('https://example.org/a');
    expect(a.target).toBe('_blank');
    expect(a.rel).toBe('noopener noreferrer nofollow');
    expect(md.querySelector('.host')).toBeNull();
    // See whether the link's own handler let the click through, then stop the test DOM navigating.
    let passedThrough: boolean | null = null;
    const stop = (e: Event): void => {
      passedThrough = !e.defaultPrevented;
      e.preventDefault();
    };
    document.addEventListener('click', stop);
    a.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    document.removeEventListener('click', stop);
    expect(passedThrough).toBe(true);
  });

  it('shows the real host of a masked link and asks before opening it', async () => {
    const md = render('[https://bank.example](https://evil.example/login)');
    const a = md.querySelector('a') as HTMLAnchorElement;
    expect(a.textContent).toBe('https://bank.example');
    expect(md.querySelector('.host')?.textContent).toBe('(evil.example)');
    const ev = new MouseEvent('click', { bubbles: true, cancelable: true });
    a.dispatchEvent(ev);
    flushSync();
    await settle();
    expect(ev.defaultPrevented).toBe(true);
    const dialog = target.querySelector('dialog') as HTMLDialogElement;
    expect(dialog).not.toBeNull();
    expect(dialog.querySelector('.real-host')?.textContent).toBe('evil.example');
    const open = dialog.querySelector('a.btn') as HTMLAnchorElement;
    expect(open.href).toBe('https://evil.example/login');
    expect(open.rel).toBe('noopener noreferrer nofollow');
    (dialog.querySelector('button.btn-plain') as HTMLButtonElement).click();
    flushSync();
    await settle();
    expect(target.querySelector('dialog')).toBeNull();
    // A masked link whose text names its host opens directly.
    unmount(app as ReturnType<typeof mount>);
    app = null;
    const md2 = render('[docs on example.org](https://example.org/docs)');
    expect(md2.querySelector('.host')).toBeNull();
  });

  it('highlights code after the highlighter loads lazily', async () => {
    const md = render('```rust\nfn main() { let x = 42; }\n```');
    const code = md.querySelector('pre code') as HTMLElement;
    expect(code.textContent).toBe('fn main() { let x = 42; }\n');
    expect(md.querySelector('.lang')?.textContent).toBe('rust');
    await loadHighlighter();
    await settle();
    const kw = md.querySelector('pre code span.hljs-keyword');
    expect(kw?.textContent).toBe('fn');
    expect(md.querySelector('pre code span.hljs-number')?.textContent).toBe('42');
    expect(code.textContent).toBe('fn main() { let x = 42; }\n');
  });

  it('keeps markup in highlighted code as text', async () => {
    await loadHighlighter();
    const md = render('```html\n<img src=x onerror=alert(1)>\n```');
    await settle();
    expect(md.querySelector('pre code img')).toBeNull();
    expect(md.querySelector('pre code')?.textContent).toBe('<img src=x onerror=alert(1)>\n');
    expect(md.querySelector('pre code span.hljs-tag')).not.toBeNull();
  });

  it('copies a code block to the clipboard', async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const md = render('```\nplain <code>\n```');
    const button = md.querySelector('button.copy') as HTMLButtonElement;
    expect(button.getAttribute('aria-label')).toBe('Copy code');
    button.click();
    await settle();
    expect(writeText).toHaveBeenCalledWith('plain <code>\n');
    expect(button.textContent).toBe('Copied');
  });

  it('hides a spoiler from screen readers and keyboard until revealed', () => {
    const md = render('||secret [link](https://example.org)||');
    const sp = md.querySelector('.spoiler') as HTMLElement;
    expect(sp.getAttribute('role')).toBe('button');
    expect(sp.getAttribute('tabindex')).toBe('0');
    expect(sp.getAttribute('aria-label')).toBe('Spoiler, press to reveal');
    expect((sp.querySelector('.content') as HTMLElement).hasAttribute('inert')).toBe(true);
    sp.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    flushSync();
    expect(sp.classList.contains('revealed')).toBe(true);
    expect(sp.hasAttribute('role')).toBe(false);
    expect((sp.querySelector('.content') as HTMLElement).hasAttribute('inert')).toBe(false);
    // Another spoiler reveals on click.
    unmount(app as ReturnType<typeof mount>);
    app = null;
    const sp2 = render('||x||').querySelector('.spoiler') as HTMLElement;
    sp2.click();
    flushSync();
    expect(sp2.classList.contains('revealed')).toBe(true);
  });

  it('resolves mentions from ids through the chat store, looking up users it does not have', async () => {
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      const path = new URL(url, 'http://x').pathname;
      asked.push(path);
      if (path === '/api/v1/guilds/10/members/3') return new Response(JSON.stringify({ user: user('3', 'cy', 'Cyrus'), nick: 'Cy', roles: [], joined_at: '2026-01-01T00:00:00Z', pending: false }), { status: 200, headers: { 'Content-Type': 'application/json' } });
      if (path === '/api/v1/users/4') return new Response(JSON.stringify(user('4', 'dee', 'Dee')), { status: 200, headers: { 'Content-Type': 'application/json' } });
      if (path.includes('/members/') || path.startsWith('/api/v1/users/')) return new Response(JSON.stringify({ error: { code: 'UNKNOWN_MEMBER', message: 'unknown member' } }), { status: 404, headers: { 'Content-Type': 'application/json' } });
      return new Response('[]', { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    seedGuild();
    const md = render('<@2> <@1> <@999> <@&11> <#102> <#555> @everyone `<@2>` <@3> <@4>', '10');
    expect([...md.querySelectorAll('.mention')].slice(7).map((m) => m.textContent)).toEqual(['@…', '@…']);
    await settle();
    // An offline member is fetched from the guild (nick), a non-member from the users endpoint.
    expect([...md.querySelectorAll('.mention')].slice(7).map((m) => m.textContent)).toEqual(['@Cy', '@Dee']);
    expect(asked).toContain('/api/v1/guilds/10/members/999');
    expect(asked).toContain('/api/v1/users/999');
    expect(asked.filter((p) => p.endsWith('/999')).length).toBe(2);
    const mentions = [...md.querySelectorAll('.mention')] as HTMLElement[];
    expect(mentions.map((m) => m.textContent)).toEqual(['@Bob', '@ada', '@unknown-user', '@Mods', '#random', '#unknown-channel', '@everyone', '@Cy', '@Dee']);
    expect(mentions.map((m) => m.classList.contains('self'))).toEqual([false, true, false, true, false, false, true, false, false]);
    // The role colour is set through CSSOM, never a style attribute in markup.
    expect(mentions[3]?.style.getPropertyValue('--role-color')).toBe('#3498db');
    // Code shows the mention as written.
    expect(md.querySelector('code')?.textContent).toBe('<@2>');
    // A known channel opens on click.
    const channel = mentions[4] as HTMLButtonElement;
    expect(channel.tagName).toBe('BUTTON');
    channel.click();
    expect(get(selection)).toEqual({ guildId: '10', channelId: '102' });
    expect(mentions[5]?.tagName).toBe('SPAN');
  });

  it('draws emoji larger, and jumbo when the message is only emoji', () => {
    const md = render('hi 😀');
    expect(md.querySelector('.emoji')?.textContent).toBe('😀');
    expect(md.classList.contains('jumbo')).toBe(false);
    unmount(app as ReturnType<typeof mount>);
    app = null;
    const j = render('😀 👨‍👩‍👧 🇫🇷');
    expect(j.classList.contains('jumbo')).toBe(true);
    expect(j.querySelectorAll('.emoji').length).toBe(3);
  });

  it('shows timestamps in the reader’s locale with a machine-readable time', () => {
    const md = render('at <t:1700000000:D> (<t:1700000000:R>) <t:99999999999999>');
    const times = [...md.querySelectorAll('time')];
    expect(times.length).toBe(2);
    expect(times[0]?.getAttribute('datetime')).toBe('2023-11-14T22:13:20.000Z');
    expect(times[0]?.textContent).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'long' }).format(new Date(1700000000000)));
    expect(times[1]?.textContent).toMatch(/ago/);
    expect(md.textContent).toContain('<t:99999999999999>');
  });

  it('updates when the content changes', async () => {
    app = mount(Markdown, { target, props: { content: '**a**' } });
    flushSync();
    expect(target.querySelector('strong')?.textContent).toBe('a');
    unmount(app);
    app = mount(Markdown, { target, props: { content: '*b*' } });
    flushSync();
    expect(target.querySelector('strong')).toBeNull();
    expect(target.querySelector('em')?.textContent).toBe('b');
  });
});
