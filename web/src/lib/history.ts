/**
 * Moving through a channel's history: older and newer pages, jumping to a message (loading a
 * window around it when it is not cached), back to the present, and the scroll position kept per
 * channel. The window state itself lives in the chat reducer (`hasMore`, `hasNewer`).
 */
import { get, writable } from 'svelte/store';
import { api, chat, errorText, selectChannel, selection } from './app';
import { historyLoaded, windowLoaded, type ChatMessage } from './stores/chat';
import type { Anchor } from './virtual/virtualizer';
import { notify } from './messages/actions';
import { parseMessageLink } from './messages/format';

export const PAGE = 50;

/** A request to the open message list to scroll: to a message (highlighted) or, with null, to the newest. */
export interface JumpRequest {
  channelId: string;
  messageId: string | null;
  seq: number;
}

export const jumpRequest = writable<JumpRequest | null>(null);
let seq = 0;

function requestJump(channelId: string, messageId: string | null): void {
  jumpRequest.set({ channelId, messageId, seq: ++seq });
}

/** Channels with a page request in flight, by direction (the list shows a spinner row meanwhile). */
export const loadingPages = writable<Record<string, { older?: boolean; newer?: boolean; jump?: boolean }>>({});

function setLoading(channelId: string, which: 'older' | 'newer' | 'jump', on: boolean): void {
  loadingPages.update((l) => ({ ...l, [channelId]: { ...l[channelId], [which]: on } }));
}

function isLoading(channelId: string, which: 'older' | 'newer' | 'jump'): boolean {
  return get(loadingPages)[channelId]?.[which] === true;
}

/** After a failed page load, scrolling does not retry (and report again) for a few seconds. */
const RETRY_AFTER_FAILURE_MS = 5000;
const failedAt = new Map<string, number>();

function coolingDown(key: string): boolean {
  const t = failedAt.get(key);
  return t !== undefined && Date.now() - t < RETRY_AFTER_FAILURE_MS;
}

function confirmed(list: readonly ChatMessage[] | undefined): ChatMessage[] {
  return (list ?? []).filter((m) => !m.pending && !m.failed);
}

/** Load the page before the oldest cached message. */
export async function loadOlder(channelId: string): Promise<void> {
  const s = get(chat);
  const oldest = confirmed(s.messages[channelId])[0];
  if (!oldest || !s.hasMore[channelId] || isLoading(channelId, 'older') || coolingDown(channelId + ':older')) return;
  setLoading(channelId, 'older', true);
  try {
    const page = await api.messages(channelId, { before: oldest.id, limit: PAGE });
    // The cache may have been replaced meanwhile (a jump): only extend the one we paged from.
    if (get(chat).messages[channelId]?.some((m) => m.id === oldest.id)) chat.update((st) => historyLoaded(st, channelId, page as ChatMessage[], PAGE, oldest.id));
  } catch (e) {
    failedAt.set(channelId + ':older', Date.now());
    notify(`Could not load older messages: ${errorText(e)}`, true);
  } finally {
    setLoading(channelId, 'older', false);
  }
}

/** In a window of older history: load the page after the newest cached message. */
export async function loadNewer(channelId: string): Promise<void> {
  const s = get(chat);
  const list = confirmed(s.messages[channelId]);
  const newest = list[list.length - 1];
  if (!newest || !s.hasNewer[channelId] || isLoading(channelId, 'newer') || coolingDown(channelId + ':newer')) return;
  setLoading(channelId, 'newer', true);
  try {
    const page = await api.messagesAfter(channelId, newest.id, PAGE);
    if (get(chat).messages[channelId]?.some((m) => m.id === newest.id)) chat.update((st) => windowLoaded(st, channelId, page as ChatMessage[], PAGE, { after: newest.id }));
  } catch (e) {
    failedAt.set(channelId + ':newer', Date.now());
    notify(`Could not load newer messages: ${errorText(e)}`, true);
  } finally {
    setLoading(channelId, 'newer', false);
  }
}

/**
 * Show a message: open its channel, load a window around it unless it is cached, scroll it into
 * view and highlight it. False when the channel is not visible or the message is gone.
 */
export async function jumpToMessage(channelId: string, messageId: string): Promise<boolean> {
  const s = get(chat);
  if (!s.channels[channelId]) {
    notify('That channel is not available.', true);
    return false;
  }
  if (!s.messages[channelId]?.some((m) => m.id === messageId && !m.pending && !m.failed)) {
    setLoading(channelId, 'jump', true);
    try {
      const page = (await api.messagesAround(channelId, messageId, PAGE)) as ChatMessage[];
      if (!page.some((m) => m.id === messageId)) {
        notify('That message was deleted.', true);
        return false;
      }
      chat.update((st) => windowLoaded(st, channelId, page, PAGE, { around: messageId }));
    } catch (e) {
      notify(`Could not load that message: ${errorText(e)}`, true);
      return false;
    } finally {
      setLoading(channelId, 'jump', false);
    }
  }
  if (get(selection).channelId !== channelId) selectChannel(channelId);
  requestJump(channelId, messageId);
  return true;
}

/** Back to the newest messages: reload the newest page when the cache is an older window. */
export async function jumpToPresent(channelId: string): Promise<void> {
  if (get(chat).hasNewer[channelId]) {
    setLoading(channelId, 'jump', true);
    try {
      const page = (await api.messages(channelId, { limit: PAGE })) as ChatMessage[];
      chat.update((st) => historyLoaded(st, channelId, page, PAGE, null));
    } catch (e) {
      notify(`Could not load the newest messages: ${errorText(e)}`, true);
      return;
    } finally {
      setLoading(channelId, 'jump', false);
    }
  }
  requestJump(channelId, null);
}

/** Where a channel's list was scrolled when it was left; none (or `atBottom`) opens at the newest. */
export interface SavedScroll {
  anchor: Anchor | null;
  atBottom: boolean;
}

const saved = new Map<string, SavedScroll>();

export function saveScroll(channelId: string, pos: SavedScroll): void {
  saved.set(channelId, pos);
}

export function savedScroll(channelId: string): SavedScroll | null {
  return saved.get(channelId) ?? null;
}

/**
 * Opened at a message link (`/channels/{guild}/{channel}/{message}`): once that channel is known
 * (its guild arrived on the gateway), jump to the message. Call once at start-up.
 */
export function followMessageLinkInLocation(pathname: string): void {
  const link = parseMessageLink(pathname);
  if (!link) return;
  let done = false;
  let unsub: (() => void) | null = null;
  unsub = chat.subscribe((s) => {
    if (done) return;
    const entry = s.guilds[link.guildId];
    if (!s.channels[link.channelId] || !entry || entry.unavailable) return;
    done = true;
    queueMicrotask(() => {
      unsub?.();
      void jumpToMessage(link.channelId, link.messageId);
    });
  });
  if (done) unsub();
}
