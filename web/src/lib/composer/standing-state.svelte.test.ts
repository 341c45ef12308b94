// @vitest-environment happy-dom
// (a browser environment: Svelte compiles runes for the client there; under node its effects never run)
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { StandingState, type StandingInputs } from './standing-state.svelte';
import { guildState } from './test-fixtures';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  vi.useRealTimers();
});

function setup(inputs: StandingInputs) {
  const box = $state({ inputs });
  let st!: StandingState;
  cleanup = $effect.root(() => {
    st = new StandingState(() => box.inputs);
  });
  flushSync();
  return { st, box };
}

describe('StandingState', () => {
  it('counts slow mode down by itself and stops at zero', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T10:00:00Z') });
    const state = guildState({ rateLimit: 3 });
    const { st } = setup({ state, channelId: '100', myId: '1', slowUntil: Date.now() + 3000 });
    expect(st.slowLeft).toBe(3);
    expect(st.slowHolds).toBe(true);
    vi.advanceTimersByTime(1000);
    flushSync();
    expect(st.slowLeft).toBe(2);
    // (real timers let the effect re-arm between ticks; fake ones need a flush)
    vi.advanceTimersByTime(1000);
    flushSync();
    expect(st.slowLeft).toBe(1);
    vi.advanceTimersByTime(1000);
    flushSync();
    expect(st.slowLeft).toBe(0);
    expect(st.slowHolds).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives the input back just after a timeout ends', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T10:00:00Z') });
    const until = new Date(Date.now() + 5000).toISOString();
    const { st } = setup({ state: guildState({ timeoutUntil: until }), channelId: '100', myId: '1', slowUntil: undefined });
    expect(st.blocked).toBe('timeout');
    vi.advanceTimersByTime(5499);
    flushSync();
    expect(st.blocked).toBe('timeout');
    vi.advanceTimersByTime(1);
    flushSync();
    expect(st.blocked).toBeNull();
  });

  it('keeps the same standing object while the clock ticks and nothing changes', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T10:00:00Z') });
    const { st, box } = setup({ state: guildState(), channelId: '100', myId: '1', slowUntil: Date.now() + 5000 });
    const first = st.standing;
    vi.advanceTimersByTime(2000);
    flushSync();
    expect(st.standing).toBe(first);
    box.inputs = { ...box.inputs, state: guildState({ everyonePerms: String((1n << 10n) | (1n << 16n)) }) };
    expect(st.standing).not.toBe(first);
    expect(st.blocked).toBe('permission');
  });

  it('refreshes its clock on demand', () => {
    vi.useFakeTimers({ now: 1000 });
    const { st } = setup({ state: guildState(), channelId: '100', myId: '1', slowUntil: undefined });
    vi.setSystemTime(5000);
    expect(st.refresh()).toBe(5000);
    expect(st.now).toBe(5000);
  });
});
