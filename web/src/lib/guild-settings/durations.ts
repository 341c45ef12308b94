/** Durations offered by the moderation forms, their bounds, and how they go on the wire. */

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;
export const WEEK = 7 * DAY;
/** The longest timeout the server accepts: 28 days. */
export const MAX_TIMEOUT_SECONDS = 28 * DAY;
/** The longest window of messages a ban may delete: 7 days. */
export const MAX_BAN_DELETE_SECONDS = 7 * DAY;

export interface Choice {
  seconds: number;
  label: string;
}

export const TIMEOUT_CHOICES: readonly Choice[] = [
  { seconds: 60, label: '60 seconds' },
  { seconds: 5 * MINUTE, label: '5 minutes' },
  { seconds: 10 * MINUTE, label: '10 minutes' },
  { seconds: HOUR, label: '1 hour' },
  { seconds: DAY, label: '1 day' },
  { seconds: WEEK, label: '1 week' },
];

export const BAN_DELETE_CHOICES: readonly Choice[] = [
  { seconds: 0, label: "Don't delete any" },
  { seconds: HOUR, label: 'Previous hour' },
  { seconds: 6 * HOUR, label: 'Previous 6 hours' },
  { seconds: 12 * HOUR, label: 'Previous 12 hours' },
  { seconds: DAY, label: 'Previous 24 hours' },
  { seconds: 3 * DAY, label: 'Previous 3 days' },
  { seconds: WEEK, label: 'Previous 7 days' },
];

/** Invite lifetimes: 0 is never (the server allows 0–604800, default 86400). */
export const INVITE_AGE_CHOICES: readonly Choice[] = [
  { seconds: 30 * MINUTE, label: '30 minutes' },
  { seconds: HOUR, label: '1 hour' },
  { seconds: 6 * HOUR, label: '6 hours' },
  { seconds: 12 * HOUR, label: '12 hours' },
  { seconds: DAY, label: '1 day' },
  { seconds: WEEK, label: '7 days' },
  { seconds: 0, label: 'Never' },
];

/** Invite use limits: 0 is unlimited (the server allows 0–100). */
export const INVITE_USES_CHOICES: readonly { uses: number; label: string }[] = [
  { uses: 0, label: 'No limit' },
  { uses: 1, label: '1 use' },
  { uses: 5, label: '5 uses' },
  { uses: 10, label: '10 uses' },
  { uses: 25, label: '25 uses' },
  { uses: 50, label: '50 uses' },
  { uses: 100, label: '100 uses' },
];

export const SLOW_MODE_CHOICES: readonly Choice[] = [
  { seconds: 0, label: 'Off' },
  { seconds: 5, label: '5 seconds' },
  { seconds: 10, label: '10 seconds' },
  { seconds: 15, label: '15 seconds' },
  { seconds: 30, label: '30 seconds' },
  { seconds: MINUTE, label: '1 minute' },
  { seconds: 2 * MINUTE, label: '2 minutes' },
  { seconds: 5 * MINUTE, label: '5 minutes' },
  { seconds: 10 * MINUTE, label: '10 minutes' },
  { seconds: 15 * MINUTE, label: '15 minutes' },
  { seconds: 30 * MINUTE, label: '30 minutes' },
  { seconds: HOUR, label: '1 hour' },
  { seconds: 2 * HOUR, label: '2 hours' },
  { seconds: 6 * HOUR, label: '6 hours' },
];

export type Unit = 'seconds' | 'minutes' | 'hours' | 'days';
export const UNIT_SECONDS: Record<Unit, number> = { seconds: 1, minutes: MINUTE, hours: HOUR, days: DAY };

/** A custom amount in a unit as seconds, or an error text when it is not a whole number within [min, max]. */
export function customSeconds(amount: string, unit: Unit, min: number, max: number): { seconds: number } | { error: string } {
  const t = amount.trim();
  if (!/^\d+$/.test(t)) return { error: 'Enter a whole number.' };
  const seconds = Number(t) * UNIT_SECONDS[unit];
  if (seconds < min) return { error: `At least ${formatDuration(min)}.` };
  if (seconds > max) return { error: `At most ${formatDuration(max)}.` };
  return { seconds };
}

/** The RFC 3339 time `seconds` from `now` (what `communication_disabled_until` takes). */
export function untilFromNow(seconds: number, now: number = Date.now()): string {
  return new Date(now + seconds * 1000).toISOString();
}

/** A timeout end for the API: within 1 s … 28 days, else an error. */
export function timeoutUntil(seconds: number, now: number = Date.now()): string {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) throw new RangeError('a timeout lasts between 1 second and 28 days');
  return untilFromNow(seconds, now);
}

const UNITS: [number, string][] = [
  [WEEK, 'week'],
  [DAY, 'day'],
  [HOUR, 'hour'],
  [MINUTE, 'minute'],
  [1, 'second'],
];

/** "1 hour", "28 days", "90 seconds", "1 day 6 hours" (at most two units). */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return '0 seconds';
  if (seconds % WEEK === 0 && seconds / WEEK < 4) return plural(seconds / WEEK, 'week');
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [size, name] of UNITS) {
    if (size === WEEK) continue;
    if (rest >= size && parts.length < 2) {
      const n = Math.floor(rest / size);
      parts.push(plural(n, name));
      rest -= n * size;
    }
  }
  return parts.join(' ');
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** "in 5 minutes", "in 2 days 3 hours", or null once the time has passed. */
export function formatRemaining(until: string | null | undefined, now: number = Date.now()): string | null {
  if (!until) return null;
  const end = Date.parse(until);
  if (Number.isNaN(end) || end <= now) return null;
  const secs = Math.ceil((end - now) / 1000);
  return 'in ' + formatDuration(secs >= HOUR ? Math.round(secs / MINUTE) * MINUTE : secs);
}

/** A date and time in the reader's locale. */
export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
