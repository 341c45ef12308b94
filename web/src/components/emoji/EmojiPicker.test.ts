// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import { get } from 'svelte/store';
import EmojiPicker from './EmojiPicker.svelte';
import { loadEmoji } from '../../lib/emoji/data';
import { recentEmoji } from '../../lib/emoji/recent';

let target: HTMLElement;
let app: ReturnType<typeof mount> | null = null;

async function settle(): Promise<void> {
  await loadEmoji();
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 20));
    await tick();
  }
  flushSync();
}

function search(): HTMLInputElement {
  return target.querySelector('input[type=search]') as HTMLInputElement;
}

function key(k: string, extra: KeyboardEventInit = {}) {
  search().dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...extra }));
  flushSync();
}

function typeQuery(q: string) {
  search().value = q;
  search().dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

const activeLabel = () => {
  const id = search().getAttribute('aria-activedescendant');
  return id ? document.getElementById(id)?.getAttribute('aria-label') : null;
};

// Rendering ~1900 emoji buttons in happy-dom is slow next to a browser: allow for it.
vi.setConfig({ testTimeout: 30_000 });
beforeAll(() => loadEmoji(), 30_000);

beforeEach(() => {
  target = document.createElement('div');
  document.body.appendChild(target);
  recentEmoji.set([]);
  localStorage.clear();
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  target.remove();
});

describe('EmojiPicker', () => {
  it('opens with the search focused, categories and named emoji buttons', async () => {
    app = mount(EmojiPicker, { target, props: { onpick: () => {}, onclose: () => {} } });
    await settle();
    expect(document.activeElement).toBe(search());
    expect(target.querySelector('[role=dialog]')?.getAttribute('aria-label')).toBe('Emoji picker');
    const tabs = [...target.querySelectorAll('nav[aria-label="Emoji categories"] button')].map((b) => b.getAttribute('aria-label'));
    expect(tabs).toContain('Smileys & Emotion');
    expect(tabs).toContain('Flags');
    const options = target.querySelectorAll('[role=option]');
    expect(options.length).toBeGreaterThan(100);
    for (const o of options) expect(o.getAttribute('aria-label')).toBeTruthy();
    expect(activeLabel()).toBe('grinning face');
    expect(target.querySelector('[style]')).toBeNull();
  });

  it('searches, moves with the arrows and picks with Enter (closing), Shift+Enter keeps it open', async () => {
    const onpick = vi.fn();
    const onclose = vi.fn();
    app = mount(EmojiPicker, { target, props: { onpick, onclose } });
    await settle();
    typeQuery('pizza');
    await settle();
    expect(activeLabel()).toBe('pizza');
    expect(target.querySelector('.preview')?.textContent).toContain(':pizza:');
    key('Enter', { shiftKey: true });
    expect(onpick).toHaveBeenLastCalledWith('🍕');
    expect(onclose).not.toHaveBeenCalled();
    typeQuery('smile');
    await settle();
    expect(activeLabel()).toBe('grinning face with smiling eyes');
    key('ArrowRight');
    const second = activeLabel();
    expect(second).not.toBe('grinning face with smiling eyes');
    key('ArrowLeft');
    expect(activeLabel()).toBe('grinning face with smiling eyes');
    key('Enter');
    expect(onpick).toHaveBeenLastCalledWith('😄');
    expect(onclose).toHaveBeenCalledOnce();
    expect(get(recentEmoji).slice(0, 2)).toEqual(['😄', '🍕']);
    expect(JSON.parse(localStorage.getItem('hearth.emoji.recent') ?? '[]')).toEqual(['😄', '🍕']);
  });

  it('shows recently used first and picks on click', async () => {
    recentEmoji.set(['🍕']);
    const onpick = vi.fn();
    app = mount(EmojiPicker, { target, props: { onpick, onclose: () => {} } });
    await settle();
    const firstHead = target.querySelector('.head')?.textContent;
    expect(firstHead).toBe('Recently used');
    (target.querySelector('[role=option]') as HTMLElement).click();
    expect(onpick).toHaveBeenCalledWith('🍕');
  });

  it('says when nothing matches', async () => {
    app = mount(EmojiPicker, { target, props: { onpick: () => {}, onclose: () => {} } });
    await settle();
    typeQuery('qqqqzzzz');
    await settle();
    expect(target.textContent).toContain('No emoji match “qqqqzzzz”.');
  });

  it('closes on Esc (after clearing a query) and on a click outside, not on its anchor', async () => {
    const onclose = vi.fn();
    const anchor = document.createElement('button');
    document.body.appendChild(anchor);
    app = mount(EmojiPicker, { target, props: { onpick: () => {}, onclose, anchor } });
    await settle();
    typeQuery('cat');
    key('Escape');
    expect(search().value).toBe('');
    expect(onclose).not.toHaveBeenCalled();
    key('Escape');
    expect(onclose).toHaveBeenCalledTimes(1);
    anchor.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    expect(onclose).toHaveBeenCalledTimes(1);
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    expect(onclose).toHaveBeenCalledTimes(2);
    anchor.remove();
  });
});
