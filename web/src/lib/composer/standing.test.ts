import { describe, expect, it } from 'vitest';
import { blockedReason, composerStanding, nextWake, sameIfUnchanged, sendDisabled, slowModeAfterSend, slowModeHolds } from './standing';
import { guildState } from './test-fixtures';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const BYPASS_SLOWMODE = String(1n << 52n);
const MANAGE_MESSAGES = String(1n << 13n);
const MENTION_EVERYONE = String(1n << 17n);
const VIEW_ONLY = String((1n << 10n) | (1n << 16n));

describe('composerStanding', () => {
  it('reads my permissions in the channel, and slow mode', () => {
    const s = composerStanding(guildState({ rateLimit: 30 }), '100', '1', NOW);
    expect(s.guildId).toBe('10');
    expect(s.channel?.name).toBe('general');
    expect(s.me?.user.id).toBe('1');
    expect(s.perms).not.toBeNull();
    expect(s).toMatchObject({ canSend: true, timedOut: false, canMentionEveryone: false, slowMode: 30, slowExempt: false });
  });

  it('offers everything while my standing is unknown: no member cached, or a cache that hides the channel', () => {
    const unknown = composerStanding(guildState({ withoutMe: true }), '100', '1', NOW);
    expect(unknown.perms).toBeNull();
    expect(unknown.canSend).toBe(true);
    expect(unknown.canMentionEveryone).toBe(false);
    expect(unknown.slowExempt).toBe(false);
    const hidden = composerStanding(guildState(), '103', '1', NOW);
    expect(hidden.perms).toBeNull();
    expect(hidden.canSend).toBe(true);
    const noUser = composerStanding(guildState(), '100', null, NOW);
    expect(noUser.me).toBeUndefined();
    expect(noUser.canSend).toBe(true);
  });

  it('is empty for an unknown channel', () => {
    const s = composerStanding(guildState(), 'nope', '1', NOW);
    expect(s).toMatchObject({ channel: undefined, guildId: null, perms: null, canSend: true, slowMode: 0 });
  });

  it('says when I may not send', () => {
    const s = composerStanding(guildState({ everyonePerms: VIEW_ONLY }), '100', '1', NOW);
    expect(s.canSend).toBe(false);
    expect(blockedReason(s)).toBe('permission');
  });

  it('knows a running timeout, and that it ends', () => {
    const until = new Date(NOW + 60_000).toISOString();
    const during = composerStanding(guildState({ timeoutUntil: until }), '100', '1', NOW);
    expect(during.timedOut).toBe(true);
    expect(blockedReason(during)).toBe('timeout');
    const after = composerStanding(guildState({ timeoutUntil: until }), '100', '1', NOW + 61_000);
    expect(after.timedOut).toBe(false);
    expect(blockedReason(after)).toBeNull();
  });

  it('a timeout wins over a missing permission', () => {
    expect(blockedReason({ timedOut: true, canSend: false })).toBe('timeout');
  });

  it('exempts from slow mode with BYPASS_SLOWMODE, MANAGE_MESSAGES, MANAGE_CHANNELS or as owner', () => {
    for (const bits of [BYPASS_SLOWMODE, MANAGE_MESSAGES, String(1n << 4n)]) {
      expect(composerStanding(guildState({ rateLimit: 30, myRoles: [['60', bits]] }), '100', '1', NOW).slowExempt).toBe(true);
    }
    expect(composerStanding(guildState({ rateLimit: 30, ownerId: '1' }), '100', '1', NOW).slowExempt).toBe(true);
  });

  it('allows @everyone with MENTION_EVERYONE', () => {
    expect(composerStanding(guildState({ myRoles: [['60', MENTION_EVERYONE]] }), '100', '1', NOW).canMentionEveryone).toBe(true);
  });
});

describe('slow mode decisions', () => {
  it('holds the next message back while seconds are left, unless exempt', () => {
    expect(slowModeHolds({ slowExempt: false }, 3)).toBe(true);
    expect(slowModeHolds({ slowExempt: false }, 0)).toBe(false);
    expect(slowModeHolds({ slowExempt: true }, 3)).toBe(false);
  });

  it('starts the channel interval after a send, none when exempt', () => {
    expect(slowModeAfterSend({ slowExempt: false, slowMode: 30 })).toBe(30);
    expect(slowModeAfterSend({ slowExempt: true, slowMode: 30 })).toBe(0);
    expect(slowModeAfterSend({ slowExempt: false, slowMode: 0 })).toBe(0);
  });

  it('turns the send button off for blank or over-long text and while slow mode holds', () => {
    expect(sendDisabled(false, false, false)).toBe(false);
    expect(sendDisabled(true, false, false)).toBe(true);
    expect(sendDisabled(false, true, false)).toBe(true);
    expect(sendDisabled(false, false, true)).toBe(true);
  });
});

describe('nextWake', () => {
  it('ticks every second during a countdown', () => {
    expect(nextWake(5, null, NOW)).toBe(1000);
  });

  it('wakes just after a timeout ends, and not for an ended one', () => {
    expect(nextWake(0, new Date(NOW + 10_000).toISOString(), NOW)).toBe(10_500);
    expect(nextWake(0, new Date(NOW - 1).toISOString(), NOW)).toBeNull();
    expect(nextWake(0, 'not a date', NOW)).toBeNull();
    expect(nextWake(0, null, NOW)).toBeNull();
  });

  it('takes the sooner of both, and clamps far timeouts to what setTimeout accepts', () => {
    expect(nextWake(5, new Date(NOW + 100).toISOString(), NOW)).toBe(600);
    expect(nextWake(5, new Date(NOW + 10_000).toISOString(), NOW)).toBe(1000);
    expect(nextWake(0, new Date(NOW + 365 * 86_400_000).toISOString(), NOW)).toBe(2 ** 31 - 1);
  });
});

describe('sameIfUnchanged', () => {
  it('keeps the previous object while every field is the same', () => {
    const state = guildState();
    const a = composerStanding(state, '100', '1', NOW);
    const b = composerStanding(state, '100', '1', NOW + 1000);
    expect(b).not.toBe(a);
    expect(sameIfUnchanged(a, b)).toBe(a);
    const c = composerStanding(guildState({ rateLimit: 5 }), '100', '1', NOW);
    expect(sameIfUnchanged(a, c)).toBe(c);
    expect(sameIfUnchanged(null, a)).toBe(a);
    expect(sameIfUnchanged<{ x?: number }>({ x: 1 }, {})).toEqual({});
  });
});
