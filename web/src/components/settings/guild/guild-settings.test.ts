// @vitest-environment happy-dom
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { flushSync, mount, unmount, tick } from 'svelte';
import PermissionEditor from './PermissionEditor.svelte';
import ChannelForm from './ChannelForm.svelte';
import GuildSettingsView from './GuildSettingsView.svelte';
import { P } from '../../../lib/permissions';
import { PERMISSIONS, overwritePermissions } from '../../../lib/guild-settings/permission-catalog';
import type { OverwriteBits } from '../../../lib/guild-settings/permission-model';
import type { Channel } from '../../../lib/api/types';
import { chat } from '../../../lib/app';
import { applyEvent, emptyState } from '../../../lib/stores/chat';
import { session } from '../../../lib/stores/session';

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
  chat.set(emptyState());
  session.set({ token: null, user: null });
});

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
  flushSync();
}

function type(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

const row = (name: string) => target.querySelector(`[data-perm="${name}"]`) as HTMLElement;

describe('PermissionEditor', () => {
  it('disables the bits you do not hold, says why, and toggles the others', () => {
    const changes: bigint[] = [];
    let cleared = 0;
    app = mount(PermissionEditor, {
      target,
      props: {
        mode: 'role',
        perms: PERMISSIONS,
        bits: P.SEND_MESSAGES | P.BAN_MEMBERS,
        editable: P.SEND_MESSAGES | P.VIEW_CHANNEL,
        onchange: (b: bigint) => changes.push(b),
        onclear: () => cleared++,
      },
    });
    flushSync();
    const send = row('SEND_MESSAGES').querySelector('[role=switch]') as HTMLButtonElement;
    const ban = row('BAN_MEMBERS').querySelector('[role=switch]') as HTMLButtonElement;
    expect(send.disabled).toBe(false);
    expect(send.getAttribute('aria-checked')).toBe('true');
    expect(ban.disabled).toBe(true);
    expect(ban.getAttribute('aria-checked')).toBe('true');
    expect(row('BAN_MEMBERS').textContent).toContain("You don't have this permission");
    expect(row('SEND_MESSAGES').textContent).not.toContain("You don't have this permission");
    expect(ban.getAttribute('aria-describedby')).toContain('BAN_MEMBERS-why');

    send.click();
    ban.click();
    expect(changes).toEqual([P.BAN_MEMBERS]);
    (row('VIEW_CHANNEL').querySelector('[role=switch]') as HTMLButtonElement).click();
    expect(changes[1]).toBe(P.SEND_MESSAGES | P.BAN_MEMBERS | P.VIEW_CHANNEL);

    const clear = [...target.querySelectorAll('button')].find((b) => b.textContent === 'Clear permissions') as HTMLButtonElement;
    clear.click();
    expect(cleared).toBe(1);

    // Grouped with headings; search narrows the list.
    expect([...target.querySelectorAll('h4')].map((h) => h.textContent)).toEqual(['General permissions', 'Membership permissions', 'Text channel permissions', 'Voice channel permissions', 'Advanced permissions']);
    type(target.querySelector('input[type=search]') as HTMLInputElement, 'ban');
    expect([...target.querySelectorAll('[data-perm]')].map((e) => e.getAttribute('data-perm'))).toEqual(['BAN_MEMBERS']);
    expect(target.querySelector('[style]')).toBeNull();
  });

  it('edits an overwrite as deny / inherit / allow, only for bits you hold', () => {
    const changes: OverwriteBits[] = [];
    app = mount(PermissionEditor, {
      target,
      props: {
        mode: 'overwrite',
        perms: overwritePermissions(0),
        overwrite: { allow: P.VIEW_CHANNEL, deny: P.MANAGE_ROLES },
        editable: P.VIEW_CHANNEL | P.SEND_MESSAGES,
        onchange: (o: OverwriteBits) => changes.push(o),
      },
    });
    flushSync();
    const radios = (name: string) => [...row(name).querySelectorAll('input[type=radio]')] as HTMLInputElement[];
    expect(radios('VIEW_CHANNEL').map((r) => r.checked)).toEqual([false, false, true]);
    expect(radios('MANAGE_ROLES').map((r) => r.checked)).toEqual([true, false, false]);
    expect(radios('MANAGE_ROLES').every((r) => r.disabled)).toBe(true);
    expect(radios('SEND_MESSAGES').every((r) => !r.disabled)).toBe(true);
    // No guild-only bit in a text channel's overwrite editor.
    expect(row('BAN_MEMBERS')).toBeNull();
    expect(row('ADMINISTRATOR')).toBeNull();

    const deny = radios('SEND_MESSAGES')[0] as HTMLInputElement;
    deny.checked = true;
    deny.dispatchEvent(new Event('change', { bubbles: true }));
    expect(changes).toEqual([{ allow: P.VIEW_CHANNEL, deny: P.MANAGE_ROLES | P.SEND_MESSAGES }]);
    const inherit = radios('VIEW_CHANNEL')[1] as HTMLInputElement;
    inherit.checked = true;
    inherit.dispatchEvent(new Event('change', { bubbles: true }));
    expect(changes[1]).toEqual({ allow: 0n, deny: P.MANAGE_ROLES });
    const locked = radios('MANAGE_ROLES')[2] as HTMLInputElement;
    locked.dispatchEvent(new Event('change', { bubbles: true }));
    expect(changes.length).toBe(2);
  });

  it('locks everything for a target you do not outrank', () => {
    app = mount(PermissionEditor, {
      target,
      props: { mode: 'role', perms: PERMISSIONS, bits: 0n, editable: 0n, locked: 'This role is above yours.', onchange: () => {} },
    });
    flushSync();
    expect(target.querySelector('[role=note]')?.textContent).toContain('This role is above yours.');
    expect([...target.querySelectorAll('[role=switch]')].every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
  });
});

describe('ChannelForm', () => {
  const channel: Channel = { id: '50', guild_id: '1', name: 'general', type: 0, position: 0, parent_id: null, topic: 'hi', nsfw: false, rate_limit_per_user: 0, permission_overwrites: [] };

  it('creates a channel with the fields of its type, showing the stored name and refusing bad ones', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response(JSON.stringify({ ...channel, id: '51', name: 'off-topic' }), { status: 201, headers: { 'Content-Type': 'application/json' } });
    });
    const created: Channel[] = [];
    app = mount(ChannelForm, { target, props: { guildId: '1', categories: [{ ...channel, id: '9', type: 4, name: 'Chat' }], defaultParent: '9', oncreated: (c: Channel) => created.push(c) } });
    flushSync();
    const name = target.querySelector('input[placeholder=new-channel]') as HTMLInputElement;
    const submit = target.querySelector('button[type=submit]') as HTMLButtonElement;
    type(name, 'what?');
    expect(target.textContent).toContain("No punctuation except '-' and '_'.");
    expect(submit.disabled).toBe(true);
    type(name, 'Off Topic');
    expect(target.textContent).toContain('Saved as #off-topic');
    expect(submit.disabled).toBe(false);
    // Voice fields appear only for voice channels.
    expect(target.querySelector('input[type=number]')).toBeNull();
    (target.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(calls[0]?.[0]).toBe('/api/v1/guilds/1/channels');
    expect(JSON.parse(String(calls[0]?.[1]?.body))).toEqual({ name: 'Off Topic', type: 0, rate_limit_per_user: 0, nsfw: false, parent_id: '9' });
    expect(created[0]?.id).toBe('51');
  });

  it('saves only the changed fields of an edited channel through the SaveBar, with the reason header absent', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response(JSON.stringify({ ...channel, topic: null, nsfw: true }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    app = mount(ChannelForm, { target, props: { guildId: '1', channel, categories: [] } });
    flushSync();
    expect(target.querySelector('[aria-label="Unsaved changes"]')).toBeNull();
    type(target.querySelector('textarea') as HTMLTextAreaElement, '');
    (target.querySelector('[role=switch][id$=-nsfw]') as HTMLButtonElement).click();
    flushSync();
    expect(target.querySelector('[aria-label="Unsaved changes"]')).not.toBeNull();
    ([...target.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Save changes') as HTMLButtonElement).click();
    await settle();
    expect(calls[0]?.[0]).toBe('/api/v1/channels/50');
    expect(calls[0]?.[1]?.method).toBe('PATCH');
    expect(JSON.parse(String(calls[0]?.[1]?.body))).toEqual({ topic: null, nsfw: true });
    expect((calls[0]?.[1]?.headers as Record<string, string>)['X-Audit-Log-Reason']).toBeUndefined();
    expect(target.querySelector('[aria-label="Unsaved changes"]')).toBeNull();
  });
});

describe('GuildSettingsView', () => {
  const user = (id: string, username: string) => ({ id, username, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' });
  const role = (id: string, position: number, permissions: bigint, name: string) => ({ id, name, position, permissions: permissions.toString(), color: 0, hoist: false, mentionable: false, managed: false });

  it('offers only the sections the member may use, and follows a role change at once', async () => {
    vi.stubGlobal('fetch', async () => new Response('[]', { status: 200, headers: { 'Content-Type': 'application/json' } }));
    const me = { ...user('2', 'bea'), admin: false, owner: false, mfa_enabled: false };
    session.set({ token: 't', user: me });
    let s = applyEvent(emptyState(), 'READY', { user: me, guilds: [{ id: '1' }] });
    s = applyEvent(s, 'GUILD_CREATE', {
      id: '1',
      name: 'Hearthside',
      description: '',
      owner_id: '9',
      roles: [role('1', 0, P.VIEW_CHANNEL | P.SEND_MESSAGES, '@everyone'), role('5', 1, P.BAN_MEMBERS, 'Bouncer'), role('6', 2, P.MANAGE_GUILD | P.VIEW_AUDIT_LOG, 'Admin-ish')],
      channels: [],
      members: [{ user: user('2', 'bea'), nick: null, roles: ['5'], joined_at: '2026-01-01T00:00:00Z', pending: false, communication_disabled_until: null }],
      member_count: 2,
    });
    chat.set(s);
    app = mount(GuildSettingsView, { target, props: { guildId: '1', onclose: () => {} } });
    await settle();
    const nav = () => [...target.querySelectorAll('nav button')].map((b) => b.textContent?.trim());
    expect(nav()).toEqual(['Members', 'Bans']);

    chat.update((st) => applyEvent(st, 'GUILD_MEMBER_UPDATE', { guild_id: '1', user: user('2', 'bea'), nick: null, roles: ['6'], joined_at: '2026-01-01T00:00:00Z', pending: false, communication_disabled_until: null }));
    await settle();
    expect(nav()).toEqual(['Overview', 'Invites', 'AutoMod', 'Moderation votes', 'Audit log']);
    expect(target.querySelector('[style]')).toBeNull();
  });
});
