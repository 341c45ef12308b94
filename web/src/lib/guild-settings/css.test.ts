// @vitest-environment happy-dom
import { describe, it, expect } from 'vitest';
import { colorHex, cssVars, parseHex, tabKeys } from './css';

describe('css helpers', () => {
  it('converts role colours', () => {
    expect(colorHex(0)).toBeNull();
    expect(colorHex(0xe67e22)).toBe('#e67e22');
    expect(colorHex(0x0000ff)).toBe('#0000ff');
    expect(parseHex('#E67E22')).toBe(0xe67e22);
    expect(parseHex('f80')).toBe(0xff8800);
    expect(parseHex('#12345')).toBeNull();
    expect(parseHex('red')).toBeNull();
  });

  it('sets custom properties through the CSSOM, never a parsed style attribute', () => {
    const el = document.createElement('span');
    const action = cssVars(el, { '--swatch': '#ff0000' });
    expect(el.style.getPropertyValue('--swatch')).toBe('#ff0000');
    action.update({ '--other': '1px' });
    expect(el.style.getPropertyValue('--swatch')).toBe('');
    expect(el.style.getPropertyValue('--other')).toBe('1px');
  });

  it('moves between tabs with the arrow keys, Home and End', () => {
    const list = document.createElement('div');
    const clicked: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const b = document.createElement('button');
      b.setAttribute('role', 'tab');
      b.textContent = name;
      b.addEventListener('click', () => clicked.push(name));
      list.appendChild(b);
    }
    document.body.appendChild(list);
    const { destroy } = tabKeys(list);
    const tabs = [...list.querySelectorAll('button')];
    tabs[0]?.focus();
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
    expect(document.activeElement).toBe(tabs[2]);
    tabs[2]?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(document.activeElement).toBe(tabs[0]);
    tabs[0]?.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    expect(clicked).toEqual(['c', 'a', 'c']);
    destroy();
    list.remove();
  });
});
