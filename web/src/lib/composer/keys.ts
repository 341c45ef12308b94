/**
 * The composer's keyboard, as a decision table: what a keydown in the message input means, given
 * whether the suggestion popup is open, what is typed and whether a reply is pending. The
 * component carries the action out; nothing here touches the DOM.
 *
 * With the popup open: ↑/↓ move (wrapping), Tab or Enter accept, Esc dismisses. Otherwise Enter
 * sends (Shift+Enter breaks the line; on touch screens only Ctrl/⌘+Enter sends, the button is there),
 * ↑ in an empty input edits my last message, and Esc cancels a pending reply.
 */

export type KeyAction =
  | { kind: 'none' }
  | { kind: 'move'; delta: 1 | -1 }
  | { kind: 'accept' }
  | { kind: 'dismiss' }
  | { kind: 'send' }
  | { kind: 'edit-last' }
  | { kind: 'cancel-reply' };

export type KeyLike = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey' | 'isComposing'>;

export interface KeyContext {
  popupOpen: boolean;
  /** The input's text. */
  text: string;
  hasReply: boolean;
  /** Plain Enter sends (false on touch screens, where Enter breaks the line). */
  enterSends: boolean;
}

const NONE: KeyAction = { kind: 'none' };

function popupAction(e: KeyLike): KeyAction | null {
  if (e.key === 'ArrowDown') return { kind: 'move', delta: 1 };
  if (e.key === 'ArrowUp') return { kind: 'move', delta: -1 };
  if ((e.key === 'Tab' && !e.ctrlKey && !e.altKey) || (e.key === 'Enter' && !e.shiftKey)) return { kind: 'accept' };
  if (e.key === 'Escape') return { kind: 'dismiss' };
  return null;
}

export function composerKeyAction(e: KeyLike, ctx: KeyContext): KeyAction {
  if (e.isComposing) return NONE;
  if (ctx.popupOpen) {
    const a = popupAction(e);
    if (a) return a;
  }
  if (e.key === 'Enter' && !e.shiftKey && (ctx.enterSends || e.ctrlKey || e.metaKey)) return { kind: 'send' };
  if (e.key === 'ArrowUp' && ctx.text === '' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) return { kind: 'edit-last' };
  if (e.key === 'Escape' && ctx.hasReply) return { kind: 'cancel-reply' };
  return NONE;
}

/**
 * Whether the key's default action must be prevented: always for what the composer handles, except
 * ↑ for editing, which keeps its default when there is no message of mine to edit (`handled`).
 */
export function preventsDefault(a: KeyAction, handled = true): boolean {
  if (a.kind === 'none') return false;
  return a.kind === 'edit-last' ? handled : true;
}

/** Esc handled here must not also close whatever surrounds the composer (a drawer, a panel). */
export function stopsPropagation(a: KeyAction): boolean {
  return a.kind === 'dismiss' || a.kind === 'cancel-reply';
}

/** Move through a list of `n` items, wrapping at both ends. */
export function cycle(index: number, delta: number, n: number): number {
  if (n <= 0) return 0;
  return (((index + delta) % n) + n) % n;
}

/** Plain Enter sends unless the main pointer is coarse (a phone's on-screen keyboard). */
export function enterSendsOn(win: { matchMedia?: (query: string) => { matches: boolean } }): boolean {
  return typeof win.matchMedia === 'function' ? !win.matchMedia('(pointer: coarse)').matches : true;
}

/** The hint the input is described by. */
export function inputHint(enterSends: boolean): string {
  return `${enterSends ? 'Enter to send, Shift+Enter for a new line.' : 'Use the Send button to send.'} Type @ to mention, # for a channel, : for emoji.`;
}
