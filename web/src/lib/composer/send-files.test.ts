import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { CreateMessageWithFiles, UploadFile } from '../api/endpoints/uploads';
import type { Message } from '../api/types';
import type { PendingFile } from '../stores/uploads';
import { sendFiles, type FileSendDeps, type FileSendRequest } from './send-files';

const file = (over: Partial<PendingFile> = {}): PendingFile => ({ key: 'f1', blob: new Blob(['abc']), filename: 'a.txt', description: '', size: 3, type: 'text/plain', previewUrl: null, ...over });
const standing = { canSend: true, timedOut: false, slowExempt: false, slowMode: 0 };

function req(over: Partial<FileSendRequest> = {}): FileSendRequest {
  return { channelId: '100', text: '', replyTo: null, files: [file()], standing, slowLeft: 0, emojiData: null, ...over };
}

function deps(upload: FileSendDeps['upload'] = async () => ({ id: '9' }) as Message) {
  const log: string[] = [];
  const sent: { body: CreateMessageWithFiles; files: UploadFile[] }[] = [];
  const d: FileSendDeps = {
    limits: async () => ({ max_file_bytes: 100, max_files_per_message: 2 }),
    loadEmoji: async () => {
      throw new Error('not needed');
    },
    nonce: () => 'nonce-1',
    upload: (channelId, body, files) => (sent.push({ body, files }), upload(channelId, body, files)),
    confirmed: (m) => log.push(`confirmed ${m.id}`),
    sent: (c, t) => log.push(`sent ${c} ${JSON.stringify(t)}`),
    startSlowMode: (c, s) => log.push(`slow ${c} ${s}`),
    clearSlowMode: (c) => log.push(`clear-slow ${c}`),
    now: () => 0,
  };
  return { d, log, sent };
}

describe('sending files from the composer', () => {
  it('sends files with empty text, a nonce and the alt text, then empties the tray', async () => {
    const { d, log, sent } = deps();
    const r = await sendFiles(req({ files: [file({ filename: 'SPOILER_a.png', description: ' a cat ' }), file({ key: 'f2', filename: 'b.txt' })] }), d);
    expect(r).toEqual({ status: 'sent' });
    expect(sent[0]?.body).toEqual({ content: '', nonce: 'nonce-1' });
    expect(sent[0]?.files.map((f) => [f.filename, f.description])).toEqual([
      ['SPOILER_a.png', 'a cat'],
      ['b.txt', undefined],
    ]);
    expect(log).toEqual(['confirmed 9', 'sent 100 ""']);
  });

  it('carries the text (trimmed) and the reply', async () => {
    const { d, sent } = deps();
    await sendFiles(req({ text: '  look at this  ', replyTo: '77' }), d);
    expect(sent[0]?.body).toEqual({ content: 'look at this', nonce: 'nonce-1', message_reference: { message_id: '77' } });
  });

  it('refuses files over the instance’s limits before uploading anything', async () => {
    const { d, sent } = deps();
    const big = await sendFiles(req({ files: [file({ size: 101, filename: 'big.bin' })] }), d);
    expect(big.status).toBe('refused');
    expect(big.status === 'refused' && big.error).toContain('“big.bin”');
    const many = await sendFiles(req({ files: [file(), file({ key: 'f2' }), file({ key: 'f3' })] }), d);
    expect(many.status === 'refused' && many.error).toContain('at most 2 files');
    expect(sent).toHaveLength(0);
  });

  it('leaves the decision to the server when the limits cannot be had', async () => {
    const { d, sent } = deps();
    d.limits = async () => {
      throw new ApiError(0, 'NETWORK_ERROR', 'offline');
    };
    expect((await sendFiles(req({ files: [file({ size: 10 ** 9 })] }), d)).status).toBe('sent');
    expect(sent).toHaveLength(1);
  });

  it('refuses text over 4000 characters', async () => {
    const { d, sent } = deps();
    const r = await sendFiles(req({ text: 'x'.repeat(4001) }), d);
    expect(r.status).toBe('refused');
    expect(sent).toHaveLength(0);
  });

  it('keeps tray and text on cancel and on failure (nothing cleared)', async () => {
    const cancelled = deps(async () => {
      throw new DOMException('x', 'AbortError');
    });
    expect(await sendFiles(req({ text: 'hi' }), cancelled.d)).toEqual({ status: 'cancelled' });
    expect(cancelled.log).toEqual([]);
    const err = new ApiError(400, 'QUOTA_EXCEEDED', 'Your storage is full.');
    const failed = deps(async () => {
      throw err;
    });
    expect(await sendFiles(req({ text: 'hi' }), failed.d)).toEqual({ status: 'failed', channelId: '100', error: err });
    expect(failed.log).toEqual(['clear-slow 100']);
  });

  it('follows slow mode: skipped while it holds, started after a send, taken from SLOW_MODE', async () => {
    const slow = { ...standing, slowMode: 30 };
    const held = deps();
    expect(await sendFiles(req({ standing: slow, slowLeft: 5 }), held.d)).toEqual({ status: 'skipped' });
    expect(held.sent).toHaveLength(0);
    const ok = deps();
    await sendFiles(req({ standing: slow }), ok.d);
    expect(ok.log).toContain('slow 100 30');
    const refused = deps(async () => {
      throw new ApiError(429, 'SLOW_MODE', 'wait', {}, 12);
    });
    await sendFiles(req({ standing: slow }), refused.d);
    expect(refused.log).toEqual(['slow 100 12']);
  });

  it('does nothing without files or permission', async () => {
    const { d, sent } = deps();
    expect(await sendFiles(req({ files: [] }), d)).toEqual({ status: 'skipped' });
    expect(await sendFiles(req({ standing: { ...standing, canSend: false } }), d)).toEqual({ status: 'skipped' });
    expect(await sendFiles(req({ standing: { ...standing, timedOut: true } }), d)).toEqual({ status: 'skipped' });
    expect(sent).toHaveLength(0);
  });
});
