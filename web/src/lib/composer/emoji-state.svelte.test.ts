// @vitest-environment happy-dom
// (a browser environment: Svelte compiles runes for the client there; under node its effects never run)
import { describe, expect, it, vi } from 'vitest';
import { LazyEmoji } from './emoji-state.svelte';
import { smallEmoji } from './test-fixtures';

describe('LazyEmoji', () => {
  it('loads once on need, and tries again after a failure', async () => {
    const data = smallEmoji();
    const load = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValue(data);
    const e = new LazyEmoji(load);
    e.data = null;
    e.ensure();
    await Promise.resolve();
    await Promise.resolve();
    expect(e.data).toBeNull();
    e.ensure();
    await vi.waitFor(() => expect(e.data).toBe(data));
    e.ensure();
    expect(load).toHaveBeenCalledTimes(2);
  });
});
