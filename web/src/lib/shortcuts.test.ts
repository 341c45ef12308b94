import { describe, it, expect, vi } from 'vitest';
import { handleKey, installShortcuts, shortcutFor, type ShortcutEnv } from './shortcuts';

const key = (k: string, mods: Partial<{ alt: boolean; ctrl: boolean; meta: boolean; shift: boolean }> = {}) => ({
  key: k,
  altKey: !!mods.alt,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true;
  },
});

function env(over: Partial<ShortcutEnv> = {}): ShortcutEnv & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    modalOpen: () => false,
    switcherOpen: () => false,
    closeDrawer: () => false,
    goChannel: (d) => calls.push(`channel ${d}`),
    goUnread: (d) => calls.push(`unread ${d}`),
    goGuild: (d) => calls.push(`guild ${d}`),
    toggleSwitcher: () => calls.push('switcher'),
    toggleHelp: () => calls.push('help'),
    markChannelRead: () => calls.push('read'),
    markGuildRead: () => calls.push('guild read'),
    ...over,
  };
}

describe('shortcutFor', () => {
  it('maps Discord\u2019s keys', () => {
    expect(shortcutFor(key('k', { ctrl: true }))).toEqual({ kind: 'switcher' });
    expect(shortcutFor(key('K', { meta: true }))).toEqual({ kind: 'switcher' });
    expect(shortcutFor(key('/', { ctrl: true }))).toEqual({ kind: 'help' });
    expect(shortcutFor(key('ArrowDown', { alt: true }))).toEqual({ kind: 'channel', dir: 1 });
    expect(shortcutFor(key('ArrowUp', { alt: true }))).toEqual({ kind: 'channel', dir: -1 });
    expect(shortcutFor(key('ArrowDown', { alt: true, shift: true }))).toEqual({ kind: 'unread', dir: 1 });
    expect(shortcutFor(key('ArrowUp', { alt: true, ctrl: true }))).toEqual({ kind: 'guild', dir: -1 });
    expect(shortcutFor(key('Escape'))).toEqual({ kind: 'mark-read' });
    expect(shortcutFor(key('Escape', { shift: true }))).toEqual({ kind: 'mark-guild-read' });
  });

  it('leaves other keys alone', () => {
    expect(shortcutFor(key('ArrowDown'))).toBeNull();
    expect(shortcutFor(key('k'))).toBeNull();
    expect(shortcutFor(key('k', { ctrl: true, shift: true }))).toBeNull();
    expect(shortcutFor(key('Escape', { ctrl: true }))).toBeNull();
    expect(shortcutFor(key('ArrowDown', { ctrl: true }))).toBeNull();
  });
});

describe('handleKey', () => {
  it('runs the action and prevents the default', () => {
    const e = env();
    const ev = key('ArrowDown', { alt: true });
    expect(handleKey(ev, e)).toBe(true);
    expect(ev.defaultPrevented).toBe(true);
    handleKey(key('ArrowUp', { alt: true, shift: true }), e);
    handleKey(key('ArrowDown', { alt: true, ctrl: true }), e);
    handleKey(key('k', { ctrl: true }), e);
    handleKey(key('/', { ctrl: true }), e);
    handleKey(key('Escape'), e);
    handleKey(key('Escape', { shift: true }), e);
    expect(e.calls).toEqual(['channel 1', 'unread -1', 'guild 1', 'switcher', 'help', 'read', 'guild read']);
  });

  it('leaves an event someone already handled (a popup in the composer)', () => {
    const e = env();
    const ev = key('Escape');
    ev.preventDefault();
    expect(handleKey(ev, e)).toBe(false);
    expect(e.calls).toEqual([]);
  });

  it('does nothing under a modal, except Ctrl+K closing the switcher', () => {
    const e = env({ modalOpen: () => true });
    for (const ev of [key('Escape'), key('ArrowDown', { alt: true }), key('/', { ctrl: true }), key('k', { ctrl: true })]) expect(handleKey(ev, e)).toBe(false);
    expect(e.calls).toEqual([]);
    const sw = env({ modalOpen: () => true, switcherOpen: () => true });
    expect(handleKey(key('k', { ctrl: true }), sw)).toBe(true);
    expect(sw.calls).toEqual(['switcher']);
  });

  it('Esc closes an open drawer first and marks nothing read', () => {
    const closeDrawer = vi.fn(() => true);
    const e = env({ closeDrawer });
    expect(handleKey(key('Escape'), e)).toBe(true);
    expect(closeDrawer).toHaveBeenCalledOnce();
    expect(e.calls).toEqual([]);
  });

  it('ignores keys during IME composition', () => {
    const e = env();
    expect(handleKey({ ...key('Escape'), isComposing: true }, e)).toBe(false);
  });
});

describe('installShortcuts', () => {
  it('listens on the window until uninstalled', () => {
    const target = new EventTarget() as unknown as Window;
    const e = env();
    const off = installShortcuts(target, e);
    const fire = () => {
      const ev = Object.assign(new Event('keydown', { cancelable: true }), { key: 'ArrowDown', altKey: true, ctrlKey: false, metaKey: false, shiftKey: false });
      (target as unknown as EventTarget).dispatchEvent(ev);
      return ev;
    };
    expect(fire().defaultPrevented).toBe(true);
    off();
    expect(fire().defaultPrevented).toBe(false);
    expect(e.calls).toEqual(['channel 1']);
  });
});
