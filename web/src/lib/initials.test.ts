import { describe, expect, it } from 'vitest';
import { initials } from './initials';

describe('initials', () => {
  it('takes the first character of the first words', () => {
    expect(initials('hearth side crew', 2)).toBe('HS');
    expect(initials('hearth side', 1)).toBe('H');
    expect(initials('  spaced   out ', 2)).toBe('SO');
  });

  it('keeps characters whole and falls back for blank names', () => {
    expect(initials('🔥 fire', 2)).toBe('🔥F');
    expect(initials('   ', 2)).toBe('?');
    expect(initials('', 1)).toBe('?');
  });
});
