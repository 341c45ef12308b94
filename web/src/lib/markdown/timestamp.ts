/**
 * `<t:unix:style>` timestamps, shown in the reader's time zone and locale (Discord's styles).
 */
import type { TimestampStyle } from './parse';

const FORMATS: Record<Exclude<TimestampStyle, 'R'>, Intl.DateTimeFormatOptions> = {
  t: { timeStyle: 'short' },
  T: { timeStyle: 'medium' },
  d: { year: 'numeric', month: '2-digit', day: '2-digit' },
  D: { dateStyle: 'long' },
  f: { dateStyle: 'long', timeStyle: 'short' },
  F: { dateStyle: 'full', timeStyle: 'short' },
};

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365.25 * 86400],
  ['month', 30.44 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

function format(date: Date, options: Intl.DateTimeFormatOptions, locale?: string | string[]): string {
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    return date.toISOString();
  }
}

/** "in 5 minutes", "3 hours ago", "now": the distance from `nowMs`, in the largest fitting unit. */
export function relativeTime(unix: number, nowMs: number, locale?: string | string[]): string {
  const diff = unix - nowMs / 1000;
  const abs = Math.abs(diff);
  try {
    for (const [unit, seconds] of UNITS) {
      if (abs >= seconds) return new Intl.RelativeTimeFormat(locale, { numeric: 'always' }).format(Math.round(diff / seconds), unit);
    }
    return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(Math.round(diff), 'second');
  } catch {
    return new Date(unix * 1000).toISOString();
  }
}

/** A timestamp as its style shows it. */
export function formatTimestamp(unix: number, style: TimestampStyle, nowMs = Date.now(), locale?: string | string[]): string {
  if (style === 'R') return relativeTime(unix, nowMs, locale);
  return format(new Date(unix * 1000), FORMATS[style], locale);
}

/** The full date and time (for a tooltip). */
export function fullDate(unix: number, locale?: string | string[]): string {
  return format(new Date(unix * 1000), FORMATS.F, locale);
}

/** How long until a relative timestamp's text may change: every second near now, less often further out. */
export function nextRelativeUpdate(unix: number, nowMs: number): number {
  const abs = Math.abs(unix - nowMs / 1000);
  if (abs < 60) return 1000;
  if (abs < 3600) return 10_000;
  if (abs < 86400) return 60_000;
  return 3_600_000;
}
