import { describe, it, expect, vi, afterEach } from 'vitest';
import { get } from 'svelte/store';
import { lookupDone, lookupMention, lookups } from './lookup';

afterEach(() => vi.unstubAllGlobals());

const json = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

describe('mention lookups', () => {
  it('asks once per user, a few at a time, and remembers misses', async () => {
    let active = 0;
    let peak = 0;
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      const path = new URL(url, 'http://x').pathname;
      asked.push(path);
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 1));
      active--;
      const id = path.split('/').pop() as string;
      if (path.startsWith('/api/v1/users/')) return json({ error: { code: 'UNKNOWN_USER', message: 'unknown user' } }, 404);
      return json({ user: { id, username: 'u' + id, global_name: null }, nick: null, roles: [], joined_at: '2026-01-01T00:00:00Z', pending: false });
    });
    for (let i = 0; i < 10; i++) lookupMention('7', String(100 + i));
    lookupMention('7', '100');
    lookupMention('7', '100');
    expect(lookupDone(get(lookups), '7', '100')).toBe(false);
    await settle();
    await settle();
    expect(asked.filter((p) => p.endsWith('/members/100')).length).toBe(1);
    expect(asked.length).toBe(10);
    expect(peak).toBeLessThanOrEqual(3);
    expect(get(lookups).members['7:105']?.user.username).toBe('u105');
    expect(lookupDone(get(lookups), '7', '105')).toBe(true);
    // Outside a guild: the users endpoint; a miss is remembered and not asked again.
    lookupMention(null, '555');
    await settle();
    lookupMention(null, '555');
    await settle();
    expect(asked.filter((p) => p === '/api/v1/users/555').length).toBe(1);
    expect(get(lookups).users['555']).toBeNull();
    expect(lookupDone(get(lookups), null, '555')).toBe(true);
  });
});
