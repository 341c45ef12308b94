// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import EmojiSection from './EmojiSection.svelte';
import { customEmojis } from '../../../lib/stores/emojis';
import { get } from 'svelte/store';
import type { GuildEmoji } from '../../../lib/api/endpoints/media';
import type { Guild } from '../../../lib/api/types';

let target: HTMLElement;
let app: ReturnType<typeof mount> | null = null;
let calls: { method: string; path: string; body: unknown }[] = [];

const user = { id: '2', username: 'bea', global_name: 'Bea', bio: '', pronouns: '', avatar: null, bot: false, created_at: '' };
const e = (id: string, name: string, extra: Partial<GuildEmoji> = {}): GuildEmoji => ({ id, name, roles: [], require_colons: true, managed: false, animated: false, available: true, ...extra });
const guild = { id: '10', name: 'Hearthside', owner_id: '2', roles: [] } as unknown as Guild;
const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'Content-Type': 'application/json' } });

async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 5));
    await tick();
  }
  flushSync();
}

function serve(answer: (method: string, path: string, body: unknown) => Response) {
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const path = new URL(url, 'http://x').pathname;
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: init.method ?? 'GET', path, body });
    if (path === '/api/v1/instance') return json({ name: 'x', media: { max_emoji_bytes: 100, max_emojis_per_guild: 3 } });
    return answer(init.method ?? 'GET', path, body);
  });
}

function pick(files: File[]): void {
  const input = target.querySelector('input[type=file]') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

beforeEach(() => {
  target = document.createElement('div');
  document.body.appendChild(target);
  calls = [];
  customEmojis.set({ '10': [e('1', 'party')] });
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  target.remove();
  vi.unstubAllGlobals();
  customEmojis.set({});
});

describe('the Emoji settings tab', () => {
  it('lists each emoji with its image, name and uploader, and counts against the limit', async () => {
    serve(() => json([e('1', 'party', { user })]));
    app = mount(EmojiSection, { target, props: { guild } });
    await settle();
    const row = target.querySelector('li') as HTMLElement;
    expect(row.querySelector('img')?.getAttribute('src')).toBe('/emojis/1.png');
    expect((row.querySelector('input') as HTMLInputElement).value).toBe('party');
    expect(row.textContent).toContain('Bea');
    expect(target.querySelector('.count')?.textContent).toBe('1 / 3');
    expect(target.querySelector('[style]')).toBeNull();
  });

  it('uploads picked files under names from their filenames, and says why one was refused', async () => {
    serve((method, _path, body) => (method === 'POST' ? json(e('7', (body as { name: string }).name)) : json([e('1', 'party')])));
    app = mount(EmojiSection, { target, props: { guild } });
    await settle();
    pick([new File([new Uint8Array([1, 2, 3])], 'party.png', { type: 'image/png' }), new File([new Uint8Array(101)], 'huge.gif', { type: 'image/gif' })]);
    await settle();
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts.length).toBe(1);
    expect(posts[0]?.path).toBe('/api/v1/guilds/10/emojis');
    expect(posts[0]?.body).toEqual({ name: 'party_2', image: 'data:image/png;base64,AQID' });
    expect(get(customEmojis)['10']?.map((x) => x.name)).toEqual(['party', 'party_2']);
    expect(target.querySelector('[role=alert]')?.textContent).toMatch(/huge\.gif: .*limit is 100 bytes/);
  });

  it('shows the server refusing an upload (limit reached) inline', async () => {
    serve((method) => (method === 'POST' ? json({ error: { code: 'LIMIT_REACHED', message: 'no' } }, 400) : json([])));
    app = mount(EmojiSection, { target, props: { guild } });
    await settle();
    pick([new File([new Uint8Array([1])], 'x.png', { type: 'image/png' })]);
    await settle();
    expect(target.querySelector('[role=alert]')?.textContent).toMatch(/as many emoji/);
  });

  it('renames in place on Enter, refusing invalid names without asking the server', async () => {
    serve((method, _path, body) => (method === 'PATCH' ? json(e('1', (body as { name: string }).name)) : json([e('1', 'party')])));
    app = mount(EmojiSection, { target, props: { guild } });
    await settle();
    const input = target.querySelector('li input') as HTMLInputElement;
    input.focus();
    input.value = 'x';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    expect(target.querySelector('li [role=alert]')?.textContent).toMatch(/2–32/);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle();
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
    input.focus();
    input.value = 'fiesta';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle();
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({ path: '/api/v1/guilds/10/emojis/1', body: { name: 'fiesta' } });
    expect(get(customEmojis)['10']?.[0]?.name).toBe('fiesta');
  });

  it('deletes only after the confirmation', async () => {
    serve((method) => (method === 'DELETE' ? new Response(null, { status: 204 }) : json([e('1', 'party')])));
    app = mount(EmojiSection, { target, props: { guild } });
    await settle();
    (target.querySelector('button[aria-label="Delete :party:"]') as HTMLButtonElement).click();
    await settle();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    const confirm = [...document.querySelectorAll('dialog button')].find((b) => b.textContent?.trim() === 'Delete emoji') as HTMLButtonElement;
    confirm.click();
    await settle();
    expect(calls.find((c) => c.method === 'DELETE')?.path).toBe('/api/v1/guilds/10/emojis/1');
    expect(get(customEmojis)['10']).toEqual([]);
    expect(target.textContent).toContain('No custom emoji yet.');
  });
});
