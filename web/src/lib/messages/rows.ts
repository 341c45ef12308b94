/**
 * The rows the message list renders: messages (a group's first one with the author line), day
 * separators, the "new messages" divider, and the channel's start or a loading row at either end.
 * Pure, so grouping and estimates are tested without a DOM.
 */
import type { ChatMessage } from '../stores/chat';

/** Discord's message types Hearth shows as plain messages; every other type is a system notice. */
export function isSystemMessage(m: Pick<ChatMessage, 'type'>): boolean {
  return m.type != null && m.type !== 0 && m.type !== 19;
}

export type Row =
  | { kind: 'intro'; key: 'intro' }
  | { kind: 'loading'; key: 'loading-older' | 'loading-newer' }
  | { kind: 'day'; key: string; date: Date }
  | { kind: 'unread'; key: 'unread' }
  | { kind: 'message'; key: string; message: ChatMessage; head: boolean };

export interface RowOptions {
  /** older history remains (a loading row at the top instead of the channel's start) */
  hasMore: boolean;
  /** newer history remains (a loading row at the bottom) */
  hasNewer: boolean;
  /** draw the "new messages" divider before this message id */
  unreadFrom: string | null;
  /** consecutive messages by one author within this many ms share a header */
  groupWindowMs?: number;
}

export const GROUP_WINDOW_MS = 7 * 60 * 1000;

function dayKey(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function buildRows(list: readonly ChatMessage[], opts: RowOptions): Row[] {
  const rows: Row[] = [];
  rows.push(opts.hasMore ? { kind: 'loading', key: 'loading-older' } : { kind: 'intro', key: 'intro' });
  const windowMs = opts.groupWindowMs ?? GROUP_WINDOW_MS;
  let prev: ChatMessage | null = null;
  let prevDay = '';
  let prevTime = 0;
  for (const m of list) {
    const t = Date.parse(m.timestamp);
    const date = new Date(Number.isFinite(t) ? t : 0);
    const day = dayKey(date);
    let head = true;
    if (day !== prevDay) {
      // The first loaded message of a window that does not start at the channel's beginning still
      // gets its day, so the reader knows when they are.
      rows.push({ kind: 'day', key: 'day-' + m.id, date });
      prevDay = day;
    } else if (prev && prev.author.id === m.author.id && !isSystemMessage(prev) && !isSystemMessage(m) && m.type !== 19 && t >= prevTime && t - prevTime <= windowMs) {
      head = false;
    }
    if (opts.unreadFrom === m.id) {
      rows.push({ kind: 'unread', key: 'unread' });
      head = true;
    }
    rows.push({ kind: 'message', key: m.id, message: m, head });
    prev = m;
    prevTime = t;
  }
  if (opts.hasNewer) rows.push({ kind: 'loading', key: 'loading-newer' });
  return rows;
}

/**
 * The first message after the read marker that someone else wrote: where the divider goes. Null
 * when there is no marker or nothing newer.
 */
export function firstUnread(list: readonly ChatMessage[], lastReadId: string | null, myId: string | null): string | null {
  if (lastReadId === null) return null;
  for (const m of list) {
    if (m.pending || m.failed) continue;
    if (cmpId(m.id, lastReadId) > 0 && m.author.id !== myId) return m.id;
  }
  return null;
}

export function cmpId(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Roughly how tall a row will be before it is measured (in px at the default font size). `compact`:
 * the compact density (the name on the first line, tighter spacing).
 */
export function estimateRow(row: Row, charsPerLine = 80, compact = false): number {
  switch (row.kind) {
    case 'intro':
      return 120;
    case 'loading':
      return 64;
    case 'day':
      return compact ? 32 : 40;
    case 'unread':
      return 22;
    case 'message': {
      const m = row.message;
      if (isSystemMessage(m)) return m.type === 24 ? 64 : compact ? 24 : 32;
      let lines = 0;
      for (const part of m.content.split('\n')) lines += Math.max(1, Math.ceil(part.length / charsPerLine));
      let h = compact ? 2 + lines * 21 : 4 + lines * 22;
      if (row.head) h += compact ? 6 : 26;
      if (m.type === 19) h += compact ? 20 : 22;
      if ((m.reactions?.length ?? 0) > 0) h += compact ? 32 : 34;
      if (m.failed) h += 22;
      return h;
    }
  }
}
