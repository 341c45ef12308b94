import { describe, it, expect, vi, afterEach } from 'vitest';
import { get } from 'svelte/store';
import { createTypingStore, expireTyping, nextExpiry, typersIn, typingStarted, typingStopped, TYPING_TTL_MS } from './typing';

describe('typing reducer', () => {
  it('starts, refreshes, stops and expires entries', () => {
    let s = typingStarted({}, 'c', 'u1', 'Alice', 1000);
    s = typingStarted(s, 'c', 'u2', 'Bob', 2000);
    expect(typersIn(s, 'c', 2500)).toEqual(['Alice', 'Bob']);
    // Alice types again: her entry lasts longer and keeps her place.
    s = typingStarted(s, 'c', 'u1', 'Alice', 9000);
    expect(typersIn(s, 'c', 11_500)).toEqual(['Alice', 'Bob']);
    expect(typersIn(s, 'c', 12_500)).toEqual(['Alice']);
    expect(nextExpiry(s)).toBe(2000 + TYPING_TTL_MS);
    s = expireTyping(s, 12_000);
    expect(Object.keys(s['c'] ?? {})).toEqual(['u1']);
    s = typingStopped(s, 'c', 'u1');
    expect(s).toEqual({});
    expect(nextExpiry(s)).toBeNull();
    expect(typingStopped(s, 'c', 'nobody')).toBe(s);
    expect(expireTyping(s, 1e12)).toBe(s);
  });
});

describe('typing store', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup() {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    return createTypingStore({
      now: () => Date.now(),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      myId: () => 'me',
      nameOf: (_g, id, member) => member?.nick ?? 'user ' + id,
    });
  }
  const start = (user_id: string, channel_id = 'c', nick: string | null = null) => ({ channel_id, guild_id: 'g', user_id, timestamp: 0, member: nick ? { nick, user: { id: user_id } } : undefined });

  it('ignores my own typing and expires each entry after 10 seconds', () => {
    const t = setup();
    const line = t.channel('c');
    t.dispatch('TYPING_START', start('me'));
    expect(get(line)).toEqual([]);
    t.dispatch('TYPING_START', start('a', 'c', 'Alice'));
    vi.advanceTimersByTime(4000);
    t.dispatch('TYPING_START', start('b', 'c', 'Bob'));
    expect(get(line)).toEqual(['Alice', 'Bob']);
    vi.advanceTimersByTime(6001);
    expect(get(line)).toEqual(['Bob']);
    vi.advanceTimersByTime(4000);
    expect(get(line)).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a new TYPING_START extends the entry', () => {
    const t = setup();
    const line = t.channel('c');
    t.dispatch('TYPING_START', start('a', 'c', 'Alice'));
    vi.advanceTimersByTime(8000);
    t.dispatch('TYPING_START', start('a', 'c', 'Alice'));
    vi.advanceTimersByTime(8000);
    expect(get(line)).toEqual(['Alice']);
    vi.advanceTimersByTime(2001);
    expect(get(line)).toEqual([]);
  });

  it('that user’s message in the channel ends it at once; other channels are separate', () => {
    const t = setup();
    t.dispatch('TYPING_START', start('a', 'c', 'Alice'));
    t.dispatch('TYPING_START', start('a', 'd', 'Alice'));
    t.dispatch('MESSAGE_CREATE', { channel_id: 'c', author: { id: 'a' } });
    expect(get(t.channel('c'))).toEqual([]);
    expect(get(t.channel('d'))).toEqual(['Alice']);
    t.dispatch('READY', {});
    expect(get(t.channel('d'))).toEqual([]);
  });
});
