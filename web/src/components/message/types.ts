import type { User } from '../../lib/api/types';
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
  /** A reaction chip is hovered or focused (`el`), or left (null): show who reacted. */
  hint: (m: ChatMessage, emoji: string, el: HTMLElement | null, via: 'pointer' | 'focus') => void;
  /**
   * Null when the actions toolbar fits above this message's top edge; else how many px below that
   * edge to put it (the message is at, or partly above, the top of the list, which would cut it off).
   */
  toolbarOffset: (el: HTMLElement) => number | null;
  /** A user's name as this guild shows it. */
  nameOf: (u: Pick<User, 'id' | 'username' | 'global_name'>) => string;
  /** The signed-in user's id. */
  me: () => string | null;
}
