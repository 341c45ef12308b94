// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import { get } from 'svelte/store';
import ProfileSection from './ProfileSection.svelte';
import { session } from '../../../lib/stores/session';

let target: HTMLElement;
let app: ReturnType<typeof mount> | null = null;
const me = { id: '7', username: 'ada', global_name: 'Ada', bio: '', pronouns: '', avatar: null, banner: null, bot: false, created_at: '2026-01-01T00:00:00Z', admin: false, owner: false, mfa_enabled: false };
const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'Content-Type': 'application/json' } });

async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 5));
    await tick();
  }
  flushSync();
}

const button = (text: string) => [...target.querySelectorAll('button')].find((b) => b.textContent?.trim() === text) as HTMLButtonElement;

function pick(id: string, file: File): void {
  const input = target.querySelector(`#${id}-file`) as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

beforeEach(() => {
  target = document.createElement('div');
  document.body.appendChild(target);
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  target.remove();
  vi.unstubAllGlobals();
  session.set({ token: null, user: null });
});

describe('profile avatar and banner', () => {
  it('previews a picked avatar and saves it with PATCH /users/@me; removing sends null', async () => {
    session.set({ token: 't', user: { ...me } });
    const patches: unknown[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      if (url.endsWith('/instance')) return json({ name: 'x', media: { max_image_bytes: 1000 } });
      patches.push(JSON.parse(String(init.body)));
      return json({ ...me, avatar: patches.length === 1 ? 'abc' : null });
    });
    app = mount(ProfileSection, { target });
    await settle();
    expect(target.querySelector('.card .avatar img')).toBeNull();
    pick('pf-avatar', new File([new Uint8Array([1, 2, 3])], 'me.png', { type: 'image/png' }));
    await settle();
    expect(target.querySelector('.card .avatar img')?.getAttribute('src')).toBe('data:image/png;base64,AQID');
    expect(target.querySelector('[aria-label="Unsaved changes"]')).not.toBeNull();
    button('Save changes').click();
    await settle();
    expect(patches).toEqual([{ avatar: 'data:image/png;base64,AQID' }]);
    expect(get(session).user?.avatar).toBe('abc');
    expect(target.querySelector('.card .avatar img')?.getAttribute('src')).toMatch(/^\/avatars\/7\/abc\.png\?size=/);

    button('Remove').click();
    flushSync();
    button('Save changes').click();
    await settle();
    expect(patches[1]).toEqual({ avatar: null });
  });

  it('refuses an image over the instance limit before sending anything', async () => {
    session.set({ token: 't', user: { ...me } });
    const methods: string[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      methods.push(init.method ?? 'GET');
      return json({ name: 'x', media: { max_image_bytes: 1000 } });
    });
    app = mount(ProfileSection, { target });
    await settle();
    pick('pf-banner', new File([new Uint8Array(1001)], 'wide.png', { type: 'image/png' }));
    await settle();
    expect(target.querySelector('[role=alert]')?.textContent).toMatch(/limit is 1000 bytes/);
    expect(target.querySelector('[aria-label="Unsaved changes"]')).toBeNull();
    expect(methods.filter((m) => m !== 'GET')).toEqual([]);
  });
});
