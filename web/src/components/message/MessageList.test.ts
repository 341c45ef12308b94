// @vitest-environment happy-dom
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { flushSync, mount, unmount, tick } from 'svelte';
import { get } from 'svelte/store';
import MessageList from './MessageList.svelte';
import { chat, selection } from '../../lib/app';
import { applyEvent, emptyState, historyLoaded, type ChatMessage, type ChatState } from '../../lib/stores/chat';
import { editing } from '../../lib/stores/editing';
import { P } from '../../lib/permissions';
import { readableTextColor } from '../../lib/colour';
import { density } from '../../lib/stores/theme';

let target: HTMLElement;
let app: ReturnType<typeof mount> | null = null;

const user = (id: string, username: string) => ({ id, username, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' });
const ME = user('1', 'ada');
const BOB = user('2', 'bob');
const msg = (id: string, author: typeof ME, content: string, extra: Partial<ChatMessage> = {}) =>
  ({ id, channel_id: '100', author, content, timestamp: '2026-11-23T10:00:00Z', edited_timestamp: null, nonce: null, attachments: [], embeds: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false, type: 0, flags: 0, reactions: [], ...extra }) as unknown as ChatMessage;

const BASE = P.VIEW_CHANNEL | P.SEND_MESSAGES | P.READ_MESSAGE_HISTORY | P.ADD_REACTIONS;

function setup(extraRoleBits: bigint | null, messages: ChatMessage[]): ChatState {
  let s = applyEvent(emptyState(), 'READY', { user: { ...ME, admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
  const roles = [{ id: '10', name: '@everyone', position: 0, permissions: String(BASE), color: 0, hoist: false, managed: false, mentionable: false }];
  if (extraRoleBits !== null) roles.push({ id: '20', name: 'Mods', position: 1, permissions: String(extraRoleBits), color: 0, hoist: false, managed: false, mentionable: false });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10',
    name: 'Hearthside',
    owner_id: '99',
    roles,
    channels: [{ id: '100', guild_id: '10', name: 'general', type: 0, position: 0, parent_id: null, permission_overwrites: [] }],
    members: [
      { user: ME, nick: null, roles: extraRoleBits !== null ? ['20'] : [], joined_at: '2026-01-01T00:00:00Z', communication_disabled_until: null },
      { user: BOB, nick: 'Bobby', roles: [], joined_at: '2026-01-01T00:00:00Z', communication_disabled_until: null },
    ],
  });
  s = historyLoaded(s, '100', [...messages].reverse(), 50, null);
  chat.set(s);
  selection.set({ guildId: '10', channelId: '100' });
  return s;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
  flushSync();
}

function article(id: string): HTMLElement {
  const el = target.querySelector<HTMLElement>(`article[data-mid="${id}"]`);
  if (!el) throw new Error('no message ' + id);
  return el;
}

function toolbarLabels(id: string): string[] {
  return [...article(id).querySelectorAll('.actions button')].map((b) => b.getAttribute('aria-label') ?? '');
}

async function menuLabels(id: string): Promise<string[]> {
  article(id).dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 50, clientY: 50 }));
  await settle();
  const labels = [...document.querySelectorAll('[role=menu] [role=menuitem]')].map((b) => b.textContent?.trim() ?? '');
  document.querySelector<HTMLElement>('[role=menu]')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  await settle();
  return labels;
}

beforeEach(() => {
  target = document.createElement('div');
  document.body.appendChild(target);
  editing.set(null);
  // Reading the channel acks it; nothing here needs an answer.
  vi.stubGlobal('fetch', async () => new Response(null, { status: 204 }));
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  target.remove();
  vi.unstubAllGlobals();
});

describe('MessageList', () => {
  it('renders grouped messages with names, (edited), a reply preview and reactions, without style attributes', async () => {
    setup(null, [
      msg('1001', BOB, 'hello'),
      msg('1002', BOB, 'again', { edited_timestamp: '2026-11-23T10:01:00Z', reactions: [{ count: 2, me: true, emoji: { id: null, name: '👍' } }] }),
      msg('1003', ME, 'answer', { type: 19, message_reference: { type: 0, message_id: '1001', channel_id: '100', guild_id: '10' }, referenced_message: msg('1001', BOB, 'hello') as never }),
    ]);
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    expect(target.querySelector('ol[aria-label="Messages in #general"]')).not.toBeNull();
    expect(article('1001').classList.contains('head')).toBe(true);
    expect(article('1002').classList.contains('head')).toBe(false);
    expect(article('1001').querySelector('.name')?.textContent).toBe('Bobby');
    expect(article('1002').querySelector('.edited')?.textContent).toBe('(edited)');
    const chip = article('1002').querySelector('.reactions button[aria-pressed]');
    expect(chip?.getAttribute('aria-pressed')).toBe('true');
    expect(chip?.getAttribute('aria-label')).toContain('2 reactions, including you');
    expect(article('1003').querySelector('.reply .who')?.textContent).toBe('@Bobby');
    expect(target.querySelector('[role=separator]')).not.toBeNull();
    expect(target.querySelector('[style]:not(.canvas):not(.window)')).toBeNull();
    for (const b of target.querySelectorAll('button')) expect(b.getAttribute('aria-label') ?? b.textContent?.trim(), b.outerHTML).toBeTruthy();
  });

  it('a plain member gets no Delete on someone else’s message, but can delete and edit their own', async () => {
    setup(null, [msg('1001', BOB, 'theirs'), msg('1002', ME, 'mine')]);
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    expect(toolbarLabels('1001')).not.toContain('Delete');
    expect(toolbarLabels('1001')).not.toContain('Edit');
    expect(toolbarLabels('1001')).toContain('Reply');
    const theirs = await menuLabels('1001');
    expect(theirs).not.toContain('Delete Message');
    expect(theirs).not.toContain('Pin Message');
    expect(theirs).toContain('Copy Message Link');
    expect(toolbarLabels('1002')).toContain('Edit');
    expect(await menuLabels('1002')).toContain('Delete Message');
  });

  it('MANAGE_MESSAGES offers Delete and Pin on anyone’s message', async () => {
    setup(P.MANAGE_MESSAGES, [msg('1001', BOB, 'theirs')]);
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    expect(toolbarLabels('1001')).toContain('Delete');
    const items = await menuLabels('1001');
    expect(items).toContain('Delete Message');
    expect(items).toContain('Pin Message');
    expect(items).not.toContain('Edit Message');
  });

  it('Edit opens the inline editor; Escape cancels it', async () => {
    setup(null, [msg('1002', ME, 'mine')]);
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    (article('1002').querySelector('button[aria-label=Edit]') as HTMLButtonElement).click();
    await settle();
    expect(get(editing)).toEqual({ channelId: '100', messageId: '1002' });
    const area = article('1002').querySelector('textarea') as HTMLTextAreaElement;
    expect(area.value).toBe('mine');
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle();
    expect(get(editing)).toBeNull();
    expect(article('1002').querySelector('textarea')).toBeNull();
  });

  it('saving an emptied edit asks to delete instead; Enter saves an edit through the API', async () => {
    setup(null, [msg('1002', ME, 'mine')]);
    const calls: { method: string; url: string; body: unknown }[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      // Read markers (acks, flushed on a timer) are not what this test is about.
      if (url.endsWith('/ack')) return new Response(null, { status: 204 });
      const body = init?.body ? JSON.parse(String(init.body)) : null;
      calls.push({ method: init?.method ?? 'GET', url, body });
      return new Response(JSON.stringify(msg('1002', ME, (body as { content: string }).content, { edited_timestamp: '2026-11-23T10:09:00Z' })), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    editing.set({ channelId: '100', messageId: '1002' });
    await settle();
    const area = article('1002').querySelector('textarea') as HTMLTextAreaElement;
    area.value = '   ';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    expect(document.querySelector('dialog h2')?.textContent).toBe('Delete Message');
    expect(calls).toEqual([]);
    [...document.querySelectorAll('dialog button')].find((b) => b.textContent === 'Cancel')?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await settle();
    area.value = 'changed';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([['PATCH', '/api/v1/channels/100/messages/1002', { content: 'changed' }]]);
    expect(get(editing)).toBeNull();
    expect(article('1002').querySelector('.content')?.textContent).toContain('changed');
    expect(article('1002').querySelector('.edited')).not.toBeNull();
  });

  it('clicking a reaction toggles mine at once and rolls back when the server refuses', async () => {
    setup(null, [msg('1001', BOB, 'hi', { reactions: [{ count: 1, me: false, emoji: { id: null, name: '🎉' } }] })]);
    let calls = 0;
    vi.stubGlobal('fetch', async (url: string) => {
      if (url.endsWith('/ack')) return new Response(null, { status: 204 });
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return new Response(JSON.stringify({ error: { code: 'MISSING_PERMISSIONS', message: 'missing permissions' } }), { status: 403 });
    });
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    (article('1001').querySelector('.reactions button') as HTMLButtonElement).click();
    flushSync();
    expect(get(chat).messages['100']?.[0]?.reactions).toEqual([{ count: 2, me: true, emoji: { id: null, name: '🎉' } }]);
    await new Promise((r) => setTimeout(r, 20));
    await settle();
    expect(calls).toBe(1);
    expect(get(chat).messages['100']?.[0]?.reactions).toEqual([{ count: 1, me: false, emoji: { id: null, name: '🎉' } }]);
  });

  it('system messages are one-line notices (an AutoMod alert shows the flagged text), without reply or edit', async () => {
    setup(null, [msg('1001', BOB, 'bad words here', { type: 24 }), msg('1002', BOB, '', { type: 7 })]);
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    expect(article('1001').classList.contains('system')).toBe(true);
    expect(article('1001').querySelector('.sys')?.textContent).toContain('Bobby had a message flagged by AutoMod.');
    expect(article('1001').querySelector('.flagged')?.textContent).toContain('bad words here');
    expect(article('1002').querySelector('.sys')?.textContent).toContain('Bobby joined the server.');
    expect(toolbarLabels('1002')).not.toContain('Reply');
    expect(toolbarLabels('1002')).not.toContain('Edit');
  });

  it('colours names by the highest coloured role, readable in each theme (set through CSSOM)', async () => {
    setup(null, [
      msg('1001', BOB, 'hello'),
      msg('1002', ME, 'answer', { type: 19, message_reference: { type: 0, message_id: '1001', channel_id: '100', guild_id: '10' }, referenced_message: msg('1001', BOB, 'hello') as never }),
    ]);
    chat.update((s) => applyEvent(s, 'GUILD_ROLE_CREATE', { guild_id: '10', role: { id: '30', name: 'Blue', position: 2, permissions: '0', color: 0x3498db, hoist: false, managed: false, mentionable: false } }));
    chat.update((s) => applyEvent(s, 'GUILD_ROLE_CREATE', { guild_id: '10', role: { id: '31', name: 'Plain', position: 3, permissions: '0', color: 0, hoist: false, managed: false, mentionable: false } }));
    chat.update((s) => applyEvent(s, 'GUILD_MEMBER_UPDATE', { guild_id: '10', user: BOB, nick: 'Bobby', roles: ['30', '31'], joined_at: '2026-01-01T00:00:00Z', communication_disabled_until: null }));
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    const name = article('1001').querySelector('.name') as HTMLElement;
    expect(name.style.getPropertyValue('--name-light')).toBe(readableTextColor(0x3498db, 'light'));
    expect(name.style.getPropertyValue('--name-dark')).toBe(readableTextColor(0x3498db, 'dark'));
    expect(name.getAttribute('style')).not.toBeNull(); // CSSOM-set, not a template attribute
    const who = article('1002').querySelector('.reply .who') as HTMLElement;
    expect(who.style.getPropertyValue('--name-light')).toBe(readableTextColor(0x3498db, 'light'));
    // My name has no coloured role.
    expect((article('1002').querySelector('.name') as HTMLElement).style.getPropertyValue('--name-light')).toBe('');
  });

  it('an author who is not cached (offline) is looked up once, for their nickname and colour', async () => {
    const CY = user('3', 'cy');
    setup(null, [msg('1001', CY, 'hello'), msg('1002', CY, 'again')]);
    chat.update((s) => applyEvent(s, 'GUILD_ROLE_CREATE', { guild_id: '10', role: { id: '30', name: 'Green', position: 2, permissions: '0', color: 0x2ecc71, hoist: false, managed: false, mentionable: false } }));
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      if (url.endsWith('/guilds/10/members/3'))
        return new Response(JSON.stringify({ user: CY, nick: 'Cyrus', roles: ['30'], joined_at: '2026-01-01T00:00:00Z', pending: false }), { status: 200, headers: { 'Content-Type': 'application/json' } });
      return new Response(null, { status: 204 });
    });
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    await settle();
    expect(urls.filter((u) => u.includes('/members/'))).toEqual(['/api/v1/guilds/10/members/3']);
    const name = article('1001').querySelector('.name') as HTMLElement;
    expect(name.textContent).toBe('Cyrus');
    expect(name.style.getPropertyValue('--name-dark')).toBe(readableTextColor(0x2ecc71, 'dark'));
  });

  it('a reply preview shows mentions by name, never raw ids', async () => {
    const ref = msg('1001', BOB, 'ping <@1> about <#100> and <@&20> **now**', { mentions: [ME] as never });
    setup(P.SEND_MESSAGES, [ref, msg('1002', ME, 'ok', { type: 19, message_reference: { type: 0, message_id: '1001', channel_id: '100', guild_id: '10' }, referenced_message: ref as never })]);
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    const text = article('1002').querySelector('.reply .text')?.textContent;
    expect(text).toBe('ping @ada about #general and @Mods now');
    expect([...article('1002').querySelectorAll('.reply .mention')].map((e) => e.textContent)).toEqual(['@ada', '#general', '@Mods']);
    expect(article('1002').querySelector('.reply button')?.getAttribute('aria-label')).toBe('Replying to Bobby: ping @ada about #general and @Mods now. Jump to the message');
  });

  it('hovering a reaction chip shows who reacted, fetched once per count, and names the chip', async () => {
    setup(null, [msg('1001', BOB, 'hi', { reactions: [{ count: 2, me: true, emoji: { id: null, name: '🎉' } }] })]);
    const gets: string[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      if ((init?.method ?? 'GET') === 'GET' && url.includes('/reactions/')) {
        gets.push(url);
        return new Response(JSON.stringify(gets.length === 1 ? [ME, BOB] : [ME, BOB, user('4', 'dee')]), { status: 200, headers: { 'Content-Type': 'application/json' } });
      }
      return new Response(null, { status: 204 });
    });
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    const chip = article('1001').querySelector('.reactions button[aria-pressed]') as HTMLButtonElement;
    chip.dispatchEvent(new Event('pointerenter'));
    await new Promise((r) => setTimeout(r, 350));
    await settle();
    expect(gets).toEqual([`/api/v1/channels/100/messages/1001/reactions/${encodeURIComponent('🎉')}?limit=4`]);
    expect(document.querySelector('.tip')?.textContent).toContain('You and Bobby reacted with 🎉');
    expect(chip.getAttribute('aria-label')).toBe('You and Bobby reacted with 🎉. Press to remove yours');
    // Someone else reacts while it shows: asked again for the new count.
    chat.update((s) => applyEvent(s, 'MESSAGE_REACTION_ADD', { user_id: '4', channel_id: '100', message_id: '1001', emoji: { id: null, name: '🎉' } }));
    await settle();
    await settle();
    expect(gets.length).toBe(2);
    expect(document.querySelector('.tip')?.textContent).toContain('You, Bobby and dee reacted with 🎉');
    chip.dispatchEvent(new Event('pointerleave'));
    await settle();
    expect(document.querySelector('.tip')).toBeNull();
    // Hovering again with the same count uses the cache.
    chip.dispatchEvent(new Event('pointerenter'));
    await settle();
    expect(gets.length).toBe(2);
    chip.dispatchEvent(new Event('pointerleave'));
  });

  it('the toolbar of a message at the top of the list moves inside it', async () => {
    setup(null, [msg('1001', BOB, 'top'), msg('1002', ME, 'lower', { timestamp: '2026-11-23T11:00:00Z' })]);
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    const rect = (top: number) => ({ top, bottom: top + 40, left: 0, right: 500, width: 500, height: 40, x: 0, y: top, toJSON: () => ({}) }) as DOMRect;
    (target.querySelector('.scroller') as HTMLElement).getBoundingClientRect = () => rect(100);
    article('1001').getBoundingClientRect = () => rect(104);
    article('1002').getBoundingClientRect = () => rect(300);
    article('1001').dispatchEvent(new Event('pointerenter'));
    article('1002').dispatchEvent(new Event('pointerenter'));
    await settle();
    expect(article('1001').classList.contains('tb-inside')).toBe(true);
    expect(article('1001').style.getPropertyValue('--toolbar-top')).toBe('3px');
    expect(article('1002').classList.contains('tb-inside')).toBe(false);
    // Partly scrolled out above the list: the toolbar goes under the list's edge.
    article('1002').getBoundingClientRect = () => rect(60);
    article('1002').dispatchEvent(new Event('pointermove', { bubbles: true }));
    await settle();
    expect(article('1002').classList.contains('tb-inside')).toBe(true);
    expect(article('1002').style.getPropertyValue('--toolbar-top')).toBe('43px');
    // Scrolled so that it is no longer at the top.
    article('1001').getBoundingClientRect = () => rect(200);
    article('1001').dispatchEvent(new Event('pointermove', { bubbles: true }));
    await settle();
    expect(article('1001').classList.contains('tb-inside')).toBe(false);
    expect(article('1001').style.getPropertyValue('--toolbar-top')).toBe('');
  });

  it('measures the rows again when the density changes', async () => {
    setup(null, [msg('1001', BOB, 'one'), msg('1002', ME, 'two', { timestamp: '2026-11-23T11:00:00Z' })]);
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    const canvas = target.querySelector('.canvas') as HTMLElement;
    const before = canvas.style.getPropertyValue('height');
    const rows = target.querySelectorAll('li[data-key]');
    expect(rows.length).toBe(4); // intro, day, two messages
    const original = HTMLElement.prototype.getBoundingClientRect;
    HTMLElement.prototype.getBoundingClientRect = function () {
      return { top: 0, bottom: 33, left: 0, right: 100, width: 100, height: 33, x: 0, y: 0, toJSON: () => ({}) } as DOMRect;
    };
    try {
      density.set('compact');
      await settle();
      expect(document.documentElement.classList.contains('density-compact')).toBe(true);
      expect(canvas.style.getPropertyValue('height')).toBe(`${4 * 33 + 16}px`);
      expect(canvas.style.getPropertyValue('height')).not.toBe(before);
    } finally {
      HTMLElement.prototype.getBoundingClientRect = original;
      density.set('cozy');
    }
  });

  it('renders only a window of a 10,000-message channel', async () => {
    const many: ChatMessage[] = [];
    for (let i = 0; i < 10_000; i++) many.push(msg(String(100_000 + i), i % 3 ? ME : BOB, 'message ' + i));
    setup(null, many);
    app = mount(MessageList, { target, props: { channelId: '100', channelName: 'general', guildId: '10' } });
    await settle();
    const n = target.querySelectorAll('article').length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(120);
  });
});
