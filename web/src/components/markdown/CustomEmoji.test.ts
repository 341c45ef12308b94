// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import Markdown from './Markdown.svelte';

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

function render(content: string): HTMLElement {
  app = mount(Markdown, { target, props: { content } });
  flushSync();
  return target.querySelector('.markdown') as HTMLElement;
}

describe('custom emoji in messages', () => {
  it('renders <:name:id> as the emoji image with :name: as its text', () => {
    const md = render('hi <:party:123> and <a:dance:456>');
    const imgs = [...md.querySelectorAll('img.emoji')];
    expect(imgs.map((i) => [i.getAttribute('src'), i.getAttribute('alt')])).toEqual([
      ['/emojis/123.png', ':party:'],
      ['/emojis/456.gif', ':dance:'],
    ]);
    expect(md.classList.contains('jumbo')).toBe(false);
    expect(md.querySelector('[style]')).toBeNull();
  });

  it('shows a message of only emoji large, custom ones included', () => {
    expect(render('<:party:123> <a:dance:456> 😀').classList.contains('jumbo')).toBe(true);
  });

  it('leaves malformed or hostile forms as text, with no image', () => {
    const md = render('<:x:1> <:ok:12a> <:"onerror=alert(1)":1> <:ok:123456789012345678901>');
    expect(md.querySelector('img')).toBeNull();
    expect(md.textContent).toBe('<:x:1> <:ok:12a> <:"onerror=alert(1)":1> <:ok:123456789012345678901>');
  });
});
