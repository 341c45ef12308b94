/** Times, invite and announcement details as a settings screen shows them. */
import type { components } from '../api/schema';

type InstanceInvite = components['schemas']['InstanceInvite'];
type Announcement = components['schemas']['Announcement'];

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function ms(iso: string): number {
  return new Date(iso).getTime();
}

/** "just now", "5 minutes ago", "in 3 days", falling back to the date past a month. */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const t = ms(iso);
  if (Number.isNaN(t)) return 'unknown';
  const d = t - now;
  const a = Math.abs(d);
  if (a < MIN) return d > 0 ? 'in under a minute' : 'just now';
  const [n, unit] = a < HOUR ? [Math.floor(a / MIN), 'minute'] : a < DAY ? [Math.floor(a / HOUR), 'hour'] : a < 30 * DAY ? [Math.floor(a / DAY), 'day'] : [0, ''];
  if (!unit) return formatDate(iso);
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return d > 0 ? `in ${text}` : `${text} ago`;
}

/** Date and time in the reader's locale. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** Instance invite `max_age` choices (seconds; 0 never), bounded by the server's one year. */
export const INVITE_MAX_AGE_MAX = 31_536_000;
export const INVITE_MAX_USES_MAX = 100_000;

export const INVITE_EXPIRY_CHOICES: { seconds: number; label: string }[] = [
  { seconds: 30 * 60, label: '30 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 6 * 3600, label: '6 hours' },
  { seconds: 12 * 3600, label: '12 hours' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 7 * 86_400, label: '7 days' },
  { seconds: 30 * 86_400, label: '30 days' },
  { seconds: INVITE_MAX_AGE_MAX, label: '1 year' },
  { seconds: 0, label: 'Never' },
];

/** Whole number of uses 0–100000 (0 unlimited), or an error. */
export function inviteMaxUsesError(raw: string): string | null {
  const t = raw.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return 'Enter a whole number';
  const n = Number(t);
  if (n > INVITE_MAX_USES_MAX) return `At most ${INVITE_MAX_USES_MAX.toLocaleString('en')}`;
  return null;
}

export type InviteState = 'active' | 'expired' | 'used up';

export function inviteState(inv: InstanceInvite, now = Date.now()): InviteState {
  if (inv.expires_at && ms(inv.expires_at) <= now) return 'expired';
  if (inv.max_uses && inv.uses >= inv.max_uses) return 'used up';
  return 'active';
}

export function inviteUses(inv: InstanceInvite): string {
  return inv.max_uses ? `${inv.uses} / ${inv.max_uses}` : `${inv.uses} / ∞`;
}

/** The registration link for an instance invite: the sign-up screen with the code filled in. */
export function registrationLink(code: string, origin: string): string {
  return `${origin}/register?invite=${encodeURIComponent(code)}`;
}

/** The invite code a registration link carries (`/register?invite=CODE`), for the sign-up screen to fill in. */
export function inviteFromRegistrationUrl(pathname: string, search: string): string | null {
  if (!/^\/register\/?$/.test(pathname)) return null;
  const code = new URLSearchParams(search).get('invite')?.trim();
  return code && /^[A-Za-z0-9_-]{1,64}$/.test(code) ? code : null;
}

/** Announcements: title one line of 1–100, content 1–4000 of markdown, expiry in the coming year. */
export const ANNOUNCEMENT_MAX_LIFETIME_MS = 365 * DAY;

/** `<input type="datetime-local">` value (local time, no zone) → RFC 3339 UTC, or null when blank/invalid. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** RFC 3339 → `<input type="datetime-local">` value in local time (minutes precision). */
export function isoToLocalInput(iso: string | number): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function announcementExpiryError(value: string, now = Date.now()): string | null {
  if (!value) return null;
  const iso = localInputToIso(value);
  if (!iso) return 'Enter a date and time';
  const t = ms(iso);
  if (t <= now) return 'Must be in the future';
  if (t - now > ANNOUNCEMENT_MAX_LIFETIME_MS) return 'Must be at most a year away';
  return null;
}

export function announcementActive(a: Announcement, now = Date.now()): boolean {
  return !a.expires_at || ms(a.expires_at) > now;
}
