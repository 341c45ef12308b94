/**
 * Composer state that outlives the component: per-channel drafts, the message each channel's
 * composer replies to (Hearth has no `allowed_mentions`, so a reply never pings its author and there
 * is no mention toggle), and a way for other parts of the
 * app (the message view's "Reply" action) to move focus to the composer.
 */
import { get, writable } from 'svelte/store';
import { api, onGatewayDispatch } from '../app';

/** channel id → unsent text */
export const drafts = writable<Record<string, string>>({});
/** channel id → id of the message being replied to */
export const replyTo = writable<Record<string, string>>({});

function without<T>(rec: Record<string, T>, key: string): Record<string, T> {
  if (!(key in rec)) return rec;
  const copy = { ...rec };
  delete copy[key];
  return copy;
}

export function getDraft(channelId: string): string {
  return get(drafts)[channelId] ?? '';
}

/** Remember (or, for blank text, forget) the draft of a channel. */
export function setDraft(channelId: string, text: string): void {
  const d = get(drafts);
  if ((d[channelId] ?? '') === text) return;
  drafts.set(text === '' ? without(d, channelId) : { ...d, [channelId]: text });
}

export function clearDraft(channelId: string): void {
  drafts.update((d) => without(d, channelId));
}

type FocusHandler = () => void;
let focusHandler: FocusHandler | null = null;

/** The mounted composer registers how to focus itself; returns the unregister function. */
export function registerComposerFocus(fn: FocusHandler): () => void {
  focusHandler = fn;
  return () => {
    if (focusHandler === fn) focusHandler = null;
  };
}

export function focusComposer(): void {
  focusHandler?.();
}

/** Reply to a message in a channel (replacing an earlier reply target there) and focus the composer. */
export function startReply(channelId: string, messageId: string): void {
  replyTo.update((r) => ({ ...r, [channelId]: messageId }));
  focusComposer();
}

export function cancelReply(channelId: string): void {
  replyTo.update((r) => without(r, channelId));
}

export function getReply(channelId: string): string | null {
  return get(replyTo)[channelId] ?? null;
}

/** A deleted message cannot be replied to: drop the reply bar pointing at it. */
export function dropRepliesToDeleted(t: string, d: unknown): void {
  if (t !== 'MESSAGE_DELETE' && t !== 'MESSAGE_DELETE_BULK') return;
  const { channel_id, id, ids } = d as { channel_id: string; id?: string; ids?: string[] };
  const target = get(replyTo)[channel_id];
  if (target && (target === id || ids?.includes(target))) cancelReply(channel_id);
}
onGatewayDispatch(dropRepliesToDeleted);

// ---- typing ----

/** How often a typing notice is repeated while typing goes on (the indicator lasts about 10 s). */
export const TYPING_INTERVAL_MS = 8000;

export interface TypingNotifier {
  /** The user changed the text: notify unless it is empty or we did so less than 8 s ago. */
  typed(channelId: string, text: string): void;
  /** A message was sent: the next keystroke notifies again at once (within the server's rate). */
  sent(channelId: string): void;
  /** Forget everything (signing out; tests). */
  reset(): void;
}

/** The server's typing rate: at most two notices per three seconds per user and channel (docs/gateway.md). */
export const TYPING_SERVER_LIMIT = { count: 2, windowMs: 3000 } as const;

export function createTypingNotifier(post: (channelId: string) => Promise<unknown>, intervalMs = TYPING_INTERVAL_MS, now: () => number = () => Date.now()): TypingNotifier {
  const last = new Map<string, number>();
  // Post times within the server's window: a send resets the 8 s throttle, so quick messages
  // would otherwise overrun the server's limit and be refused.
  const recent = new Map<string, number[]>();
  return {
    typed(channelId, text) {
      if (text.trim() === '') return;
      const t = now();
      const prev = last.get(channelId);
      if (prev !== undefined && t - prev < intervalMs) return;
      const inWindow = (recent.get(channelId) ?? []).filter((x) => t - x < TYPING_SERVER_LIMIT.windowMs);
      if (inWindow.length >= TYPING_SERVER_LIMIT.count) return;
      recent.set(channelId, [...inWindow, t]);
      last.set(channelId, t);
      post(channelId).catch(() => {
        // Typing notices are best effort; a refusal (no SEND_MESSAGES, rate limit) is not shown.
      });
    },
    sent(channelId) {
      last.delete(channelId);
    },
    reset() {
      last.clear();
      recent.clear();
    },
  };
}

export const typingNotifier = createTypingNotifier((channelId) => api.typing(channelId));

// ---- slow mode ----

/** channel id → epoch ms until which slow mode holds the next message back */
export const slowModeUntil = writable<Record<string, number>>({});

export function startSlowMode(channelId: string, seconds: number, now = Date.now()): void {
  if (!(seconds > 0)) return;
  slowModeUntil.update((m) => ({ ...m, [channelId]: now + seconds * 1000 }));
}

/** Forget a channel's slow mode wait (a send that failed for another reason did not count). */
export function clearSlowMode(channelId: string): void {
  slowModeUntil.update((m) => without(m, channelId));
}

/** Whole seconds left (0 when free to send). */
export function slowModeLeft(until: number | undefined, now = Date.now()): number {
  if (until === undefined) return 0;
  return Math.max(0, Math.ceil((until - now) / 1000));
}

/** "0:07", "12:00", "1:05:09". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** "1 second", "30 seconds", "5 minutes", "1 hour 30 minutes" (slow mode settings). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  const unit = (n: number, word: string) => parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) unit(h, 'hour');
  if (m) unit(m, 'minute');
  if (sec || parts.length === 0) unit(sec, 'second');
  return parts.join(' ');
}
