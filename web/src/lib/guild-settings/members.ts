/** Member lists in the settings: paging through GET /guilds/{id}/members and searching the pages loaded. */
import type { Member } from '../api/types';

export const MEMBER_PAGE = 1000;

function cmpId(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Merge a page into the loaded members (a later copy replaces an earlier one), in user id order. */
export function mergeMembers(loaded: readonly Member[], page: readonly Member[]): Member[] {
  const byId = new Map(loaded.map((m) => [m.user.id, m]));
  for (const m of page) byId.set(m.user.id, m);
  return [...byId.values()].sort((a, b) => cmpId(a.user.id, b.user.id));
}

/** The `after` cursor for the next page, or null when the page was the last. */
export function nextCursor<T>(page: readonly T[], limit: number, idOf: (x: T) => string): string | null {
  if (page.length < limit) return null;
  const last = page[page.length - 1];
  return last === undefined ? null : idOf(last);
}

function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Whether a member matches the query: part of the username, display name or nickname, or the exact user id. */
export function memberMatches(m: Pick<Member, 'user' | 'nick'>, query: string): boolean {
  const q = fold(query.trim().replace(/^@/, ''));
  if (!q) return true;
  if (m.user.id === q) return true;
  return [m.user.username, m.user.global_name ?? '', m.nick ?? ''].some((s) => fold(s).includes(q));
}

/** Matching members, best first: exact name, then names starting with the query, then the rest (each by name). */
export function searchMembers<T extends Pick<Member, 'user' | 'nick'>>(list: readonly T[], query: string): T[] {
  const q = fold(query.trim().replace(/^@/, ''));
  const hits = list.filter((m) => memberMatches(m, q));
  if (!q) return hits;
  const score = (m: T) => {
    const names = [m.user.username, m.user.global_name ?? '', m.nick ?? ''].map(fold);
    if (names.includes(q)) return 0;
    if (names.some((n) => n.startsWith(q))) return 1;
    return 2;
  };
  return hits.map((m) => ({ m, s: score(m), n: fold(m.nick ?? m.user.global_name ?? m.user.username) })).sort((a, b) => a.s - b.s || a.n.localeCompare(b.n)).map((x) => x.m);
}

export function memberName(m: Pick<Member, 'user' | 'nick'>): string {
  return m.nick ?? m.user.global_name ?? m.user.username;
}
