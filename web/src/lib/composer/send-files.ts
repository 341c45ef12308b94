/**
 * Sending the composer's files: the same checks as a text send (blocked, slow mode, the length
 * bound), then the instance's file limits, then one multipart upload carrying the text, the reply
 * and a nonce. Unlike a text send nothing is cleared up front: on a cancel or a failure the files
 * stay in the tray and the text in the input, so nothing needs retyping. The answer goes into the
 * chat state by its nonce, like any send, so the gateway's echo and the REST answer make one message.
 */
import { ApiError } from '../api/client';
import type { MediaLimits } from '../api/endpoints/media';
import { isAbortError, type CreateMessageWithFiles, type UploadFile } from '../api/endpoints/uploads';
import type { Message } from '../api/types';
import type { EmojiData } from '../emoji/data';
import { sendProblem } from '../media/limits';
import type { PendingFile } from '../stores/uploads';
import { expandShortcodes } from './shortcodes';
import { MESSAGE_LIMIT, draftLength, tooLongMessage } from './send';
import { slowModeAfterSend, slowModeHolds, type Standing } from './standing';

export interface FileSendRequest {
  channelId: string;
  text: string;
  replyTo: string | null;
  files: readonly PendingFile[];
  standing: Pick<Standing, 'canSend' | 'timedOut' | 'slowExempt' | 'slowMode'>;
  slowLeft: number;
  emojiData: EmojiData | null;
}

export interface FileSendDeps {
  /** The instance's limits; a failure to ask leaves the decision to the server. */
  limits(): Promise<Partial<MediaLimits>>;
  loadEmoji(): Promise<EmojiData>;
  nonce(): string;
  /** The tracked upload (progress, cancel). */
  upload(channelId: string, body: CreateMessageWithFiles, files: UploadFile[]): Promise<Message>;
  /** The server's answer: into the chat state. */
  confirmed(msg: Message): void;
  /** Sent: empty the tray, drop the reply, clear the draft if it still holds `text`, reset typing. */
  sent(channelId: string, text: string): void;
  startSlowMode(channelId: string, seconds: number, now: number): void;
  clearSlowMode(channelId: string): void;
  now(): number;
}

export type FileSendResult = { status: 'skipped' } | { status: 'refused'; error: string } | { status: 'sent' } | { status: 'cancelled' } | { status: 'failed'; channelId: string; error: unknown };

export async function sendFiles(req: FileSendRequest, deps: FileSendDeps): Promise<FileSendResult> {
  const { standing, channelId } = req;
  if (!standing.canSend || standing.timedOut || req.files.length === 0) return { status: 'skipped' };
  if (slowModeHolds(standing, req.slowLeft)) return { status: 'skipped' };
  const length = draftLength(req.text);
  if (length > MESSAGE_LIMIT) return { status: 'refused', error: tooLongMessage(length) };
  const limits = await deps.limits().catch((): Partial<MediaLimits> => ({}));
  const problem = sendProblem(
    req.files.map((f) => ({ name: f.filename, size: f.size })),
    limits,
  );
  if (problem) return { status: 'refused', error: problem };

  const content = req.text.trim() ? await expandShortcodes(req.text.trim(), req.emojiData, deps.loadEmoji) : '';
  const body: CreateMessageWithFiles = { content, nonce: deps.nonce(), ...(req.replyTo ? { message_reference: { message_id: req.replyTo } } : {}) };
  const files: UploadFile[] = req.files.map((f) => ({ blob: f.blob, filename: f.filename, ...(f.description.trim() ? { description: f.description.trim() } : {}) }));
  try {
    const msg = await deps.upload(channelId, body, files);
    deps.confirmed(msg);
    deps.sent(channelId, req.text);
    const wait = slowModeAfterSend(standing);
    if (wait > 0) deps.startSlowMode(channelId, wait, deps.now());
    return { status: 'sent' };
  } catch (e) {
    if (isAbortError(e)) return { status: 'cancelled' };
    if (e instanceof ApiError && e.code === 'SLOW_MODE' && e.retryAfter) deps.startSlowMode(channelId, e.retryAfter, deps.now());
    else deps.clearSlowMode(channelId);
    return { status: 'failed', channelId, error: e };
  }
}
