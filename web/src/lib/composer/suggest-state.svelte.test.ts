// @vitest-environment happy-dom
// (a browser environment: Svelte compiles runes for the client there; under node its effects never run)
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { SuggestState, type SuggestHost } from './suggest-state.svelte';
import { composerStanding } from './standing';
import { guildState, smallEmoji } from './test-fixtures';
import type { EmojiData } from '../emoji/data';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

/** A SuggestState over a text and emoji data that the test changes, in an effect root. */
function setup(initial: string) {
  const calls: string[] = [];
  const box = $state({ text: initial, emoji: null as EmojiData | null });
  const state = guildState();
  const standing = composerStanding(state, '100', '1', Date.now());
  const host: SuggestHost = {
    members: (g) => calls.push(`members ${g}`),
    emoji: () => calls.push('emoji'),
    write: (t, caret) => {
      calls.push(`write ${t}|${caret}`);
      box.text = t;
    },
    used: (e) => calls.push(`used ${e}`),
  };
  let ac!: SuggestState;
  cleanup = $effect.root(() => {
    ac = new SuggestState(() => box.text, {
      state,
      standing,
      fetchedMembers: undefined,
      get emojiData() { return box.emoji; }, // prettier-ignore
      skinTone: 0,
    }, host);
  });
  ac.focused = true;
  ac.caret = initial.length;
  flushSync();
  return { ac, box, calls };
}

describe('SuggestState', () => {
  it('derives the trigger, list and title from the text and caret, only while focused', () => {
    const { ac } = setup('hi @b');
    expect(ac.trigger).toMatchObject({ kind: '@', query: 'b' });
    expect(ac.open).toBe(true);
    expect(ac.items.map((s) => s.label)).toEqual(['Bobby', 'Builders']);
    expect(ac.title).toBe('Members and roles');
    ac.focused = false;
    expect(ac.open).toBe(false);
  });

  it('asks for what the trigger needs: members for @, the emoji for :', () => {
    const { ac, box, calls } = setup('hi @b');
    expect(calls).toEqual(['members 10']);
    box.text = 'so :pi';
    ac.caret = 6;
    flushSync();
    expect(calls).toContain('emoji');
    expect(ac.open).toBe(false);
    box.emoji = smallEmoji();
    flushSync();
    expect(ac.items[0]?.label).toBe(':pizza:');
    expect(ac.title).toBe('Emoji matching :pi');
  });

  it('moves the active option with wrapping, and starts at the top for a new query', () => {
    const { ac, box } = setup('hi @b');
    ac.move(1);
    expect(ac.active).toBe(1);
    ac.move(1);
    expect(ac.active).toBe(0);
    ac.move(-1);
    expect(ac.active).toBe(1);
    box.text = 'hi @bo';
    ac.caret = 6;
    expect(ac.active).toBe(0);
    ac.active = 0;
    expect(ac.items).toHaveLength(1);
  });

  it('keeps a dismissed trigger closed until the caret leaves it', () => {
    const { ac, box } = setup('see #ga');
    expect(ac.open).toBe(true);
    ac.dismiss();
    expect(ac.open).toBe(false);
    box.text = 'see #gam';
    ac.caretMoved(8, box.text);
    expect(ac.open).toBe(false);
    box.text = 'see #gam #gen';
    ac.caretMoved(13, box.text);
    expect(ac.items[0]?.label).toBe('general');
    ac.dismiss();
    // placing the caret for the user keeps the dismissal; undismiss drops it
    ac.caretMoved(13, null);
    expect(ac.open).toBe(false);
    ac.undismiss();
    expect(ac.open).toBe(true);
  });

  it('accepts the active option into the text, recording used emoji', () => {
    const { ac, box, calls } = setup('hi @b');
    ac.move(1);
    ac.accept();
    expect(calls).toContain('write hi <@&50> |10');
    expect(box.text).toBe('hi <@&50> ');
    box.emoji = smallEmoji();
    box.text = 'yum :piz';
    ac.caretMoved(8, box.text);
    ac.accept(0);
    expect(calls.slice(-2)).toEqual(['write yum 🍕 |7', 'used 🍕']);
  });

  it('accepts nothing without an option', () => {
    const { ac, calls } = setup('hello');
    ac.accept(0);
    expect(calls.filter((c) => c.startsWith('write'))).toEqual([]);
  });
});
