/**
 * Appearance: light/dark theme (follows prefers-color-scheme unless the user picked one), message
 * density (a `density-compact` or `density-cozy` class on <html>), and font scale (the
 * `--font-scale` variable on <html>, set through CSSOM; app.css scales the root font size by it).
 * Each choice is kept in localStorage.
 */
import { writable } from 'svelte/store';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Density = 'cozy' | 'compact';

const KEY = 'hearth.theme';
const DENSITY_KEY = 'hearth.density';
const SCALE_KEY = 'hearth.fontScale';

export const FONT_SCALE_MIN = 90;
export const FONT_SCALE_MAX = 130;
export const FONT_SCALE_DEFAULT = 100;

function read(key: string): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (typeof localStorage === 'undefined') return;
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* no storage */
  }
}

export function parseTheme(v: string | null): ThemeChoice {
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function parseDensity(v: string | null): Density {
  return v === 'compact' ? 'compact' : 'cozy';
}

/** A percentage within 90–130, rounded to a whole number; anything unreadable is 100. */
export function clampFontScale(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) return FONT_SCALE_DEFAULT;
  return Math.min(FONT_SCALE_MAX, Math.max(FONT_SCALE_MIN, Math.round(n)));
}

export const theme = writable<ThemeChoice>(parseTheme(read(KEY)));
export const density = writable<Density>(parseDensity(read(DENSITY_KEY)));
export const fontScale = writable<number>(clampFontScale(read(SCALE_KEY)));

function root(): HTMLElement | null {
  return typeof document === 'undefined' ? null : document.documentElement;
}

theme.subscribe((t) => {
  const r = root();
  if (r) {
    if (t === 'system') r.removeAttribute('data-theme');
    else r.setAttribute('data-theme', t);
  }
  write(KEY, t === 'system' ? null : t);
});

density.subscribe((d) => {
  const r = root();
  if (r) {
    r.classList.toggle('density-compact', d === 'compact');
    r.classList.toggle('density-cozy', d === 'cozy');
  }
  write(DENSITY_KEY, d === 'cozy' ? null : d);
});

fontScale.subscribe((v) => {
  const pct = clampFontScale(v);
  // CSSOM write (allowed by the CSP, unlike a style attribute).
  root()?.style.setProperty('--font-scale', String(pct / 100));
  write(SCALE_KEY, pct === FONT_SCALE_DEFAULT ? null : String(pct));
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
