import { afterEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';
import {
  cancelReply,
  clearDraft,
  clearSlowMode,
  createTypingNotifier,
  drafts,
  dropRepliesToDeleted,
  formatCountdown,
  formatDuration,
  getDraft,
  getReply,
  registerComposerFocus,
  replyTo,
  setDraft,
  slowModeLeft,
  slowModeUntil,
  startReply,
  startSlowMode,
} from './composer';

afterEach(() => {
  drafts.set({});
  replyTo.set({});
  slowModeUntil.set({});
  vi.useRealTimers();
});

describe('drafts', () => {
  it('keeps one draft per channel and forgets blank ones', () => {
    setDraft('a', 'hello');
    setDraft('b', 'other');
    expect(getDraft('a')).toBe('hello');
    expect(getDraft('b')).toBe('other');
    expect(getDraft('c')).toBe('');
    setDraft('a', '');
    expect('a' in get(drafts)).toBe(false);
    clearDraft('b');
    expect(get(drafts)).toEqual({});
  });

  it('does not notify subscribers when the text did not change', () => {
    setDraft('a', 'x');
    const seen: unknown[] = [];
    const stop = drafts.subscribe((d) => seen.push(d));
    setDraft('a', 'x');
    stop();
    expect(seen).toHaveLength(1);
  });
});

describe('replies', () => {
  it('startReply sets the target per channel, replaces an earlier one and focuses the composer', () => {
    const focus = vi.fn();
    const unregister = registerComposerFocus(focus);
    startReply('c1', 'm1');
    startReply('c2', 'm2');
    startReply('c1', 'm3');
    expect(getReply('c1')).toBe('m3');
    expect(getReply('c2')).toBe('m2');
    expect(focus).toHaveBeenCalledTimes(3);
    cancelReply('c1');
    expect(getReply('c1')).toBeNull();
    expect(getReply('c2')).toBe('m2');
    unregister();
    startReply('c1', 'm4');
    expect(focus).toHaveBeenCalledTimes(3);
  });

  it('drops the reply when the replied message is deleted', () => {
    startReply('c1', 'm1');
    startReply('c2', 'm2');
    startReply('c3', 'm3');
    dropRepliesToDeleted('MESSAGE_DELETE', { id: 'm1', channel_id: 'c1' });
    dropRepliesToDeleted('MESSAGE_DELETE_BULK', { ids: ['x', 'm2'], channel_id: 'c2' });
    dropRepliesToDeleted('MESSAGE_DELETE', { id: 'm3', channel_id: 'other' });
    dropRepliesToDeleted('MESSAGE_CREATE', { id: 'm3', channel_id: 'c3' });
    expect(getReply('c1')).toBeNull();
    expect(getReply('c2')).toBeNull();
    expect(getReply('c3')).toBe('m3');
  });
});

describe('typing notices', () => {
  it('posts at most once every 8 seconds per channel, never for empty text, and again right after a send', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const post = vi.fn(() => Promise.resolve());
    const t = createTypingNotifier(post);
    t.typed('c1', '   ');
    expect(post).not.toHaveBeenCalled();
    t.typed('c1', 'h');
    t.typed('c1', 'he');
    expect(post).toHaveBeenCalledTimes(1);
    t.typed('c2', 'x');
    expect(post).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(7999);
    t.typed('c1', 'hel');
    expect(post).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1);
    t.typed('c1', 'hell');
    expect(post).toHaveBeenCalledTimes(3);
    t.sent('c1');
    t.typed('c1', 'n');
    expect(post).toHaveBeenCalledTimes(4);
    expect(post.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['c1', 'c2', 'c1', 'c1']);
  });

  it('never posts more often than the server allows, however quickly messages are sent', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const post = vi.fn(() => Promise.resolve());
    const t = createTypingNotifier(post);
    for (let i = 0; i < 5; i++) {
      t.typed('c1', 'quick');
      t.sent('c1');
      vi.advanceTimersByTime(500);
    }
    // Two in the first three seconds (0 ms and 500 ms), then the next once 0 ms has left the window.
    expect(post).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(500);
    t.typed('c1', 'again');
    expect(post).toHaveBeenCalledTimes(3);
    vi.useRealTimers();
  });

  it('swallows a refused typing notice', async () => {
    const post = vi.fn(() => Promise.reject(new Error('403')));
    createTypingNotifier(post).typed('c', 'x');
    await Promise.resolve();
    expect(post).toHaveBeenCalledOnce();
  });
});

describe('slow mode', () => {
  it('counts down whole seconds from the send', () => {
    startSlowMode('c', 10, 1_000_000);
    const until = get(slowModeUntil)['c'];
    expect(slowModeLeft(until, 1_000_000)).toBe(10);
    expect(slowModeLeft(until, 1_000_001)).toBe(10);
    expect(slowModeLeft(until, 1_009_001)).toBe(1);
    expect(slowModeLeft(until, 1_010_000)).toBe(0);
    expect(slowModeLeft(undefined)).toBe(0);
    startSlowMode('d', 0);
    expect('d' in get(slowModeUntil)).toBe(false);
  });

  it('forgets one channel’s wait', () => {
    startSlowMode('c', 10, 1_000_000);
    startSlowMode('e', 10, 1_000_000);
    clearSlowMode('c');
    clearSlowMode('nope');
    expect(Object.keys(get(slowModeUntil))).toEqual(['e']);
  });

  it('formats countdowns and durations', () => {
    expect(formatCountdown(7)).toBe('0:07');
    expect(formatCountdown(720)).toBe('12:00');
    expect(formatCountdown(3909)).toBe('1:05:09');
    expect(formatDuration(1)).toBe('1 second');
    expect(formatDuration(30)).toBe('30 seconds');
    expect(formatDuration(300)).toBe('5 minutes');
    expect(formatDuration(5400)).toBe('1 hour 30 minutes');
    expect(formatDuration(21600)).toBe('6 hours');
  });
});
