import { describe, expect, it } from 'vitest';
import data from 'emojibase-data/en/data.json';
import iamcal from 'emojibase-data/en/shortcodes/iamcal.json';
import { bareEmoji, buildEmojiData, emojiForShortcode, withSkin, type RawEmoji, type RawShortcodes } from './data';
import { emojiTier, searchEmoji } from './search';
import { firstPos, moveInGrid } from './grid';
import { parseRecent, pushRecent, RECENT_MAX } from './recent';

const real = buildEmojiData(data as unknown as RawEmoji[], iamcal as RawShortcodes);

describe('emoji data', () => {
  it('keeps the emoji of the nine picker groups, with shortcodes, in Unicode order', () => {
    expect(real.list.length).toBeGreaterThan(1800);
    expect(real.list.length).toBeLessThan(2000);
    expect(real.list.every((e) => e.shortcodes.length > 0 && e.label !== '')).toBe(true);
    // no skin-tone swatches or regional indicator letters
    expect(real.list.some((e) => e.group === 2)).toBe(false);
    expect(real.list.some((e) => e.label.startsWith('regional indicator'))).toBe(false);
    expect(real.list[0]?.label).toBe('grinning face');
    expect([...real.byGroup.keys()]).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('maps shortcodes and every skin tone back to the emoji', () => {
    expect(emojiForShortcode(real, 'smile')).toBe('😄');
    expect(emojiForShortcode(real, 'THUMBSUP')).toBe('👍️');
    expect(emojiForShortcode(real, '+1')).toBe('👍️');
    expect(emojiForShortcode(null, 'smile')).toBeUndefined();
    const thumbs = real.byUnicode.get(bareEmoji('👍'));
    expect(thumbs?.skins).toHaveLength(5);
    expect(real.byUnicode.get('👍🏽')).toBe(thumbs);
    expect(withSkin(thumbs!, 3)).toBe('👍🏽');
    expect(withSkin(thumbs!, 0)).toBe('👍️');
    expect(withSkin(real.byShortcode.get('smile')!, 3)).toBe('😄');
  });

  it('hides emoji newer than the font supports and falls back to a label shortcode', () => {
    const raw: RawEmoji[] = [
      { label: 'old one', hexcode: 'A', emoji: 'a', group: 0, order: 2, version: 1 },
      { label: 'New Thing', hexcode: 'B', emoji: 'b', group: 0, order: 1, version: 16 },
      { label: 'swatch', hexcode: 'C', emoji: 'c', group: 2, order: 0, version: 1 },
    ];
    const d = buildEmojiData(raw, { A: ['old', 'older'] }, 15);
    expect(d.list.map((e) => e.unicode)).toEqual(['a']);
    const all = buildEmojiData(raw, {});
    expect(all.list.map((e) => e.shortcodes[0])).toEqual(['new_thing', 'old_one']);
  });
});

describe('emoji search', () => {
  it('puts the exact shortcode first', () => {
    expect(searchEmoji(real.list, 'smile')[0]?.unicode).toBe('😄');
    expect(searchEmoji(real.list, ':smile:')[0]?.unicode).toBe('😄');
    expect(searchEmoji(real.list, 'joy')[0]?.unicode).toBe('😂');
    expect(searchEmoji(real.list, 'thumbsup')[0]?.unicode).toBe('👍️');
  });

  it('ranks shortcode prefixes before name words, tags and substrings', () => {
    const heart = searchEmoji(real.list, 'heart', 20);
    expect(heart[0]?.unicode).toBe('❤️');
    const e = real.byShortcode.get('smile')!;
    expect(emojiTier(e, 'smile')).toBe(0);
    expect(emojiTier(e, 'smi')).toBe(1);
    expect(emojiTier(real.byShortcode.get('joy')!, 'lol')).toBe(4);
    expect(emojiTier(e, 'zzzz')).toBeNull();
    expect(emojiTier(e, '  ')).toBeNull();
  });

  it('finds by name words and tags, and limits', () => {
    expect(searchEmoji(real.list, 'pizza').map((x) => x.unicode)).toContain('🍕');
    expect(searchEmoji(real.list, 'tears of joy')[0]?.unicode).toBe('😂');
    expect(searchEmoji(real.list, 'face', 5)).toHaveLength(5);
    expect(searchEmoji(real.list, 'qqqqqq')).toEqual([]);
  });
});

describe('picker grid movement', () => {
  const sizes = [3, 0, 10, 4];
  const cols = 4;

  it('moves within and across sections without wrapping at the ends', () => {
    expect(firstPos(sizes)).toEqual({ s: 0, i: 0 });
    expect(firstPos([0, 0])).toBeNull();
    expect(moveInGrid(sizes, cols, { s: 0, i: 2 }, 'ArrowRight')).toEqual({ s: 2, i: 0 });
    expect(moveInGrid(sizes, cols, { s: 2, i: 0 }, 'ArrowLeft')).toEqual({ s: 0, i: 2 });
    expect(moveInGrid(sizes, cols, { s: 0, i: 0 }, 'ArrowLeft')).toEqual({ s: 0, i: 0 });
    expect(moveInGrid(sizes, cols, { s: 3, i: 3 }, 'ArrowRight')).toEqual({ s: 3, i: 3 });
  });

  it('keeps the column going down and up, clamping short rows', () => {
    expect(moveInGrid(sizes, cols, { s: 0, i: 2 }, 'ArrowDown')).toEqual({ s: 2, i: 2 });
    expect(moveInGrid(sizes, cols, { s: 2, i: 5 }, 'ArrowDown')).toEqual({ s: 2, i: 9 });
    expect(moveInGrid(sizes, cols, { s: 2, i: 7 }, 'ArrowDown')).toEqual({ s: 2, i: 9 });
    expect(moveInGrid(sizes, cols, { s: 2, i: 9 }, 'ArrowDown')).toEqual({ s: 3, i: 1 });
    expect(moveInGrid(sizes, cols, { s: 3, i: 3 }, 'ArrowUp')).toEqual({ s: 2, i: 9 });
    expect(moveInGrid(sizes, cols, { s: 3, i: 0 }, 'ArrowUp')).toEqual({ s: 2, i: 8 });
    expect(moveInGrid(sizes, cols, { s: 2, i: 3 }, 'ArrowUp')).toEqual({ s: 0, i: 2 });
    expect(moveInGrid(sizes, cols, { s: 0, i: 1 }, 'ArrowUp')).toEqual({ s: 0, i: 1 });
    expect(moveInGrid(sizes, cols, { s: 2, i: 6 }, 'Home')).toEqual({ s: 2, i: 4 });
    expect(moveInGrid(sizes, cols, { s: 2, i: 8 }, 'End')).toEqual({ s: 2, i: 9 });
  });
});

describe('recently used', () => {
  it('puts the newest first, without duplicates, at most 30', () => {
    expect(pushRecent(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
    let list: string[] = [];
    for (let i = 0; i < 40; i++) list = pushRecent(list, String(i));
    expect(list).toHaveLength(RECENT_MAX);
    expect(list[0]).toBe('39');
    expect(list.at(-1)).toBe('10');
  });

  it('parses stored lists defensively', () => {
    expect(parseRecent(null)).toEqual([]);
    expect(parseRecent('not json')).toEqual([]);
    expect(parseRecent('{"a":1}')).toEqual([]);
    expect(parseRecent('["😄", 3, "", "👍"]')).toEqual(['😄', '👍']);
  });
});

describe('preferred shortcode', () => {
  it('prefers a word over a symbol', () => {
    expect(real.byUnicode.get(bareEmoji('👍'))?.shortcodes[0]).toBe('thumbsup');
    expect(real.byUnicode.get(bareEmoji('👎'))?.shortcodes[0]).toBe('thumbsdown');
    expect(real.byUnicode.get('💯')?.shortcodes[0]).toBe('100');
  });
});
