// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import { get } from 'svelte/store';
import EmojiPicker from './EmojiPicker.svelte';
import { loadEmoji } from '../../lib/emoji/data';
import { recentEmoji } from '../../lib/emoji/recent';
import { chat, selection } from '../../lib/app';
import { applyEvent, emptyState } from '../../lib/stores/chat';
import { customEmojis } from '../../lib/stores/emojis';
import type { GuildEmoji } from '../../lib/api/endpoints/media';

let target: HTMLElement;
let app: ReturnType<typeof mount> | null = null;

const e = (id: string, name: string, animated = false): GuildEmoji => ({ id, name, roles: [], require_colons: true, managed: false, animated, available: true });

async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 20));
    await tick();
  }
  flushSync();
}

function typeQuery(q: string) {
  const s = target.querySelector('input[type=search]') as HTMLInputElement;
  s.value = q;
  s.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

vi.setConfig({ testTimeout: 30_000 });
beforeAll(() => loadEmoji(), 30_000);

beforeEach(() => {
  target = document.createElement('div');
  document.body.appendChild(target);
  recentEmoji.set([]);
  localStorage.clear();
  let s = applyEvent(emptyState(), 'READY', { user: { id: '1', username: 'me' }, guilds: [{ id: '10' }, { id: '20' }] });
  s = applyEvent(s, 'GUILD_CREATE', { id: '10', name: 'Alpha', owner_id: '1', roles: [], channels: [], members: [] });
  s = applyEvent(s, 'GUILD_CREATE', { id: '20', name: 'Beta', owner_id: '1', roles: [], channels: [], members: [], icon: 'ic' });
  chat.set(s);
  customEmojis.set({ '10': [e('1', 'alpha_wave')], '20': [e('2', 'party_parrot', true), e('3', 'blob')] });
  selection.set({ guildId: '20', channelId: null });
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  target.remove();
  customEmojis.set({});
  chat.set(emptyState());
  selection.set({ guildId: null, channelId: null });
});

describe('EmojiPicker with custom emoji', () => {
  it('has a section and a tab per guild with emoji, the current guild first, before the unicode categories', async () => {
    app = mount(EmojiPicker, { target, props: { onpick: () => {}, onclose: () => {} } });
    await settle();
    const heads = [...target.querySelectorAll('.head')].map((h) => h.textContent);
    expect(heads.slice(0, 3)).toEqual(['Beta', 'Alpha', 'Smileys & Emotion']);
    const tabs = [...target.querySelectorAll('nav[aria-label="Emoji categories"] button')].map((b) => b.getAttribute('aria-label'));
    expect(tabs.slice(0, 2)).toEqual(['Beta', 'Alpha']);
    // Beta's tab shows its icon; Alpha has none and shows its initial.
    expect(target.querySelector('nav .guild-icon')?.getAttribute('src')).toMatch(/^\/icons\/20\/ic\.png\?size=/);
    const first = target.querySelector('[role=option]') as HTMLElement;
    expect(first.getAttribute('aria-label')).toBe(':party_parrot:');
    expect(first.querySelector('img')?.getAttribute('src')).toBe('/emojis/2.gif');
    expect(target.querySelector('[style]')).toBeNull();
  });

  it('finds custom emoji by name and picks them as <a:name:id>, remembering them as recent', async () => {
    const onpick = vi.fn();
    app = mount(EmojiPicker, { target, props: { onpick, onclose: () => {} } });
    await settle();
    typeQuery('wave');
    await settle();
    const labels = [...target.querySelectorAll('[role=option]')].map((o) => o.getAttribute('aria-label'));
    expect(labels[0]).toBe(':alpha_wave:');
    expect(labels).toContain('waving hand');
    typeQuery('parrot');
    await settle();
    (target.querySelector('[role=option]') as HTMLElement).click();
    expect(onpick).toHaveBeenCalledWith('<a:party_parrot:2>');
    expect(get(recentEmoji)[0]).toBe('<a:party_parrot:2>');
  });

  it('shows recent custom emoji under their current name and drops deleted ones', async () => {
    recentEmoji.set(['<:old_name:3>', '<:deleted:99>', '🍕']);
    app = mount(EmojiPicker, { target, props: { onpick: () => {}, onclose: () => {} } });
    await settle();
    const recent = target.querySelector('.section');
    expect(recent?.querySelector('.head')?.textContent).toBe('Recently used');
    expect([...(recent?.querySelectorAll('[role=option]') ?? [])].map((o) => o.getAttribute('aria-label'))).toEqual([':blob:', 'pizza']);
  });
});
