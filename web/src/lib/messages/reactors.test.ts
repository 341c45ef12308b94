import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { get } from 'svelte/store';
import { loadReactors, reactors, reactorsKey, reactorsText, REACTORS_LIMIT } from './reactors';
import type { User } from '../api/types';

const user = (id: string, username: string): User => ({ id, username, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' }) as User;
const ME = user('1', 'me');
const A = user('2', 'alice');
const B = user('3', 'bob');
const C = user('4', 'carol');
const name = (u: User) => u.username;

describe('reactorsText', () => {
  it('names up to three, then counts the others', () => {
    expect(reactorsText('👍', 1, false, [A], '1', name)).toBe('alice reacted with 👍');
    expect(reactorsText('👍', 2, false, [A, B], '1', name)).toBe('alice and bob reacted with 👍');
    expect(reactorsText('👍', 3, false, [A, B, C], '1', name)).toBe('alice, bob and carol reacted with 👍');
    expect(reactorsText('👍', 4, false, [A, B, C], '1', name)).toBe('alice, bob, carol and 1 other reacted with 👍');
    expect(reactorsText('👍', 6, false, [A, B, C], '1', name)).toBe('alice, bob, carol and 3 others reacted with 👍');
  });

  it('puts me first as "You", whether or not the fetched page has me', () => {
    expect(reactorsText('🎉', 1, true, [ME], '1', name)).toBe('You reacted with 🎉');
    expect(reactorsText('🎉', 2, true, [ME, A], '1', name)).toBe('You and alice reacted with 🎉');
    expect(reactorsText('🎉', 5, true, [A, B, C, user('5', 'dee')], '1', name)).toBe('You, alice, bob and 2 others reacted with 🎉');
    expect(reactorsText('🎉', 5, true, [ME, A, B, C], '1', name)).toBe('You, alice, bob and 2 others reacted with 🎉');
  });

  it('has nothing to say before the fetch or when it found nobody', () => {
    expect(reactorsText('👍', 2, false, undefined, '1', name)).toBeNull();
    expect(reactorsText('👍', 2, false, [], '1', name)).toBeNull();
    expect(reactorsText('👍', 0, false, [A], '1', name)).toBeNull();
  });
});

describe('loadReactors', () => {
  let urls: string[] = [];
  let answer: User[] = [A, B];

  beforeEach(() => {
    urls = [];
    answer = [A, B];
    reactors.set({});
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify(answer), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('fetches once per message, emoji and count, and again when the count changes', async () => {
    await Promise.all([loadReactors('100', '500', '👍', 2), loadReactors('100', '500', '👍', 2)]);
    expect(urls).toEqual([`/api/v1/channels/100/messages/500/reactions/${encodeURIComponent('👍')}?limit=${REACTORS_LIMIT}`]);
    expect(get(reactors)[reactorsKey('500', '👍')]).toEqual({ count: 2, users: [A, B] });
    await loadReactors('100', '500', '👍', 2);
    expect(urls.length).toBe(1);
    answer = [A, B, C];
    await loadReactors('100', '500', '👍', 3);
    expect(urls.length).toBe(2);
    expect(get(reactors)[reactorsKey('500', '👍')]).toEqual({ count: 3, users: [A, B, C] });
    // Another emoji on the same message is its own entry.
    await loadReactors('100', '500', '🎉', 1);
    expect(urls.length).toBe(3);
  });

  it('a failed fetch leaves no entry, so hovering again retries', async () => {
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ error: { code: 'MISSING_PERMISSIONS', message: 'missing permissions' } }), { status: 403 });
    });
    await loadReactors('100', '600', '👍', 1);
    expect(get(reactors)[reactorsKey('600', '👍')]).toBeUndefined();
    await loadReactors('100', '600', '👍', 1);
    expect(urls.length).toBe(2);
  });
});
