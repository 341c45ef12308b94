// @vitest-environment happy-dom
import { describe, it, expect } from 'vitest';
import { get } from 'svelte/store';
import { clampFontScale, density, fontScale, parseDensity, parseTheme, theme } from './theme';

describe('appearance stores', () => {
  it('reads stored choices defensively', () => {
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('purple')).toBe('system');
    expect(parseDensity('compact')).toBe('compact');
    expect(parseDensity(null)).toBe('cozy');
    expect(clampFontScale('115')).toBe(115);
    expect(clampFontScale(200)).toBe(130);
    expect(clampFontScale(10)).toBe(90);
    expect(clampFontScale('abc')).toBe(100);
    expect(clampFontScale(null)).toBe(100);
  });

  it('applies the theme as data-theme and remembers it', () => {
    theme.set('dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    expect(localStorage.getItem('hearth.theme')).toBe('dark');
    theme.set('system');
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
    expect(localStorage.getItem('hearth.theme')).toBeNull();
  });

  it('puts the density class on <html>', () => {
    density.set('compact');
    expect(document.documentElement.classList.contains('density-compact')).toBe(true);
    expect(document.documentElement.classList.contains('density-cozy')).toBe(false);
    expect(localStorage.getItem('hearth.density')).toBe('compact');
    density.set('cozy');
    expect(document.documentElement.classList.contains('density-compact')).toBe(false);
    expect(document.documentElement.classList.contains('density-cozy')).toBe(true);
  });

  it('sets --font-scale through CSSOM, clamped', () => {
    fontScale.set(120);
    expect(document.documentElement.style.getPropertyValue('--font-scale')).toBe('1.2');
    expect(localStorage.getItem('hearth.fontScale')).toBe('120');
    fontScale.set(500);
    expect(document.documentElement.style.getPropertyValue('--font-scale')).toBe('1.3');
    fontScale.set(100);
    expect(localStorage.getItem('hearth.fontScale')).toBeNull();
    expect(get(fontScale)).toBe(100);
    // Never a style attribute written by markup: only the CSSOM property.
    expect(document.documentElement.getAttribute('style') ?? '').not.toMatch(/font-size/);
  });
});
