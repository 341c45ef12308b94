/** The file send's effects as the app provides them (./send-files.ts takes them as `FileSendDeps`). */
import { get } from 'svelte/store';
import { api, chat, makeNonce } from '../app';
import { loadEmoji } from '../emoji/data';
import { sendConfirmed, type ChatMessage } from '../stores/chat';
import { cancelReply, clearSlowMode, drafts, setDraft, startSlowMode, typingNotifier } from '../stores/composer';
import { clearFiles, trackUpload } from '../stores/uploads';
import type { FileSendDeps } from './send-files';

export function appFileSendDeps(own: Pick<FileSendDeps, 'now'> & { clearInput(channelId: string): void }): FileSendDeps {
  return {
    limits: () => api.mediaLimits(),
    loadEmoji,
    nonce: makeNonce,
    upload: (channelId, body, files) =>
      trackUpload(
        channelId,
        files.reduce((n, f) => n + f.blob.size, 0),
        (signal, onProgress) => api.sendMessageWithFiles(channelId, body, files, { signal, onProgress }),
      ),
    confirmed: (msg) => chat.update((s) => sendConfirmed(s, msg as ChatMessage)),
    sent: (channelId, text) => {
      clearFiles(channelId);
      cancelReply(channelId);
      typingNotifier.sent(channelId);
      // Text typed while the files went up is a new draft: keep it.
      if ((get(drafts)[channelId] ?? '') === text) {
        setDraft(channelId, '');
        own.clearInput(channelId);
      }
    },
    startSlowMode,
    clearSlowMode,
    now: own.now,
  };
}
