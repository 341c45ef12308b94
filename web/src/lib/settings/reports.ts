/** The admin report queue: labels, filters and the note form's bounds. */
import { charCount } from './text';

export const REPORT_STATUSES = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'dismissed', label: 'Dismissed' },
] as const;

export type ReportStatus = (typeof REPORT_STATUSES)[number]['value'];

const CATEGORY_LABELS: Record<string, string> = {
  spam: 'Spam',
  harassment: 'Harassment',
  hate: 'Hate',
  sexual: 'Sexual content',
  violence: 'Violence',
  self_harm: 'Self-harm',
  illegal: 'Illegal content',
  impersonation: 'Impersonation',
  other: 'Other',
};

export function categoryLabel(c: string): string {
  return CATEGORY_LABELS[c] ?? c;
}

export function statusLabel(s: string): string {
  return REPORT_STATUSES.find((x) => x.value === s)?.label ?? s;
}

export const NOTE_MAX = 2000;

/** A moderator note: 1–2000 characters after trimming, no control characters but newline and tab. */
export function noteError(text: string): string | null {
  const t = text.trim();
  if (t === '') return 'Write a note first';
  const n = charCount(t);
  if (n > NOTE_MAX) return `At most ${NOTE_MAX} characters (now ${n})`;
  if (/[\0-\x08\v-\x1f\x7f-\x9f]/u.test(t)) return 'Control characters other than newline and tab are not allowed';
  return null;
}

/** Where a report came from, in words. */
export function reportSource(r: { guild_id?: string | null; escalated: boolean; message_id?: string | null }): string {
  const what = r.message_id ? 'Message report' : 'Account report';
  if (!r.guild_id) return `${what} to the instance`;
  return r.escalated ? `${what} escalated from a guild` : `${what} in a guild`;
}
