/**
 * The send flow's effects as the app provides them (./send.ts takes them as `SendDeps`, so its tests
 * need no app). The composer adds what is its own: clearing its input, its clock, its error.
 */
import { sendMessage } from '../app';
import { loadEmoji } from '../emoji/data';
import { cancelReply, clearSlowMode, startSlowMode, typingNotifier } from '../stores/composer';
import type { SendDeps } from './send';

export function appSendDeps(own: Pick<SendDeps, 'clearDraft' | 'now' | 'cleared'>): SendDeps {
  return {
    post: (channelId, content, replyTo) => sendMessage(channelId, content, undefined, replyTo ? { replyTo } : {}),
    loadEmoji,
    cancelReply,
    typingSent: (channelId) => typingNotifier.sent(channelId),
    startSlowMode,
    clearSlowMode,
    ...own,
  };
}
