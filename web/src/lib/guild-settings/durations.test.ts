import { describe, it, expect } from 'vitest';
import { customSeconds, formatDuration, formatRemaining, MAX_TIMEOUT_SECONDS, timeoutUntil, TIMEOUT_CHOICES, BAN_DELETE_CHOICES } from './durations';

describe('durations', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('turns a choice into an RFC 3339 end time', () => {
    expect(timeoutUntil(3600, now)).toBe('2026-03-01T13:00:00.000Z');
    expect(timeoutUntil(MAX_TIMEOUT_SECONDS, now)).toBe('2026-03-29T12:00:00.000Z');
    expect(() => timeoutUntil(MAX_TIMEOUT_SECONDS + 1, now)).toThrow(RangeError);
    expect(() => timeoutUntil(0, now)).toThrow(RangeError);
    expect(TIMEOUT_CHOICES.map((c) => c.seconds)).toEqual([60, 300, 600, 3600, 86400, 604800]);
    expect(BAN_DELETE_CHOICES.map((c) => c.seconds)).toEqual([0, 3600, 21600, 43200, 86400, 259200, 604800]);
  });

  it('checks custom amounts against the bounds', () => {
    expect(customSeconds('2', 'hours', 1, MAX_TIMEOUT_SECONDS)).toEqual({ seconds: 7200 });
    expect(customSeconds('28', 'days', 1, MAX_TIMEOUT_SECONDS)).toEqual({ seconds: MAX_TIMEOUT_SECONDS });
    expect(customSeconds('29', 'days', 1, MAX_TIMEOUT_SECONDS)).toEqual({ error: 'At most 28 days.' });
    expect(customSeconds('1.5', 'hours', 1, MAX_TIMEOUT_SECONDS)).toEqual({ error: 'Enter a whole number.' });
    expect(customSeconds('0', 'minutes', 60, MAX_TIMEOUT_SECONDS)).toEqual({ error: 'At least 1 minute.' });
  });

  it('formats durations and what remains', () => {
    expect(formatDuration(60)).toBe('1 minute');
    expect(formatDuration(90)).toBe('1 minute 30 seconds');
    expect(formatDuration(86400 + 6 * 3600)).toBe('1 day 6 hours');
    expect(formatDuration(604800)).toBe('1 week');
    expect(formatDuration(MAX_TIMEOUT_SECONDS)).toBe('28 days');
    expect(formatRemaining('2026-03-01T12:05:00Z', now)).toBe('in 5 minutes');
    expect(formatRemaining('2026-03-01T11:00:00Z', now)).toBeNull();
    expect(formatRemaining(null, now)).toBeNull();
  });
});
