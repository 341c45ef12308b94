/** The signed-in session: token (kept in localStorage) and current user. */
import { writable, get } from 'svelte/store';
import type { CurrentUser } from '../api/types';

const KEY = 'hearth.token';

export interface Session {
  token: string | null;
  user: CurrentUser | null;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export const session = writable<Session>({ token: storage()?.getItem(KEY) ?? null, user: null });

export function getToken(): string | null {
  return get(session).token;
}

export function setSession(token: string, user: CurrentUser | null): void {
  storage()?.setItem(KEY, token);
  session.set({ token, user });
}

export function setUser(user: CurrentUser): void {
  session.update((s) => ({ ...s, user }));
}

export function clearSession(): void {
  storage()?.removeItem(KEY);
  session.set({ token: null, user: null });
}
