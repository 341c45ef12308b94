/** Which account actions an instance admin may take, mirroring the server's rules (docs/api.md, Accounts). */
import type { components } from '../api/schema';
import { charCount } from './text';

type S = components['schemas'];
type Me = Pick<S['CurrentUser'], 'id' | 'admin' | 'owner'>;
type Target = Pick<S['AdminUser'], 'id' | 'admin' | 'owner' | 'disabled' | 'deleted'>;

export interface UserActions {
  disable: boolean;
  enable: boolean;
  promote: boolean;
  demote: boolean;
  delete: boolean;
  /** Why nothing (or less) is offered, when that is not obvious. */
  note: string | null;
}

const NONE = { disable: false, enable: false, promote: false, demote: false, delete: false };

export function userActions(me: Me | null | undefined, t: Target): UserActions {
  if (!me?.admin) return { ...NONE, note: 'Only instance administrators manage accounts.' };
  if (t.deleted) return { ...NONE, note: 'This account was deleted. It stays only so its messages keep an author.' };
  if (t.id === me.id) return { ...NONE, note: 'You cannot disable, demote or delete your own account.' };
  if (t.owner) return { ...NONE, note: 'The instance owner cannot be disabled, demoted or deleted.' };
  const mayManage = me.owner || !t.admin;
  return {
    disable: mayManage && !t.disabled,
    enable: mayManage && t.disabled,
    promote: me.owner && !t.admin && !t.disabled,
    demote: me.owner && t.admin,
    delete: mayManage,
    note: mayManage ? (me.owner ? null : 'Only the instance owner makes or removes administrators.') : 'Only the instance owner may act on another administrator.',
  };
}

export const USER_QUERY_MAX = 32;
export const ADMIN_PAGE = 50;

/** The search box: empty lists everyone; otherwise 1–32 characters without control characters. */
export function userQueryError(q: string): string | null {
  const t = q.trim();
  if (charCount(t) > USER_QUERY_MAX) return `At most ${USER_QUERY_MAX} characters`;
  if (/\p{Cc}/u.test(t)) return 'Control characters are not allowed';
  return null;
}

/** A full page means there may be more after it. */
export function mayHaveMore(pageLength: number, limit: number): boolean {
  return pageLength >= limit;
}

/** Append a page, dropping ids already listed (a row may move while paging). */
export function appendPage<T extends { id: string }>(list: readonly T[], page: readonly T[]): T[] {
  const seen = new Set(list.map((x) => x.id));
  return [...list, ...page.filter((x) => !seen.has(x.id))];
}

/** Replace one item in a list by id (after an action answered its new state). */
export function replaceById<T extends { id: string }>(list: readonly T[], item: T): T[] {
  return list.map((x) => (x.id === item.id ? item : x));
}

export function userStatus(t: Pick<S['AdminUser'], 'owner' | 'admin' | 'disabled' | 'deleted'>): string[] {
  const out: string[] = [];
  if (t.deleted) out.push('Deleted');
  else if (t.disabled) out.push('Disabled');
  if (t.owner) out.push('Owner');
  else if (t.admin) out.push('Admin');
  return out;
}
