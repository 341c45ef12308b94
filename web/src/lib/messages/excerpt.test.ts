import { describe, it, expect } from 'vitest';
import { excerptText, replyExcerpt, type ExcerptNames } from './excerpt';

const names: ExcerptNames = {
  mention: (n) => {
    switch (n.type) {
      case 'mention_user':
        return n.id === '2' ? '@Bobby' : '@unknown-user';
      case 'mention_role':
        return '@Mods';
      case 'mention_channel':
        return '#general';
      case 'mention_everyone':
        return '@everyone';
      case 'mention_here':
        return '@here';
    }
  },
  timestamp: (n) => `<${n.unix}:${n.style}>`,
};

const text = (content: string, max?: number) => excerptText(replyExcerpt(content, names, max));

describe('reply excerpt', () => {
  it('resolves mentions of users, roles and channels; no raw ids show', () => {
    const parts = replyExcerpt('hey <@2>, ask <@&55> in <#100> or @everyone', names);
    expect(excerptText(parts)).toBe('hey @Bobby, ask @Mods in #general or @everyone');
    expect(parts.filter((p) => p.kind === 'mention').map((p) => p.text)).toEqual(['@Bobby', '@Mods', '#general', '@everyone']);
    expect(excerptText(parts)).not.toMatch(/<[@#]/);
  });

  it('drops markdown syntax and folds lines, quotes, lists and code blocks into one line', () => {
    expect(text('**bold** _it_ __under__ ~~gone~~')).toBe('bold it under gone');
    expect(text('first line\nsecond line')).toBe('first line second line');
    expect(text('> quoted\nafter')).toBe('quoted after');
    expect(text('# Title\n- one\n- two')).toBe('Title one two');
    expect(text('look:\n```js\nconst a = 1;\n```\ndone')).toBe('look: const a = 1; done');
    expect(text('[the docs](https://example.com) now')).toBe('the docs now');
    expect(text('use `npm ci`')).toBe('use npm ci');
    expect(replyExcerpt('use `npm ci`', names)).toEqual([{ kind: 'text', text: 'use ' }, { kind: 'code', text: 'npm ci' }]);
  });

  it('keeps spoilers hidden in the accessible text', () => {
    const parts = replyExcerpt('the end: ||he **was** a ghost||!', names);
    expect(parts).toEqual([
      { kind: 'text', text: 'the end: ' },
      { kind: 'spoiler', text: 'he was a ghost' },
      { kind: 'text', text: '!' },
    ]);
    expect(excerptText(parts)).toBe('the end: [spoiler]!');
  });

  it('shows timestamps through the caller, emoji as themselves', () => {
    expect(text('at <t:1700000000:R> 👍')).toBe('at <1700000000:R> 👍');
  });

  it('cuts a long message with an ellipsis and leaves nothing for empty content', () => {
    const long = 'word '.repeat(100);
    const cut = text(long, 30);
    expect(cut.length).toBeLessThanOrEqual(31);
    expect(cut.endsWith('…')).toBe(true);
    expect(replyExcerpt('', names)).toEqual([]);
    expect(replyExcerpt('   \n  ', names)).toEqual([]);
  });
});
