/**
 * Sending from the composer: the checks (blocked, blank, the 4000-character bound, slow mode), then
 * `:shortcode:` conversion, clearing the draft, the reply and the typing notice, starting slow mode,
 * and the request itself. On failure slow mode follows the server (its Retry-After for SLOW_MODE,
 * none otherwise) and the error is handed back to be shown. Effects come in through `SendDeps`, so
 * the flow is tested without the app.
 */
import { ApiError } from '../api/client';
import { contentLength } from '../autocomplete';
import type { EmojiData } from '../emoji/data';
import { expandShortcodes } from './shortcodes';
import { slowModeAfterSend, slowModeHolds, type Standing } from './standing';

/** The server's bound on message content, in Unicode scalar values. */
export const MESSAGE_LIMIT = 4000;

/** Length as the server counts it (it trims the content). */
export function draftLength(text: string): number {
  return contentLength(text.trim());
}

export function tooLongMessage(length: number, limit = MESSAGE_LIMIT): string {
  const over = length - limit;
  return `Your message is ${over.toLocaleString()} character${over === 1 ? '' : 's'} too long (the limit is ${limit.toLocaleString()}).`;
}

export interface SendRequest {
  channelId: string;
  text: string;
  /** The message being replied to, if any. */
  replyTo: string | null;
  standing: Pick<Standing, 'canSend' | 'timedOut' | 'slowExempt' | 'slowMode'>;
  /** Whole seconds of slow mode left in this channel. */
  slowLeft: number;
  emojiData: EmojiData | null;
}

export interface SendDeps {
  post(channelId: string, content: string, replyTo: string | null): Promise<unknown>;
  loadEmoji(): Promise<EmojiData>;
  clearDraft(channelId: string): void;
  cancelReply(channelId: string): void;
  /** Tell the typing notifier a message went out (the next keystroke notifies again at once). */
  typingSent(channelId: string): void;
  startSlowMode(channelId: string, seconds: number, now: number): void;
  clearSlowMode(channelId: string): void;
  /** The current time (the component also refreshes its clock here). */
  now(): number;
  /** The draft was taken: the composer drops its error and dismissed popup. */
  cleared(channelId: string): void;
}

export type SendResult =
  | { status: 'skipped' }
  | { status: 'too-long'; error: string }
  | { status: 'sent' }
  | { status: 'failed'; channelId: string; error: unknown };

/** Why the composer would not send `req` now (null: it would). Only too-long says so to the user. */
export function sendCheck(req: SendRequest, limit = MESSAGE_LIMIT): SendResult | null {
  const { standing } = req;
  if (!standing.canSend || standing.timedOut || !req.text.trim()) return { status: 'skipped' };
  const length = draftLength(req.text);
  if (length > limit) return { status: 'too-long', error: tooLongMessage(length, limit) };
  if (slowModeHolds(standing, req.slowLeft)) return { status: 'skipped' };
  return null;
}

export async function sendDraft(req: SendRequest, deps: SendDeps): Promise<SendResult> {
  const refused = sendCheck(req);
  if (refused) return refused;
  const { channelId } = req;
  const wait = slowModeAfterSend(req.standing);
  const content = await expandShortcodes(req.text, req.emojiData, deps.loadEmoji);
  deps.clearDraft(channelId);
  deps.cancelReply(channelId);
  deps.typingSent(channelId);
  deps.cleared(channelId);
  const now = deps.now();
  if (wait > 0) deps.startSlowMode(channelId, wait, now);
  try {
    await deps.post(channelId, content, req.replyTo);
    return { status: 'sent' };
  } catch (e) {
    const failedAt = deps.now();
    if (e instanceof ApiError && e.code === 'SLOW_MODE' && e.retryAfter) deps.startSlowMode(channelId, e.retryAfter, failedAt);
    else deps.clearSlowMode(channelId);
    return { status: 'failed', channelId, error: e };
  }
}
