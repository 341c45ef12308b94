import { describe, it, expect } from 'vitest';
import { formatTimestamp, fullDate, nextRelativeUpdate, relativeTime } from './timestamp';

const T = 1700000000; // 2023-11-14T22:13:20Z
const inUtc = { timeZone: 'UTC' };

describe('timestamps', () => {
  it('formats each style with Intl in the given locale', () => {
    // Intl takes the reader's zone; compare with what Intl itself gives for each style's options.
    const d = new Date(T * 1000);
    const fmt = (o: Intl.DateTimeFormatOptions): string => new Intl.DateTimeFormat('en-US', o).format(d);
    expect(formatTimestamp(T, 't', 0, 'en-US')).toBe(fmt({ timeStyle: 'short' }));
    expect(formatTimestamp(T, 'T', 0, 'en-US')).toBe(fmt({ timeStyle: 'medium' }));
    expect(formatTimestamp(T, 'd', 0, 'en-US')).toBe(fmt({ year: 'numeric', month: '2-digit', day: '2-digit' }));
    expect(formatTimestamp(T, 'D', 0, 'en-US')).toBe(fmt({ dateStyle: 'long' }));
    expect(formatTimestamp(T, 'f', 0, 'en-US')).toBe(fmt({ dateStyle: 'long', timeStyle: 'short' }));
    expect(formatTimestamp(T, 'F', 0, 'en-US')).toBe(fmt({ dateStyle: 'full', timeStyle: 'short' }));
    expect(fullDate(T, 'en-US')).toBe(fmt({ dateStyle: 'full', timeStyle: 'short' }));
    // Sanity: the options give what a reader expects, e.g. in UTC.
    expect(new Intl.DateTimeFormat('en-US', { dateStyle: 'long', ...inUtc }).format(d)).toBe('November 14, 2023');
    expect(formatTimestamp(T, 'D', 0, 'de-DE')).toMatch(/2023/);
  });

  it('formats the extremes of the allowed range without throwing', () => {
    expect(formatTimestamp(-62167219200, 'F', 0, 'en-US')).not.toBe('');
    expect(formatTimestamp(253402300799, 'f', 0, 'en-US')).toMatch(/9999|10000/);
  });

  it('says how far away a relative timestamp is', () => {
    const now = T * 1000;
    expect(relativeTime(T, now, 'en-US')).toBe('now');
    expect(relativeTime(T + 30, now, 'en-US')).toBe('in 30 seconds');
    expect(relativeTime(T - 5 * 60, now, 'en-US')).toBe('5 minutes ago');
    expect(relativeTime(T + 3 * 3600, now, 'en-US')).toBe('in 3 hours');
    expect(relativeTime(T - 2 * 86400, now, 'en-US')).toBe('2 days ago');
    expect(relativeTime(T + 65 * 86400, now, 'en-US')).toBe('in 2 months');
    expect(relativeTime(T - 3 * 365 * 86400, now, 'en-US')).toBe('3 years ago');
    expect(formatTimestamp(T + 90, 'R', now, 'en-US')).toBe('in 2 minutes');
  });

  it('updates relative times every second near now and less often further out', () => {
    const now = T * 1000;
    expect(nextRelativeUpdate(T + 10, now)).toBe(1000);
    expect(nextRelativeUpdate(T - 600, now)).toBe(10_000);
    expect(nextRelativeUpdate(T + 7200, now)).toBe(60_000);
    expect(nextRelativeUpdate(T + 86400 * 9, now)).toBe(3_600_000);
  });
});
