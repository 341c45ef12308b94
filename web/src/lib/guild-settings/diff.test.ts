import { describe, it, expect } from 'vitest';
import { diffPatch, isDirty } from './diff';

describe('form diff', () => {
  it('keeps only changed fields, comparing arrays by value', () => {
    const saved = { name: 'Hearth', description: '', system_channel_id: '5' as string | null, roles: ['1', '2'], level: 0 };
    expect(diffPatch(saved, { ...saved })).toEqual({});
    expect(isDirty(saved, { ...saved, roles: ['1', '2'] })).toBe(false);
    expect(diffPatch(saved, { ...saved, name: 'Hearthside', system_channel_id: null, roles: ['2', '1'] })).toEqual({ name: 'Hearthside', system_channel_id: null, roles: ['2', '1'] });
    expect(diffPatch(saved, { ...saved, level: 2 })).toEqual({ level: 2 });
  });
});
