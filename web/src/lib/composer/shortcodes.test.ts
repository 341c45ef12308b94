import { describe, expect, it, vi } from 'vitest';
import { convertTyped, expandShortcodes, hasShortcode } from './shortcodes';
import { smallEmoji } from './test-fixtures';

const data = smallEmoji();

describe('convertTyped', () => {
  it('turns a :shortcode: into its emoji as the closing colon is typed', () => {
    expect(convertTyped('so :pizza:', 10, { inputType: 'insertText', data: ':' }, data)).toEqual({ text: 'so 🍕', caret: 5, emoji: '🍕' });
    expect(convertTyped('so :pizza: now', 10, { inputType: 'insertText', data: ':' }, data)?.text).toBe('so 🍕 now');
  });

  it('only for a typed colon, a known shortcode and loaded data', () => {
    expect(convertTyped('so :pizza:', 10, { inputType: 'insertFromPaste', data: null }, data)).toBeNull();
    expect(convertTyped('so :pizza:', 10, {}, data)).toBeNull();
    expect(convertTyped('so :pizza:', 10, { inputType: 'insertText', data: ':' }, null)).toBeNull();
    expect(convertTyped('so :nope:', 9, { inputType: 'insertText', data: ':' }, data)).toBeNull();
    expect(convertTyped('`:pizza:', 8, { inputType: 'insertText', data: ':' }, data)).toBeNull();
  });
});

describe('expandShortcodes', () => {
  it('replaces shortcodes on send, except in code', async () => {
    expect(await expandShortcodes('ok :smile: `:smile:`', data, () => Promise.reject(new Error('unused')))).toBe('ok 😄 `:smile:`');
  });

  it('loads the emoji data when needed, and only then', async () => {
    const load = vi.fn(() => Promise.resolve(data));
    expect(await expandShortcodes('plain text', null, load)).toBe('plain text');
    expect(load).not.toHaveBeenCalled();
    expect(await expandShortcodes(':pizza: time', null, load)).toBe('🍕 time');
    expect(load).toHaveBeenCalledOnce();
  });

  it('sends the text as typed when the data cannot be loaded', async () => {
    expect(await expandShortcodes(':pizza: time', null, () => Promise.reject(new Error('offline')))).toBe(':pizza: time');
  });

  it('spots shortcodes', () => {
    expect(hasShortcode('a :b: c')).toBe(true);
    expect(hasShortcode('12:30')).toBe(false);
    expect(hasShortcode('::')).toBe(false);
  });
});
