// @vitest-environment happy-dom
// (a browser environment: Svelte compiles runes for the client there; under node its effects never run)
import { describe, expect, it } from 'vitest';
import { PickerState, type Selection } from './picker-state.svelte';

function setup(text: string, sel: Selection) {
  const log: string[] = [];
  const box = { text, sel };
  const picker = new PickerState({
    selection: () => box.sel,
    text: () => box.text,
    write: (t) => {
      log.push(`write ${t}`);
      box.text = t;
    },
    refocus: (pos) => log.push(`refocus ${pos}`),
  });
  return { picker, box, log };
}

describe('PickerState', () => {
  it('inserts picks at the selection it opened with, one after another', async () => {
    const { picker, box, log } = setup('hello world', { start: 5, end: 5 });
    picker.toggle();
    expect(picker.open).toBe(true);
    box.sel = { start: 0, end: 0 }; // focus moved into the picker: the input's selection no longer counts
    picker.pick('🍕');
    picker.pick('👍');
    expect(box.text).toBe('hello🍕👍 world');
    await picker.close();
    expect(picker.open).toBe(false);
    expect(log.at(-1)).toBe(`refocus ${5 + '🍕👍'.length}`);
  });

  it('replaces a selected range, and toggles closed', () => {
    const { picker, box } = setup('say hi', { start: 4, end: 6 });
    picker.toggle();
    picker.pick('👋');
    expect(box.text).toBe('say 👋');
    picker.toggle();
    expect(picker.open).toBe(false);
  });
});
