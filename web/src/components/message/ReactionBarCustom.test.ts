// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import ReactionBar from './ReactionBar.svelte';
import type { Reaction } from '../../lib/stores/chat';

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

describe('reaction chips with custom emoji', () => {
  it('show the image, name it :name:, and hand out the name:id key', () => {
    const toggled: string[] = [];
    const reactions = [
      { count: 2, me: true, emoji: { id: '5', name: 'party', animated: true } },
      { count: 1, me: false, emoji: { id: null, name: '👍' } },
    ] as Reaction[];
    app = mount(ReactionBar, {
      target,
      props: { reactions, messageId: '1', canToggle: true, canAdd: false, myId: '1', nameOf: (u: { username: string }) => u.username, ontoggle: (k: string) => toggled.push(k), onadd: () => {}, onhint: () => {} },
    });
    flushSync();
    const chips = [...target.querySelectorAll<HTMLButtonElement>('button.chip')];
    expect(chips[0]?.querySelector('img')?.getAttribute('src')).toBe('/emojis/5.gif');
    expect(chips[0]?.getAttribute('aria-label')).toMatch(/^:party:: 2 reactions, including you/);
    expect(chips[1]?.querySelector('img')).toBeNull();
    expect(chips[1]?.textContent).toContain('👍');
    chips[0]?.click();
    chips[1]?.click();
    expect(toggled).toEqual(['party:5', '👍']);
  });
});
