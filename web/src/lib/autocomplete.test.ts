import { describe, expect, it } from 'vitest';
import { applySuggestion, completeShortcode, contentLength, detectTrigger, inCode, insertAt, replaceShortcodes } from './autocomplete';

const at = (s: string) => detectTrigger(s.replace('|', ''), s.indexOf('|'));

describe('detectTrigger', () => {
  it('finds @, # and : at the caret with their query and word end', () => {
    expect(at('hi @al|')).toEqual({ kind: '@', query: 'al', start: 3, end: 6 });
    expect(at('@|')).toEqual({ kind: '@', query: '', start: 0, end: 1 });
    expect(at('see #gen|')).toEqual({ kind: '#', query: 'gen', start: 4, end: 8 });
    expect(at('nice :smi|')).toEqual({ kind: ':', query: 'smi', start: 5, end: 9 });
    // caret inside a word: the whole word is replaced
    expect(at('@al|ice rest')).toEqual({ kind: '@', query: 'al', start: 0, end: 6 });
  });

  it('needs a boundary before the trigger', () => {
    expect(at('mail ada@exa|')).toBeNull();
    expect(at('C#|')).toBeNull();
    expect(at('**@bo|')).toMatchObject({ kind: '@', query: 'bo' });
    expect(at('(#ge|')).toMatchObject({ kind: '#', query: 'ge' });
    expect(at('<@123|')).toBeNull();
  });

  it('ends at whitespace and at the length bound', () => {
    expect(at('@ali ce|')).toBeNull();
    expect(at('@' + 'a'.repeat(32) + '|')).toMatchObject({ kind: '@' });
    expect(at('@' + 'a'.repeat(33) + '|')).toBeNull();
  });

  it('requires two shortcode characters for emoji and ignores times and URLs', () => {
    expect(at(':s|')).toBeNull();
    expect(at(':sm|')).toMatchObject({ kind: ':', query: 'sm' });
    expect(at('at 12:30|')).toBeNull();
    expect(at('https://ex|')).toBeNull();
    expect(at(':hello world|')).toBeNull();
    expect(at(':smile:|')).toBeNull();
    expect(at('😄:gr|')).toMatchObject({ kind: ':', query: 'gr' });
  });

  it('does not trigger inside code', () => {
    expect(at('`@ad|')).toBeNull();
    expect(at('```\n#gen|')).toBeNull();
    expect(at('`x` @ad|')).toMatchObject({ kind: '@' });
    expect(inCode('```a``` b', 8)).toBe(false);
  });
});

describe('insertion', () => {
  it('replaces the trigger word, adds a space and puts the caret after it', () => {
    const text = 'hi @al';
    const t = detectTrigger(text, text.length)!;
    expect(applySuggestion(text, t, '<@1>')).toEqual({ text: 'hi <@1> ', caret: 8 });
  });

  it('keeps an existing space and replaces a word the caret is inside', () => {
    const text = 'hi @alx there';
    const t = detectTrigger(text, 6)!;
    expect(applySuggestion(text, t, '<@1>')).toEqual({ text: 'hi <@1> there', caret: 8 });
  });

  it('inserts emoji in place of :query', () => {
    const text = 'so :smi';
    const t = detectTrigger(text, text.length)!;
    expect(applySuggestion(text, t, '😄')).toEqual({ text: 'so 😄 ', caret: 3 + '😄'.length + 1 });
  });

  it('insertAt replaces the selection', () => {
    expect(insertAt('abcd', 1, 3, 'X')).toEqual({ text: 'aXd', caret: 2 });
    expect(insertAt('ab', 5, 9, '!')).toEqual({ text: 'ab!', caret: 3 });
  });
});

describe('shortcodes', () => {
  const lookup = (c: string) => ({ smile: '😄', '100': '💯', thumbsup: '👍' })[c];

  it('converts :code: as the closing colon is typed', () => {
    expect(completeShortcode('hi :smile:', 10, lookup)).toEqual({ text: 'hi 😄', caret: 3 + '😄'.length, emoji: '😄' });
    expect(completeShortcode('hi :nope:', 9, lookup)).toBeNull();
    expect(completeShortcode('at 12:100:', 10, lookup)).toBeNull();
    expect(completeShortcode('`:smile:', 8, lookup)).toBeNull();
  });

  it('converts every :code: on send except in code, <…> tokens and URLs', () => {
    expect(replaceShortcodes(':smile: and :thumbsup::smile:', lookup)).toBe('😄 and 👍😄');
    expect(replaceShortcodes('`:smile:` <t:100:R> https://x.org/:smile: :unknown:', lookup)).toBe('`:smile:` <t:100:R> https://x.org/:smile: :unknown:');
    expect(replaceShortcodes('```\n:smile:\n``` :100:', lookup)).toBe('```\n:smile:\n``` 💯');
    expect(replaceShortcodes('a:smile:', lookup)).toBe('a:smile:');
  });
});

describe('contentLength', () => {
  it('counts Unicode scalar values like the server', () => {
    expect(contentLength('abc')).toBe(3);
    expect(contentLength('😄😄')).toBe(2);
  });
});
