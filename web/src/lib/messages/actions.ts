/**
 * Message actions against the server: edit, delete, reactions, pins, copying. Each updates the chat
 * state at once where that is safe (reactions optimistically, rolled back on error) and reports
 * failures through `notice`.
 */
import { get, writable } from 'svelte/store';
import { api, chat, errorText, onGatewayDispatch } from '../app';
import { applyEvent, pinnedChanged, pinsLoaded, reactionToggled, type ChatMessage } from '../stores/chat';
import { messagePath } from './format';
import { reactionEmoji, reactionKey, sameReactionEmoji, type ReactionEmoji } from '../emoji/custom';
import { customEmojiById } from '../stores/emojis';

export const MAX_CONTENT_CHARS = 4000;

/** A short message for the user (copied, or why an action failed), shown in a live region. */
export interface Notice {
  id: number;
  text: string;
  error: boolean;
}

export const notice = writable<Notice | null>(null);
let noticeSeq = 0;
let noticeTimer: ReturnType<typeof setTimeout> | null = null;

export function notify(text: string, error = false): void {
  const id = ++noticeSeq;
  notice.set({ id, text, error });
  if (noticeTimer) clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => notice.update((n) => (n?.id === id ? null : n)), error ? 6000 : 2500);
}

/** Why content cannot be sent as it is (the server's rules), or null. */
export function contentProblem(content: string): string | null {
  if (content.trim() === '') return 'A message cannot be empty.';
  const n = [...content].length;
  if (n > MAX_CONTENT_CHARS) return `Too long: ${n} of ${MAX_CONTENT_CHARS} characters.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(content)) return 'Control characters cannot be sent.';
  return null;
}

function find(channelId: string, messageId: string): ChatMessage | undefined {
  return get(chat).messages[channelId]?.find((m) => m.id === messageId);
}

/** A unicode emoji, a custom one's `name:id` key or its `<a:name:id>` text, as a reaction's emoji. */
function toReaction(emoji: string): ReactionEmoji {
  return reactionEmoji(emoji, (id) => get(customEmojiById).get(id)?.emoji.animated ?? false);
}

/**
 * Add my reaction, or take it away when I already reacted with it. `emoji`: a unicode emoji, or a
 * custom one as its chip's key (`name:id`) or as picked (`<:name:id>`).
 */
export async function toggleReaction(channelId: string, messageId: string, emoji: string): Promise<void> {
  const e = toReaction(emoji);
  const key = reactionKey(e);
  const m = find(channelId, messageId);
  const add = !m?.reactions?.some((r) => sameReactionEmoji(r.emoji, e) && r.me);
  chat.update((s) => reactionToggled(s, channelId, messageId, e, add));
  try {
    if (add) await api.addReaction(channelId, messageId, key);
    else await api.removeReaction(channelId, messageId, key);
  } catch (err) {
    chat.update((s) => reactionToggled(s, channelId, messageId, e, !add));
    notify(`Could not ${add ? 'add' : 'remove'} the reaction: ${errorText(err)}`, true);
  }
}

/** Add my reaction (the picker: picking one I already have leaves it). */
export async function addReaction(channelId: string, messageId: string, emoji: string): Promise<void> {
  const e = toReaction(emoji);
  const m = find(channelId, messageId);
  if (m?.reactions?.some((r) => sameReactionEmoji(r.emoji, e) && r.me)) return;
  await toggleReaction(channelId, messageId, emoji);
}

/** Save an edit; throws the server's refusal (AutoMod, validation) for the editor to show. */
export async function editMessage(channelId: string, messageId: string, content: string): Promise<void> {
  const problem = contentProblem(content);
  if (problem) throw new Error(problem);
  const updated = await api.editMessage(channelId, messageId, { content });
  chat.update((s) => applyEvent(s, 'MESSAGE_UPDATE', updated));
}

export async function deleteMessage(channelId: string, messageId: string): Promise<void> {
  try {
    await api.deleteMessage(channelId, messageId);
    chat.update((s) => applyEvent(s, 'MESSAGE_DELETE', { id: messageId, channel_id: channelId }));
  } catch (e) {
    notify(`Could not delete the message: ${errorText(e)}`, true);
  }
}

export async function setPinned(channelId: string, messageId: string, pinned: boolean): Promise<void> {
  try {
    if (pinned) await api.pin(channelId, messageId);
    else await api.unpin(channelId, messageId);
    chat.update((s) => pinnedChanged(s, channelId, messageId, pinned));
    notify(pinned ? 'Message pinned.' : 'Message unpinned.');
  } catch (e) {
    notify(`Could not ${pinned ? 'pin' : 'unpin'} the message: ${errorText(e)}`, true);
  }
}

const pinLoads = new Map<string, Promise<void>>();

/** Fetch a channel's pins (most recently pinned first) into the chat state. */
export function loadPins(channelId: string): Promise<void> {
  const running = pinLoads.get(channelId);
  if (running) return running;
  const p = api
    .pins(channelId)
    .then((pins) => chat.update((s) => pinsLoaded(s, channelId, pins as ChatMessage[])))
    .finally(() => pinLoads.delete(channelId));
  pinLoads.set(channelId, p);
  return p;
}

/** The clipboard API needs a secure context; over plain HTTP, a selected off-screen textarea does it. */
function legacyCopy(text: string): boolean {
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.setProperty('position', 'fixed');
  ta.style.setProperty('left', '-9999px');
  document.body.appendChild(ta);
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  active?.focus({ preventScroll: true });
  return ok;
}

export async function copyText(text: string, what = 'Text'): Promise<void> {
  try {
    if (!navigator.clipboard) throw new Error('no clipboard API');
    await navigator.clipboard.writeText(text);
    notify(`${what} copied.`);
  } catch {
    if (legacyCopy(text)) notify(`${what} copied.`);
    else notify('Could not copy: the browser refused clipboard access.', true);
  }
}

export function messageLink(guildId: string | null | undefined, channelId: string, messageId: string): string {
  const origin = typeof location === 'undefined' ? '' : location.origin;
  return origin + messagePath(guildId ?? '@me', channelId, messageId);
}

// Pins changed (someone pinned or unpinned): the event does not say which message, so a channel
// with loaded history or pins fetches its pins again to set the flags.
onGatewayDispatch((t, d) => {
  if (t !== 'CHANNEL_PINS_UPDATE') return;
  const { channel_id } = d as { channel_id: string };
  const s = get(chat);
  if (s.messages[channel_id] || s.pins[channel_id]) loadPins(channel_id).catch(() => {});
});
