import { describe, expect, it } from 'vitest';
import { composerKeyAction, cycle, enterSendsOn, inputHint, preventsDefault, stopsPropagation, type KeyContext, type KeyLike } from './keys';

const k = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, isComposing: false, ...mods });
const ctx = (c: Partial<KeyContext> = {}): KeyContext => ({ popupOpen: false, text: 'hi', hasReply: false, enterSends: true, ...c });

describe('composerKeyAction', () => {
  it('with the popup open: arrows move, Tab and Enter accept, Esc dismisses', () => {
    const open = ctx({ popupOpen: true });
    expect(composerKeyAction(k('ArrowDown'), open)).toEqual({ kind: 'move', delta: 1 });
    expect(composerKeyAction(k('ArrowUp'), open)).toEqual({ kind: 'move', delta: -1 });
    expect(composerKeyAction(k('Tab'), open)).toEqual({ kind: 'accept' });
    expect(composerKeyAction(k('Enter'), open)).toEqual({ kind: 'accept' });
    expect(composerKeyAction(k('Enter', { ctrlKey: true }), open)).toEqual({ kind: 'accept' });
    expect(composerKeyAction(k('Escape'), ctx({ popupOpen: true, hasReply: true }))).toEqual({ kind: 'dismiss' });
  });

  it('with the popup open, Ctrl/Alt+Tab and Shift+Enter keep their usual meaning', () => {
    const open = ctx({ popupOpen: true });
    expect(composerKeyAction(k('Tab', { ctrlKey: true }), open)).toEqual({ kind: 'none' });
    expect(composerKeyAction(k('Tab', { altKey: true }), open)).toEqual({ kind: 'none' });
    expect(composerKeyAction(k('Enter', { shiftKey: true }), open)).toEqual({ kind: 'none' });
  });

  it('Enter sends, Shift+Enter does not; on touch screens only Ctrl/⌘+Enter sends', () => {
    expect(composerKeyAction(k('Enter'), ctx())).toEqual({ kind: 'send' });
    expect(composerKeyAction(k('Enter', { shiftKey: true }), ctx())).toEqual({ kind: 'none' });
    const touch = ctx({ enterSends: false });
    expect(composerKeyAction(k('Enter'), touch)).toEqual({ kind: 'none' });
    expect(composerKeyAction(k('Enter', { ctrlKey: true }), touch)).toEqual({ kind: 'send' });
    expect(composerKeyAction(k('Enter', { metaKey: true }), touch)).toEqual({ kind: 'send' });
  });

  it('↑ edits my last message only in an empty input and without modifiers', () => {
    expect(composerKeyAction(k('ArrowUp'), ctx({ text: '' }))).toEqual({ kind: 'edit-last' });
    expect(composerKeyAction(k('ArrowUp'), ctx({ text: 'draft' }))).toEqual({ kind: 'none' });
    expect(composerKeyAction(k('ArrowUp'), ctx({ text: ' ' }))).toEqual({ kind: 'none' });
    for (const m of ['shiftKey', 'altKey', 'ctrlKey', 'metaKey'] as const) expect(composerKeyAction(k('ArrowUp', { [m]: true }), ctx({ text: '' }))).toEqual({ kind: 'none' });
  });

  it('Esc cancels a pending reply', () => {
    expect(composerKeyAction(k('Escape'), ctx({ hasReply: true }))).toEqual({ kind: 'cancel-reply' });
    expect(composerKeyAction(k('Escape'), ctx())).toEqual({ kind: 'none' });
  });

  it('ignores everything while an IME composes', () => {
    expect(composerKeyAction(k('Enter', { isComposing: true }), ctx())).toEqual({ kind: 'none' });
    expect(composerKeyAction(k('ArrowDown', { isComposing: true }), ctx({ popupOpen: true }))).toEqual({ kind: 'none' });
  });

  it('leaves other keys alone', () => {
    expect(composerKeyAction(k('a'), ctx({ popupOpen: true }))).toEqual({ kind: 'none' });
    expect(composerKeyAction(k('ArrowDown'), ctx())).toEqual({ kind: 'none' });
  });
});

describe('default and propagation', () => {
  it('prevents the default of what it handles; ↑ only when there was a message to edit', () => {
    expect(preventsDefault({ kind: 'none' })).toBe(false);
    expect(preventsDefault({ kind: 'send' })).toBe(true);
    expect(preventsDefault({ kind: 'move', delta: 1 })).toBe(true);
    expect(preventsDefault({ kind: 'accept' })).toBe(true);
    expect(preventsDefault({ kind: 'edit-last' }, true)).toBe(true);
    expect(preventsDefault({ kind: 'edit-last' }, false)).toBe(false);
  });

  it('keeps the Esc it handled from closing surrounding panels', () => {
    expect(stopsPropagation({ kind: 'dismiss' })).toBe(true);
    expect(stopsPropagation({ kind: 'cancel-reply' })).toBe(true);
    expect(stopsPropagation({ kind: 'send' })).toBe(false);
    expect(stopsPropagation({ kind: 'none' })).toBe(false);
  });
});

describe('helpers', () => {
  it('cycles through the list, wrapping at both ends', () => {
    expect(cycle(0, 1, 3)).toBe(1);
    expect(cycle(2, 1, 3)).toBe(0);
    expect(cycle(0, -1, 3)).toBe(2);
    expect(cycle(0, 1, 0)).toBe(0);
  });

  it('lets Enter send unless the main pointer is coarse', () => {
    expect(enterSendsOn({})).toBe(true);
    expect(enterSendsOn({ matchMedia: () => ({ matches: false }) })).toBe(true);
    expect(enterSendsOn({ matchMedia: (q) => ({ matches: q === '(pointer: coarse)' }) })).toBe(false);
  });

  it('describes the keys', () => {
    expect(inputHint(true)).toBe('Enter to send, Shift+Enter for a new line. Type @ to mention, # for a channel, : for emoji.');
    expect(inputHint(false)).toBe('Use the Send button to send. Type @ to mention, # for a channel, : for emoji.');
  });
});
