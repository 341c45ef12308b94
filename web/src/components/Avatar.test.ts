// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import Avatar from './Avatar.svelte';

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
});

function render(props: Record<string, unknown>): HTMLElement {
  app = mount(Avatar, { target, props: props as never });
  flushSync();
  return target.querySelector('.avatar') as HTMLElement;
}

describe('Avatar', () => {
  it('shows the image at a served size sharp on this screen', () => {
    window.devicePixelRatio = 2;
    const el = render({ user: { id: '7', avatar: 'abc' }, name: 'Ada Lovelace', size: 40 });
    expect(el.querySelector('img')?.getAttribute('src')).toBe('/avatars/7/abc.png?size=128');
    expect(el.textContent?.trim()).toBe('');
    window.devicePixelRatio = 1;
  });

  it('shows initials when there is no avatar', () => {
    const el = render({ user: { id: '7', avatar: null }, name: 'Ada Lovelace', size: 32 });
    expect(el.querySelector('img')).toBeNull();
    expect(el.textContent?.trim()).toBe('AL');
  });

  it('falls back to initials when the image fails to load', () => {
    const el = render({ user: { id: '7', avatar: 'a_abc' }, name: 'ada', size: 64, status: 'online' });
    const img = el.querySelector('img') as HTMLImageElement;
    expect(img.getAttribute('src')).toBe('/avatars/7/a_abc.gif?size=64');
    img.dispatchEvent(new Event('error'));
    flushSync();
    expect(el.querySelector('img')).toBeNull();
    expect(el.textContent?.trim()).toBe('A');
    expect(el.querySelector('.status.online')).not.toBeNull();
  });

  it('shows a preview address instead of the saved image', () => {
    const el = render({ user: { id: '7', avatar: 'abc' }, name: 'ada', size: 80, src: 'data:image/png;base64,AAAA' });
    expect(el.querySelector('img')?.getAttribute('src')).toBe('data:image/png;base64,AAAA');
  });
});
