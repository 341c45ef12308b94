// @vitest-environment happy-dom
/** Navigation components: unread badges, the guild menu, the member list, the quick switcher and the shortcuts in Shell. */
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { flushSync, mount, unmount, tick } from 'svelte';
import { get } from 'svelte/store';
import ChannelList from './ChannelList.svelte';
import GuildRail from './GuildRail.svelte';
import MemberList from './MemberList.svelte';
import Shell from './Shell.svelte';
import { chat, selection } from '../lib/app';
import { applyEvent, emptyState } from '../lib/stores/chat';
import { flushAcks, readStateDispatch, resetReadStates } from '../lib/stores/readstate';
import { overlay } from '../lib/stores/ui';
import { profileCard } from '../lib/stores/members';
import { readableTextColor } from '../lib/colour';

const user = (id: string, username: string) => ({ id, username, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2025-02-01T00:00:00Z' });
const me = user('1', 'ada');
const ch = (id: string, guild: string, name: string, position: number, last: string | null) => ({ id, type: 0, guild_id: guild, name, position, parent_id: null, last_message_id: last, permission_overwrites: [] });

let target: HTMLElement;
let app: ReturnType<typeof mount> | null = null;

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
  flushSync();
}

function setup(opts: { owner?: string; everyone?: string } = {}) {
  let s = applyEvent(emptyState(), 'READY', { user: { ...me, admin: true, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }, { id: '20' }] });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10', name: 'Hearthside', owner_id: opts.owner ?? '2', member_count: 3, joined_at: '2025-01-01T00:00:00Z',
    roles: [
      { id: '10', name: '@everyone', position: 0, color: 0, hoist: false, permissions: opts.everyone ?? '3072' },
      { id: 'mod', name: 'Mods', position: 1, color: 0x3498db, hoist: true, permissions: '0' },
    ],
    channels: [ch('100', '10', 'general', 0, '5000000000000000'), ch('101', '10', 'random', 1, '5000000000000001'), ch('102', '10', 'quiet', 2, '5000000000000002')],
    members: [
      { user: me, roles: [], joined_at: '2025-01-01T00:00:00Z', nick: null, pending: false },
      { user: user('2', 'bob'), roles: ['mod'], joined_at: '2025-01-02T00:00:00Z', nick: 'Bobby', pending: false },
      { user: user('3', 'carol'), roles: [], joined_at: '2025-01-03T00:00:00Z', nick: null, pending: false, communication_disabled_until: '2999-01-01T00:00:00Z' },
    ],
    presences: [{ user: { id: '1' }, status: 'online' }, { user: { id: '2' }, status: 'online' }, { user: { id: '3' }, status: 'idle' }],
  });
  s = applyEvent(s, 'GUILD_CREATE', { id: '20', name: 'Rust Club', owner_id: '2', member_count: 1, roles: [], channels: [ch('200', '20', 'help', 0, '5000000000000003')], members: [{ user: me, roles: [], joined_at: '2025-01-01T00:00:00Z', nick: null, pending: false }], presences: [] });
  chat.set(s);
  resetReadStates();
  // #general read, #random unread, #quiet unread with 2 mentions; Rust Club #help 1 mention.
  readStateDispatch('READY', {
    read_state: [
      { id: '100', last_message_id: '5000000000000000', mention_count: 0 },
      { id: '101', last_message_id: '1', mention_count: 0 },
      { id: '102', last_message_id: '1', mention_count: 2 },
      { id: '200', last_message_id: '1', mention_count: 1 },
    ],
  });
  selection.set({ guildId: '10', channelId: '100' });
}

beforeEach(() => {
  target = document.createElement('div');
  document.body.appendChild(target);
  vi.stubGlobal('fetch', async (_url: string, init?: RequestInit) =>
    init?.method === 'GET' ? new Response('[]', { status: 200, headers: { 'Content-Type': 'application/json' } }) : new Response(null, { status: 204 }),
  );
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  target.remove();
  overlay.set(null);
  profileCard.set(null);
  vi.unstubAllGlobals();
});

const channelButton = (name: string) => [...target.querySelectorAll<HTMLButtonElement>('button.channel')].find((b) => b.querySelector('.name')?.textContent === name)!;

describe('ChannelList', () => {
  it('shows unread channels bold with a marker and mention pills', async () => {
    setup();
    app = mount(ChannelList, { target });
    await settle();
    expect(channelButton('general').classList.contains('unread')).toBe(false);
    expect(channelButton('random').classList.contains('unread')).toBe(true);
    expect(channelButton('random').closest('li')?.classList.contains('unread')).toBe(true);
    expect(channelButton('random').textContent).toContain('unread');
    expect(channelButton('quiet').querySelector('.pill')?.textContent).toBe('2');
    expect(channelButton('quiet').textContent).toContain('2 mentions');
    expect(channelButton('random').querySelector('.pill')).toBeNull();
  });

  it('the guild menu opens from the keyboard, offers what I may do, and closes with Esc', async () => {
    setup();
    app = mount(ChannelList, { target });
    await settle();
    const head = target.querySelector<HTMLButtonElement>('button[aria-haspopup=menu]')!;
    expect(head.textContent).toContain('Hearthside');
    head.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }));
    await settle();
    const items = [...target.querySelectorAll<HTMLButtonElement>('[role=menuitem]')];
    // A plain member with unread channels: mark as read, leave. No settings, no invites (no CREATE_INSTANT_INVITE).
    expect(items.map((i) => i.textContent?.trim())).toEqual(['Mark as read', 'Leave community']);
    expect(document.activeElement).toBe(items[0]);
    items[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }));
    expect(document.activeElement).toBe(items[1]);
    items[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    await settle();
    expect(target.querySelector('[role=menu]')).toBeNull();
    expect(document.activeElement).toBe(head);
  });

  it('the owner gets invites and server settings, which opens the overlay', async () => {
    setup({ owner: '1' });
    app = mount(ChannelList, { target });
    await settle();
    target.querySelector<HTMLButtonElement>('button[aria-haspopup=menu]')!.click();
    await settle();
    const items = [...target.querySelectorAll<HTMLButtonElement>('[role=menuitem]')];
    expect(items.map((i) => i.textContent?.trim())).toEqual(['Invite people', 'Server settings', 'Mark as read']);
    items[1]!.click();
    expect(get(overlay)).toEqual({ kind: 'guild-settings', guildId: '10' });
  });

  it('the user panel opens user settings, and the admin panel for instance admins', async () => {
    setup();
    app = mount(ChannelList, { target });
    await settle();
    target.querySelector<HTMLButtonElement>('button[aria-label="User settings"]')!.click();
    expect(get(overlay)).toEqual({ kind: 'user-settings' });
    target.querySelector<HTMLButtonElement>('button[aria-label="Instance administration"]')!.click();
    expect(get(overlay)).toEqual({ kind: 'admin' });
  });
});

describe('GuildRail', () => {
  it('marks unread guilds and totals their mentions', async () => {
    setup();
    app = mount(GuildRail, { target });
    await settle();
    const items = [...target.querySelectorAll('nav[aria-label=Communities] li')];
    expect(items[0]?.classList.contains('unread')).toBe(true);
    expect(items[0]?.querySelector('.badge')?.textContent).toBe('2');
    // Named by (visually hidden) text, not aria-label, so the visible initials are not a second, different label.
    expect(items[0]?.querySelector('button .sr-only')?.textContent).toBe('Hearthside, 2 mentions');
    expect(items[0]?.querySelector('button [aria-hidden=true]')?.textContent).toBe('H');
    expect(items[1]?.querySelector('.badge')?.textContent).toBe('1');
  });
});

describe('MemberList', () => {
  it('groups by hoisted role, colours names, marks the owner and timeouts, and opens a profile', async () => {
    setup();
    app = mount(MemberList, { target });
    await settle();
    expect([...target.querySelectorAll('h2')].map((h) => h.textContent)).toEqual(['Mods — 1', 'Online — 2']);
    const bob = [...target.querySelectorAll<HTMLButtonElement>('button.member')].find((b) => b.textContent?.includes('Bobby'))!;
    // The role's colour, made readable per theme (Discord blue is about 3:1 on white as it is).
    expect(bob.querySelector<HTMLElement>('.name')!.style.getPropertyValue('--name-light')).toBe(readableTextColor(0x3498db, 'light'));
    expect(bob.querySelector<HTMLElement>('.name')!.style.getPropertyValue('--name-dark')).toBe(readableTextColor(0x3498db, 'dark'));
    expect(bob.textContent).toContain('community owner');
    const carol = [...target.querySelectorAll<HTMLButtonElement>('button.member')].find((b) => b.textContent?.includes('carol'))!;
    expect(carol.textContent).toContain('timed out');
    bob.click();
    expect(get(profileCard)).toMatchObject({ guildId: '10', userId: '2' });
  });
});

describe('Shell', () => {
  it('Ctrl+K opens the switcher, Enter opens the pick; Alt+Down goes to the next channel; Esc marks read', async () => {
    setup();
    app = mount(Shell, { target });
    await settle();
    expect(document.title).toBe('(3) Hearth');

    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true, cancelable: true }));
    await settle();
    expect(get(overlay)).toEqual({ kind: 'quick-switcher' });
    const combo = document.querySelector<HTMLInputElement>('input[role=combobox]')!;
    // Empty query: unread channels first, mentions first.
    const options = () => [...document.querySelectorAll('[role=option] .label')].map((o) => o.textContent);
    expect(options().slice(0, 3)).toEqual(['quiet', 'help', 'random']);
    combo.value = 'hel';
    combo.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(options()[0]).toBe('help');
    combo.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    expect(get(overlay)).toBeNull();
    expect(get(selection)).toEqual({ guildId: '20', channelId: '200' });

    selection.set({ guildId: '10', channelId: '100' });
    // Opening #help read it; another session marks it unread again with its mention.
    flushAcks();
    await settle();
    readStateDispatch('MESSAGE_ACK', { channel_id: '200', message_id: '1', mention_count: 1 });
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', altKey: true, bubbles: true, cancelable: true }));
    expect(get(selection).channelId).toBe('101');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', altKey: true, shiftKey: true, bubbles: true, cancelable: true }));
    expect(get(selection).channelId).toBe('102');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    await settle();
    expect(channelButton('quiet').classList.contains('unread')).toBe(false);
    expect(document.title).toBe('(1) Hearth');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', altKey: true, ctrlKey: true, bubbles: true, cancelable: true }));
    expect(get(selection).guildId).toBe('20');
  });

  it('Ctrl+/ shows the shortcuts', async () => {
    setup();
    app = mount(Shell, { target });
    await settle();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '/', ctrlKey: true, bubbles: true, cancelable: true }));
    await settle();
    const dialog = [...document.querySelectorAll('dialog')].find((d) => d.textContent?.includes('Keyboard shortcuts'));
    expect(dialog?.open).toBe(true);
    expect(dialog?.textContent).toContain('Previous / next unread channel');
  });
});
