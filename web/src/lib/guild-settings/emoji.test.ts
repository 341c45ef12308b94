import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { GuildEmoji } from '../api/endpoints/media';
import { emojiNameProblem } from '../emoji/custom';
import { atEmojiLimit, describeEmojiError, emojiCounter, uniqueEmojiName, uploadNames } from './emoji';

const e = (name: string): GuildEmoji => ({ id: name, name, roles: [], require_colons: true, managed: false, animated: false, available: true });

describe('emoji settings', () => {
  it('names uploads after their files, never clashing with existing emoji or each other', () => {
    expect(uploadNames([{ name: 'party.png' }, { name: 'party.gif' }, { name: 'wave.webp' }], [e('party')])).toEqual(['party_2', 'party_3', 'wave']);
  });

  it('keeps a suffixed name within 32 characters', () => {
    const long = 'a'.repeat(32);
    const name = uniqueEmojiName(long, new Set([long]));
    expect(name).toBe('a'.repeat(30) + '_2');
    expect(emojiNameProblem(name)).toBeNull();
  });

  it('counts against the limit when it is known', () => {
    expect(emojiCounter(12, 200)).toBe('12 / 200');
    expect(emojiCounter(12, undefined)).toBe('12 emoji');
    expect(atEmojiLimit(199, 200)).toBe(false);
    expect(atEmojiLimit(200, 200)).toBe(true);
    expect(atEmojiLimit(5000, undefined)).toBe(false);
  });

  it('says what the server refused', () => {
    expect(describeEmojiError(new ApiError(400, 'LIMIT_REACHED', 'x'))).toMatch(/as many emoji/);
    expect(describeEmojiError(new ApiError(400, 'VALIDATION_FAILED', 'bad', { name: 'is taken' }))).toBe('name: is taken');
  });
});
