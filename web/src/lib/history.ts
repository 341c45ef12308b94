/**
 * Moving through a channel's history: older and newer pages, jumping to a message (loading a
 * window around it when it is not cached), back to the present, and the scroll position kept per
 * channel. The window state itself lives in the chat reducer (`hasMore`, `hasNewer`).
 */
import { get, writable } from 'svelte/store';
import { api, chat, errorText, loadHistory, onGatewayDispatch, selectChannel, selection } from './app';
import { applyEvent, historyDropped, historyLoaded, historyRestored, windowLoaded, type ChatMessage, type ChatState } from './stores/chat';
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

/** The open list tells where it is scrolled now (its anchor is a message id), for a reconnect. */
let probe: { channelId: string; read: () => SavedScroll } | null = null;

export function registerScrollProbe(channelId: string, read: () => SavedScroll): () => void {
  const mine = { channelId, read };
  probe = mine;
  return () => {
    if (probe === mine) probe = null;
  };
}

function scrollOf(channelId: string): SavedScroll | null {
  return probe?.channelId === channelId ? probe.read() : savedScroll(channelId);
}

// ---- reconnects ----
//
// A fresh READY (a new session: the old one could not be resumed) drops confirmed history, since
// messages may have been missed. For the open channel that would empty the view and lose the
// reader's place, so its history as shown is put back at once and replaced when its guild is back:
// with the newest page when the reader was at the bottom, else with a window around the message at
// the top of their view (the list keeps that message where it was).

interface Shown {
  channelId: string;
  guildId: string | null;
  messages: ChatMessage[];
  hasMore: boolean;
  hasNewer: boolean;
}

/** The open channel's history the last time it had any. */
let shown: Shown | null = null;
/** Put back after a READY: refetch when this guild's GUILD_CREATE comes. */
let awaiting: Shown | null = null;

chat.subscribe((s) => {
  const channelId = get(selection).channelId;
  const list = channelId ? s.messages[channelId] : undefined;
  if (!channelId || !list?.some((m) => !m.pending && !m.failed)) return;
  const guildId = s.channels[channelId]?.guild_id ?? (shown?.channelId === channelId ? shown.guildId : null);
  shown = { channelId, guildId, messages: list, hasMore: s.hasMore[channelId] ?? false, hasNewer: s.hasNewer[channelId] ?? false };
});

/**
 * Message events for a channel whose refetch is under way: the page may have been read before they
 * happened, so they are applied again on top of it. Only idempotent ones (reaction counts are not).
 */
const duringRefetch = new Map<string, [string, unknown][]>();
const REPLAYED = new Set(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE', 'MESSAGE_DELETE_BULK']);

onGatewayDispatch((t, d) => {
  if (REPLAYED.has(t)) duringRefetch.get((d as { channel_id?: string }).channel_id ?? '')?.push([t, d]);
  if (t === 'READY') {
    awaiting = null;
    const keep = shown;
    if (!keep || get(selection).channelId !== keep.channelId) return;
    const guilds = (d as { guilds?: { id: string }[] }).guilds ?? [];
    if (keep.guildId && !guilds.some((g) => g.id === keep.guildId)) return;
    chat.update((s) => historyRestored(s, keep.channelId, keep));
    if (keep.guildId) awaiting = keep;
    else void refetchAfterReconnect(keep.channelId);
    return;
  }
  if (t === 'GUILD_CREATE' && awaiting && (d as { id?: string }).id === awaiting.guildId) {
    const { channelId } = awaiting;
    awaiting = null;
    // No longer visible: forget it (the selection moves elsewhere).
    if (!get(chat).channels[channelId]) chat.update((s) => historyDropped(s, channelId));
    else void refetchAfterReconnect(channelId);
  }
});

/** Replace a channel's history put back after a reconnect with what the server has now. */
export async function refetchAfterReconnect(channelId: string): Promise<void> {
  const pos = scrollOf(channelId);
  const anchorId = pos && !pos.atBottom && pos.anchor && /^\d{1,20}$/.test(pos.anchor.key) ? pos.anchor.key : null;
  const events: [string, unknown][] = [];
  duringRefetch.set(channelId, events);
  const replay = (st: ChatState): ChatState => events.reduce((acc, [t, d]) => applyEvent(acc, t, d), st);
  try {
    if (anchorId) {
      const page = (await api.messagesAround(channelId, anchorId, PAGE)) as ChatMessage[];
      chat.update((st) => replay(windowLoaded(st, channelId, page, PAGE, { around: anchorId })));
    } else {
      const page = (await api.messages(channelId, { limit: PAGE })) as ChatMessage[];
      chat.update((st) => replay(historyLoaded(st, channelId, page, PAGE, null)));
    }
  } catch (e) {
    // What is shown may have gaps: start over from the newest page.
    chat.update((st) => historyDropped(st, channelId));
    try {
      await loadHistory(channelId, true);
    } catch {
      notify(`Could not load messages: ${errorText(e)}`, true);
    }
  } finally {
    if (duringRefetch.get(channelId) === events) duringRefetch.delete(channelId);
  }
}

/**
 * Opened at a message link (`/channels/{guild}/{channel}/{message}`): once that channel is known
 * (its guild arrived on the gateway), jump to the message, and put `/` in the address bar so a
 * reload opens the app as usual rather than jumping again. When the app opens that very channel
 * anyway, its newest page is let land first (it would otherwise replace the window loaded around
 * the message). Call once at start-up.
 */
export function followMessageLinkInLocation(pathname: string): void {
  const link = parseMessageLink(pathname);
  if (!link) return;
  let done = false;
  let unsub: (() => void) | null = null;
  const check = (): void => {
    if (done) return;
    const s = get(chat);
    const entry = s.guilds[link.guildId];
    if (!s.channels[link.channelId] || !entry || entry.unavailable) return;
    if (get(selection).channelId === link.channelId && s.messages[link.channelId] === undefined) return;
    done = true;
    unsub?.();
    if (typeof history !== 'undefined' && parseMessageLink(location.pathname)) history.replaceState(history.state, '', '/');
    void jumpToMessage(link.channelId, link.messageId);
  };
  // Checked after the dispatch that changed the state has been handled whole (it may select the
  // channel and start loading it).
  unsub = chat.subscribe(() => queueMicrotask(check));
  if (done) unsub();
}
