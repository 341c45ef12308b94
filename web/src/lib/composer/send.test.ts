import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { MESSAGE_LIMIT, draftLength, sendCheck, sendDraft, tooLongMessage, type SendDeps, type SendRequest } from './send';
import { smallEmoji } from './test-fixtures';

const T0 = 1_000_000;

function fakeDeps(post: (channelId: string, content: string, replyTo: string | null) => Promise<unknown> = async () => undefined) {
  const log: string[] = [];
  let t = T0;
  const deps: SendDeps = {
    post: async (c, content, reply) => {
      log.push(`post ${c} ${JSON.stringify(content)} reply=${reply}`);
      return post(c, content, reply);
    },
    loadEmoji: async () => (log.push('loadEmoji'), smallEmoji()),
    clearDraft: (c) => log.push(`clearDraft ${c}`),
    cancelReply: (c) => log.push(`cancelReply ${c}`),
    typingSent: (c) => log.push(`typingSent ${c}`),
    startSlowMode: (c, s, now) => log.push(`startSlowMode ${c} ${s} ${now - T0}`),
    clearSlowMode: (c) => log.push(`clearSlowMode ${c}`),
    now: () => (t += 10),
    cleared: (c) => log.push(`cleared ${c}`),
  };
  return { deps, log };
}

const standing = { canSend: true, timedOut: false, slowExempt: false, slowMode: 0 };
const req = (r: Partial<SendRequest> = {}): SendRequest => ({ channelId: '100', text: 'hello', replyTo: null, standing, slowLeft: 0, emojiData: null, ...r });

describe('sendDraft', () => {
  it('clears the draft, the reply and the typing notice, then posts', async () => {
    const { deps, log } = fakeDeps();
    expect(await sendDraft(req({ replyTo: '500' }), deps)).toEqual({ status: 'sent' });
    expect(log).toEqual(['clearDraft 100', 'cancelReply 100', 'typingSent 100', 'cleared 100', 'post 100 "hello" reply=500']);
  });

  it('converts :shortcodes: before sending, loading the emoji data if needed', async () => {
    const { deps, log } = fakeDeps();
    await sendDraft(req({ text: 'so :pizza: `:pizza:`' }), deps);
    expect(log[0]).toBe('loadEmoji');
    expect(log).toContain('post 100 "so 🍕 `:pizza:`" reply=null');
    const again = fakeDeps();
    await sendDraft(req({ text: ':smile:', emojiData: smallEmoji() }), again.deps);
    expect(again.log).not.toContain('loadEmoji');
    expect(again.log).toContain('post 100 "😄" reply=null');
  });

  it('starts slow mode after a send unless exempt', async () => {
    const slow = fakeDeps();
    await sendDraft(req({ standing: { ...standing, slowMode: 30 } }), slow.deps);
    expect(slow.log).toContain('startSlowMode 100 30 10');
    expect(slow.log.indexOf('startSlowMode 100 30 10')).toBeLessThan(slow.log.findIndex((l) => l.startsWith('post')));
    const exempt = fakeDeps();
    await sendDraft(req({ standing: { ...standing, slowMode: 30, slowExempt: true }, slowLeft: 12 }), exempt.deps);
    expect(exempt.log.some((l) => l.startsWith('startSlowMode'))).toBe(false);
    expect(exempt.log.some((l) => l.startsWith('post'))).toBe(true);
  });

  it('does nothing when blocked, blank or held by slow mode', async () => {
    for (const r of [req({ standing: { ...standing, canSend: false } }), req({ standing: { ...standing, timedOut: true } }), req({ text: '  \n ' }), req({ slowLeft: 3 })]) {
      const { deps, log } = fakeDeps();
      expect(await sendDraft(r, deps)).toEqual({ status: 'skipped' });
      expect(log).toEqual([]);
    }
  });

  it('refuses an over-long message with the reason, keeping the draft', async () => {
    const { deps, log } = fakeDeps();
    const r = await sendDraft(req({ text: 'x'.repeat(MESSAGE_LIMIT + 1) }), deps);
    expect(r).toEqual({ status: 'too-long', error: 'Your message is 1 character too long (the limit is 4,000).' });
    expect(log).toEqual([]);
    // the bound counts what the server counts: trimmed, in code points
    expect(sendCheck(req({ text: `  ${'😀'.repeat(MESSAGE_LIMIT)}  ` }))).toBeNull();
  });

  it('on SLOW_MODE follows the server’s Retry-After', async () => {
    const { deps, log } = fakeDeps(() => Promise.reject(new ApiError(429, 'SLOW_MODE', 'Slow down', {}, 17)));
    const r = await sendDraft(req({ standing: { ...standing, slowMode: 30 } }), deps);
    expect(r).toMatchObject({ status: 'failed', channelId: '100' });
    expect(log.slice(-1)).toEqual(['startSlowMode 100 17 20']);
  });

  it('on any other failure forgets the slow mode it started and hands the error back', async () => {
    const err = new ApiError(400, 'AUTOMOD_BLOCKED', 'Watch your language');
    const { deps, log } = fakeDeps(() => Promise.reject(err));
    const r = await sendDraft(req({ standing: { ...standing, slowMode: 30 } }), deps);
    expect(r).toEqual({ status: 'failed', channelId: '100', error: err });
    expect(log.slice(-1)).toEqual(['clearSlowMode 100']);
  });
});

describe('length', () => {
  it('counts trimmed code points and words the error', () => {
    expect(draftLength('  a😀b \n')).toBe(3);
    expect(tooLongMessage(4001)).toBe('Your message is 1 character too long (the limit is 4,000).');
    expect(tooLongMessage(5234)).toBe('Your message is 1,234 characters too long (the limit is 4,000).');
  });
});
