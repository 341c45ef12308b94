/**
 * Where the user stands in the channel the composer writes to: the permissions that decide what the
 * composer offers, whether it is blocked (timed out, or no SEND_MESSAGES) and how slow mode applies.
 * Pure: the component passes the chat state, my user id and the current time.
 */
import type { Channel, Guild, Member } from '../api/types';
import type { ChatState } from '../stores/chat';
import { P, channelPermissions, has, isTimedOut } from '../permissions';

export interface Standing {
  channel: Channel | undefined;
  guildId: string | null;
  guild: Guild | undefined;
  /** My member record in the channel's guild, when cached. */
  me: Member | undefined;
  /**
   * My permissions in the channel, or null when unknown (member not cached, or a cache so partial
   * that it says we cannot even see the channel we are looking at): then everything is offered and
   * the server stays the authority.
   */
  perms: bigint | null;
  timedOut: boolean;
  canSend: boolean;
  canMentionEveryone: boolean;
  /** The channel's slow mode interval in seconds (0: off). */
  slowMode: number;
  /** BYPASS_SLOWMODE, MANAGE_MESSAGES or MANAGE_CHANNELS: slow mode does not hold me back. */
  slowExempt: boolean;
}

export function composerStanding(state: ChatState, channelId: string, myId: string | null, now: number): Standing {
  const channel = state.channels[channelId];
  const guildId = channel?.guild_id ?? null;
  const guild = guildId ? state.guilds[guildId]?.guild : undefined;
  const me = guildId && myId ? state.members[guildId]?.[myId] : undefined;
  const computed = channel && guild && me ? channelPermissions(guild, me, channel, now) : null;
  const perms = computed !== null && has(computed, P.VIEW_CHANNEL) ? computed : null;
  return {
    channel,
    guildId,
    guild,
    me,
    perms,
    timedOut: !!me && isTimedOut(me, now),
    canSend: perms === null || has(perms, P.SEND_MESSAGES),
    canMentionEveryone: perms !== null && has(perms, P.MENTION_EVERYONE),
    slowMode: channel?.rate_limit_per_user ?? 0,
    slowExempt: perms !== null && (has(perms, P.BYPASS_SLOWMODE) || has(perms, P.MANAGE_MESSAGES) || has(perms, P.MANAGE_CHANNELS)),
  };
}

/**
 * `next`, or `prev` when every field is the same: the standing is recomputed on every clock tick,
 * and handing back the same object keeps what derives from it (the suggestion list) from redoing
 * its work, and the popup from scrolling, while nothing changed.
 */
export function sameIfUnchanged<T extends object>(prev: T | null, next: T): T {
  if (prev === null) return next;
  const keys = Object.keys(next) as (keyof T)[];
  if (keys.length !== Object.keys(prev).length) return next;
  return keys.every((k) => Object.is(prev[k], next[k])) ? prev : next;
}

/** Why the composer shows an explanation instead of the input (a timeout wins), or null. */
export function blockedReason(s: Pick<Standing, 'timedOut' | 'canSend'>): 'timeout' | 'permission' | null {
  if (s.timedOut) return 'timeout';
  return s.canSend ? null : 'permission';
}

/** Whether slow mode holds the next message back now (`slowLeft`: whole seconds left). */
export function slowModeHolds(s: Pick<Standing, 'slowExempt'>, slowLeft: number): boolean {
  return !s.slowExempt && slowLeft > 0;
}

/** The slow mode to start after a send, in seconds (0: none). */
export function slowModeAfterSend(s: Pick<Standing, 'slowExempt' | 'slowMode'>): number {
  return s.slowExempt ? 0 : s.slowMode;
}

/** The send button is off for blank or over-long text and while slow mode holds. */
export function sendDisabled(blank: boolean, tooLong: boolean, holds: boolean): boolean {
  return blank || tooLong || holds;
}

/** Longest timer the platform accepts (setTimeout clamps larger delays to 1 ms). */
const MAX_TIMER = 2 ** 31 - 1;

/**
 * When the composer must look at the clock again, in ms from `now`, or null: every second while a
 * slow mode countdown runs, and just after a timeout ends (so the input comes back by itself).
 */
export function nextWake(slowLeft: number, timeoutUntil: string | null | undefined, now: number): number | null {
  const untilTimeout = timeoutUntil ? Date.parse(timeoutUntil) - now : NaN;
  const timeoutWake = untilTimeout > 0 ? Math.min(untilTimeout + 500, MAX_TIMER) : null;
  const tick = slowLeft > 0 ? 1000 : null;
  if (tick === null) return timeoutWake;
  return timeoutWake === null ? tick : Math.min(tick, timeoutWake);
}
