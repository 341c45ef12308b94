/** The message context menu's entries, in Discord's order, for what I may do. Pure. */
import type { ChatMessage } from '../stores/chat';
import type { Capabilities } from './capabilities';

export type MenuAction = 'react' | 'reply' | 'edit' | 'pin' | 'unpin' | 'unread' | 'copy-text' | 'copy-link' | 'delete';

export interface MenuItem {
  id: MenuAction;
  label: string;
  icon: 'reaction' | 'reply' | 'edit' | 'pin' | 'unread' | 'copy' | 'link' | 'trash';
  danger?: boolean;
  hint?: string;
}

export function menuItems(m: Pick<ChatMessage, 'pinned' | 'content'>, caps: Capabilities): MenuItem[] {
  const items: MenuItem[] = [];
  if (caps.react) items.push({ id: 'react', label: 'Add Reaction', icon: 'reaction' });
  if (caps.edit) items.push({ id: 'edit', label: 'Edit Message', icon: 'edit' });
  if (caps.reply) items.push({ id: 'reply', label: 'Reply', icon: 'reply' });
  if (caps.pin) items.push(m.pinned ? { id: 'unpin', label: 'Unpin Message', icon: 'pin' } : { id: 'pin', label: 'Pin Message', icon: 'pin' });
  if (caps.markUnread) items.push({ id: 'unread', label: 'Mark Unread', icon: 'unread' });
  if (caps.copy && m.content) items.push({ id: 'copy-text', label: 'Copy Text', icon: 'copy' });
  if (caps.copy) items.push({ id: 'copy-link', label: 'Copy Message Link', icon: 'link' });
  if (caps.delete) items.push({ id: 'delete', label: 'Delete Message', icon: 'trash', danger: true, hint: 'Hold Shift to skip the confirmation' });
  return items;
}
