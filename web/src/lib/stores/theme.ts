/** Light/dark theme: follows prefers-color-scheme unless the user picked one. */
import { writable } from 'svelte/store';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'hearth.theme';

function initial(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    if (v === 'light' || v === 'dark') return v;
  } catch {
    /* no storage */
  }
  return 'system';
}

export const theme = writable<ThemeChoice>(initial());

theme.subscribe((t) => {
  if (typeof document === 'undefined') return;
  if (t === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', t);
  try {
    if (t === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, t);
  } catch {
    /* no storage */
  }
});

function systemDark(): boolean {
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches;
}

/** Flip between light and dark (from whatever is showing now). */
export function toggleTheme(current: ThemeChoice): ThemeChoice {
  const dark = current === 'dark' || (current === 'system' && systemDark());
  const next: ThemeChoice = dark ? 'light' : 'dark';
  theme.set(next);
  return next;
}
