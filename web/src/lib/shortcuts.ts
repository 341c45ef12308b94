/**
 * Keyboard shortcuts, Discord's: a pure key → action mapping (`shortcutFor`), and one window
 * listener (`installShortcuts`, from Shell) that runs the actions through an environment so tests
 * can drive it without the app.
 */

export type ShortcutAction =
  | { kind: 'channel'; dir: 1 | -1 }
  | { kind: 'unread'; dir: 1 | -1 }
  | { kind: 'guild'; dir: 1 | -1 }
  | { kind: 'switcher' }
  | { kind: 'help' }
  | { kind: 'mark-read' }
  | { kind: 'mark-guild-read' };

export interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** Shown in the help dialog, in this order. */
export const SHORTCUTS: { keys: string[]; label: string }[] = [
  { keys: ['Ctrl', 'K'], label: 'Open the quick switcher' },
  { keys: ['Alt', '↑ / ↓'], label: 'Previous / next channel' },
  { keys: ['Alt', 'Shift', '↑ / ↓'], label: 'Previous / next unread channel' },
  { keys: ['Ctrl', 'Alt', '↑ / ↓'], label: 'Previous / next community' },
  { keys: ['Esc'], label: 'Mark the channel read' },
  { keys: ['Shift', 'Esc'], label: 'Mark the community read' },
  { keys: ['Ctrl', '/'], label: 'Show keyboard shortcuts' },
];

/** The action a key press asks for, or null. Cmd stands for Ctrl on a Mac. */
export function shortcutFor(e: KeyLike): ShortcutAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod && !e.altKey && !e.shiftKey && key === 'k') return { kind: 'switcher' };
  if (mod && !e.altKey && key === '/') return { kind: 'help' };
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    const dir = key === 'ArrowUp' ? -1 : 1;
    if (e.altKey && mod && !e.shiftKey) return { kind: 'guild', dir };
    if (e.altKey && !mod && e.shiftKey) return { kind: 'unread', dir };
    if (e.altKey && !mod && !e.shiftKey) return { kind: 'channel', dir };
    return null;
  }
  if (key === 'Escape' && !mod && !e.altKey) return e.shiftKey ? { kind: 'mark-guild-read' } : { kind: 'mark-read' };
  return null;
}

export interface ShortcutEnv {
  /** Something modal is open (an overlay, a dialog, a menu): Esc and navigation belong to it. */
  modalOpen(): boolean;
  /** The quick switcher is the open overlay (Ctrl+K then closes it). */
  switcherOpen(): boolean;
  /** Close an open drawer; true when one was (then Esc did that and nothing else). */
  closeDrawer(): boolean;
  goChannel(dir: 1 | -1): void;
  goUnread(dir: 1 | -1): void;
  goGuild(dir: 1 | -1): void;
  toggleSwitcher(): void;
  toggleHelp(): void;
  markChannelRead(): void;
  markGuildRead(): void;
}

/** Handle one key press; true when it was a shortcut (the event is then prevented). */
export function handleKey(e: KeyboardEvent | (KeyLike & { defaultPrevented: boolean; preventDefault(): void; isComposing?: boolean }), env: ShortcutEnv): boolean {
  if (e.defaultPrevented || e.isComposing) return false;
  const a = shortcutFor(e);
  if (!a) return false;
  const modal = env.modalOpen();
  switch (a.kind) {
    case 'switcher':
      // Ctrl+K toggles the switcher even over itself; not over other dialogs.
      if (modal && !env.switcherOpen()) return false;
      env.toggleSwitcher();
      break;
    case 'help':
      if (modal) return false;
      env.toggleHelp();
      break;
    case 'mark-read':
    case 'mark-guild-read':
      if (modal) return false;
      if (env.closeDrawer()) break;
      if (a.kind === 'mark-read') env.markChannelRead();
      else env.markGuildRead();
      break;
    default:
      if (modal) return false;
      if (a.kind === 'channel') env.goChannel(a.dir);
      else if (a.kind === 'unread') env.goUnread(a.dir);
      else env.goGuild(a.dir);
  }
  e.preventDefault();
  return true;
}

/** Listen on the window; returns the uninstaller. */
export function installShortcuts(win: Window, env: ShortcutEnv): () => void {
  // Bubble phase: components that handle a key themselves (a popup in the composer, a menu)
  // prevent it first, and the shortcut then leaves it alone.
  const listener = (e: KeyboardEvent) => void handleKey(e, env);
  win.addEventListener('keydown', listener);
  return () => win.removeEventListener('keydown', listener);
}
