import { describe, expect, it } from 'vitest';
import { customEmojiText, emojiLabel, emojiNameFromFilename, emojiNameProblem, parseCustomEmojiText, reactionEmoji, reactionKey, sameReactionEmoji } from './custom';

describe('custom emoji text', () => {
  it('writes and reads <:name:id> and <a:name:id>', () => {
    expect(customEmojiText({ id: '1', name: 'ok', animated: false })).toBe('<:ok:1>');
    expect(customEmojiText({ id: '2', name: 'dance', animated: true })).toBe('<a:dance:2>');
    expect(parseCustomEmojiText('<a:dance:2>')).toEqual({ id: '2', name: 'dance', animated: true });
    expect(parseCustomEmojiText('<:ok:1>')).toEqual({ id: '1', name: 'ok', animated: false });
  });

  it('reads only a whole, valid form', () => {
    for (const s of ['<:o:1>', `<:${'a'.repeat(33)}:1>`, `<:ok:${'1'.repeat(21)}>`, ' <:ok:1>', '<:ok:1> ', '<:o-k:1>', '<b:ok:1>', '👍']) expect(parseCustomEmojiText(s), s).toBeNull();
  });
});

describe('names', () => {
  it('follows the server: 2–32 of letters, digits and underscores', () => {
    expect(emojiNameProblem('ab')).toBeNull();
    expect(emojiNameProblem('a'.repeat(32))).toBeNull();
    expect(emojiNameProblem('a')).toMatch(/2–32/);
    expect(emojiNameProblem('a'.repeat(33))).toMatch(/2–32/);
    expect(emojiNameProblem('no-dash')).toMatch(/letters/);
    expect(emojiNameProblem('ünï')).toMatch(/letters/);
  });

  it('makes a valid name out of any filename', () => {
    expect(emojiNameFromFilename('party parrot.gif')).toBe('party_parrot');
    expect(emojiNameFromFilename('C:\\pics\\Blob--Wave!!.PNG')).toBe('Blob_Wave');
    expect(emojiNameFromFilename('café.webp')).toBe('cafe');
    expect(emojiNameFromFilename('x.png')).toBe('emoji_x');
    expect(emojiNameFromFilename('🎉.png')).toBe('emoji');
    expect(emojiNameFromFilename('a'.repeat(50) + '.png')).toBe('a'.repeat(32));
    for (const f of ['../../etc/passwd', '<script>.png', '.png', '', '___.gif', 'ab'.repeat(40)]) expect(emojiNameProblem(emojiNameFromFilename(f)), f).toBeNull();
  });
});

describe('reaction emoji', () => {
  it('keys unicode by the emoji and custom ones by name:id (the API path segment)', () => {
    expect(reactionKey({ id: null, name: '👍' })).toBe('👍');
    expect(reactionKey({ id: '5', name: 'party', animated: true })).toBe('party:5');
  });

  it('reads the picker text, a key, or a unicode emoji', () => {
    expect(reactionEmoji('<a:party:5>')).toEqual({ id: '5', name: 'party', animated: true });
    expect(reactionEmoji('party:5', (id) => id === '5')).toEqual({ id: '5', name: 'party', animated: true });
    expect(reactionEmoji('👍')).toEqual({ id: null, name: '👍' });
  });

  it('matches custom emoji by id and unicode ones by the emoji', () => {
    expect(sameReactionEmoji({ id: '5', name: 'party' }, { id: '5', name: 'renamed' })).toBe(true);
    expect(sameReactionEmoji({ id: '5', name: 'party' }, { id: '6', name: 'party' })).toBe(false);
    expect(sameReactionEmoji({ id: null, name: '👍' }, { name: '👍' })).toBe(true);
    expect(sameReactionEmoji({ id: null, name: 'party' }, { id: '5', name: 'party' })).toBe(false);
  });

  it('names custom emoji as :name: for people', () => {
    expect(emojiLabel({ id: '5', name: 'party' })).toBe(':party:');
    expect(emojiLabel({ id: null, name: '👍' })).toBe('👍');
  });
});
