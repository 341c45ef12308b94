import type { ChatMessage } from '../../lib/stores/chat';
import type { FloatingAnchor } from '../../lib/messages/dom';

/** What a message row asks of its list. */
export interface ItemHandlers {
  react: (m: ChatMessage, emoji: string) => void;
  pick: (m: ChatMessage, anchor: HTMLElement) => void;
  reply: (m: ChatMessage) => void;
  edit: (m: ChatMessage) => void;
  endEdit: () => void;
  remove: (m: ChatMessage, skipConfirm: boolean) => void;
  menu: (m: ChatMessage, anchor: FloatingAnchor) => void;
  jump: (channelId: string, messageId: string) => void;
  retry: (m: ChatMessage) => void;
  discard: (m: ChatMessage) => void;
  focus: (m: ChatMessage) => void;
}

