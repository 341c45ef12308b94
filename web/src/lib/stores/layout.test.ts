import { describe, it, expect } from 'vitest';
import { get } from 'svelte/store';
import { closeDrawers, drawerOpen, memberListChoice, memberListOpen, toggleMemberList, viewport, widthClass } from './layout';

describe('layout', () => {
  it('classes widths: phone ≤ 700 < tablet ≤ 1100 < desktop', () => {
    expect([390, 700, 701, 1100, 1101].map(widthClass)).toEqual(['phone', 'phone', 'tablet', 'tablet', 'desktop']);
  });

  it('shows the member list by default only on the desktop; a toggle overrides', () => {
    memberListChoice.set(null);
    viewport.set('desktop');
    expect(get(memberListOpen)).toBe(true);
    viewport.set('tablet');
    expect(get(memberListOpen)).toBe(false);
    toggleMemberList(false);
    expect(get(memberListOpen)).toBe(true);
  });

  it('Esc closes the phone drawers and says whether one was open', () => {
    viewport.set('phone');
    memberListChoice.set(null);
    drawerOpen.set(true);
    expect(closeDrawers()).toBe(true);
    expect(get(drawerOpen)).toBe(false);
    toggleMemberList(false);
    expect(get(memberListOpen)).toBe(true);
    expect(closeDrawers()).toBe(true);
    expect(get(memberListOpen)).toBe(false);
    expect(closeDrawers()).toBe(false);
  });
});
