/**
 * Which message is being edited inline (one at a time, like Discord). The composer calls `editLast`
 * on ↑ in an empty composer; the message view shows the inline editor for `$editing`.
 */
import { get, writable } from 'svelte/store';
import { chat } from '../app';
import { session } from './session';
import type { ChatMessage } from './chat';

export interface EditTarget {
  channelId: string;
  messageId: string;
}

export const editing = writable<EditTarget | null>(null);

/** My newest confirmed, editable (default or reply) message in a list, or null. */
export function lastOwnMessage(list: readonly ChatMessage[], myId: string | null | undefined): ChatMessage | null {
  if (!myId) return null;
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i] as ChatMessage;
    if (m.pending || m.failed) continue;
    if (m.author.id === myId && (m.type === 0 || m.type === 19)) return m;
  }
  return null;
}

/** Start editing my newest confirmed message in the channel; false when there is none. */
export function editLast(channelId: string): boolean {
  const s = get(chat);
  const myId = get(session).user?.id ?? s.me?.id;
  const m = lastOwnMessage(s.messages[channelId] ?? [], myId);
  if (!m) return false;
  editing.set({ channelId, messageId: m.id });
  return true;
}

export function startEdit(channelId: string, messageId: string): void {
  editing.set({ channelId, messageId });
}

export function stopEdit(): void {
  editing.set(null);
}
