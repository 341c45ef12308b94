import { describe, it, expect } from 'vitest';
import {
  anchorAt,
  clampScroll,
  HeightCache,
  indexAt,
  isAtBottom,
  maxScrollTop,
  prefixOffsets,
  scrollTopFor,
  scrollTopToCenter,
  scrollTopToReveal,
  totalHeight,
  visibleRange,
} from './virtualizer';

const heights = [10, 20, 30, 40, 50];
const offs = () => prefixOffsets(heights.length, (i) => heights[i] as number);

describe('offsets', () => {
  it('are prefix sums of the heights, ending with the total', () => {
    expect([...offs()]).toEqual([0, 10, 30, 60, 100, 150]);
    expect(totalHeight(offs())).toBe(150);
    expect([...prefixOffsets(0, () => 5)]).toEqual([0]);
    expect([...prefixOffsets(2, () => -3)]).toEqual([0, 0, 0]);
  });

  it('indexAt finds the row containing a y, clamped to the rows', () => {
    const o = offs();
    expect(indexAt(o, -5)).toBe(0);
    expect(indexAt(o, 0)).toBe(0);
    expect(indexAt(o, 9.9)).toBe(0);
    expect(indexAt(o, 10)).toBe(1);
    expect(indexAt(o, 59)).toBe(2);
    expect(indexAt(o, 60)).toBe(3);
    expect(indexAt(o, 149)).toBe(4);
    expect(indexAt(o, 1e9)).toBe(4);
    expect(indexAt(prefixOffsets(0, () => 1), 5)).toBe(0);
  });

  it('is fast enough for 100,000 rows', () => {
    const t0 = performance.now();
    const o = prefixOffsets(100_000, (i) => 20 + (i % 7));
    for (let y = 0; y < totalHeight(o); y += 997) indexAt(o, y);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

describe('visibleRange', () => {
  it('covers the rows intersecting the viewport plus overscan', () => {
    const o = offs();
    expect(visibleRange(o, 0, 25, 0)).toEqual({ start: 0, end: 2 });
    expect(visibleRange(o, 30, 30, 0)).toEqual({ start: 2, end: 3 }); // row 3 starts exactly at the bottom edge
    expect(visibleRange(o, 30, 31, 0)).toEqual({ start: 2, end: 4 });
    expect(visibleRange(o, 60, 10, 25)).toEqual({ start: 2, end: 4 }); // 35..95
    expect(visibleRange(o, 60, 10, 41)).toEqual({ start: 1, end: 5 }); // 19..111
    expect(visibleRange(o, 0, 1000, 0)).toEqual({ start: 0, end: 5 });
    expect(visibleRange(prefixOffsets(0, () => 1), 0, 100, 10)).toEqual({ start: 0, end: 0 });
  });

  it('renders only a small window of 10,000 rows', () => {
    const o = prefixOffsets(10_000, () => 48);
    const r = visibleRange(o, 240_000, 800, 900);
    expect(r.end - r.start).toBeLessThan(60);
    expect(r.start).toBeLessThanOrEqual(240_000 / 48);
    expect(r.end).toBeGreaterThan((240_000 + 800) / 48);
  });
});

describe('anchoring', () => {
  it('keeps the top row in place when rows are added above it', () => {
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const o = offs();
    const anchor = anchorAt(keys, o, 70); // inside row d (60..100), 10px in
    expect(anchor).toEqual({ key: 'd', delta: 10 });
    // An older page of three rows (25px each) arrives above.
    const keys2 = ['x', 'y', 'z', ...keys];
    const o2 = prefixOffsets(keys2.length, (i) => (i < 3 ? 25 : (heights[i - 3] as number)));
    const top = scrollTopFor(anchor!, (k) => keys2.indexOf(k), o2);
    expect(top).toBe(75 + 60 + 10);
  });

  it('keeps the top row in place when a row above it is measured taller', () => {
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const anchor = anchorAt(keys, offs(), 100)!; // top of e
    const measured = prefixOffsets(5, (i) => (i === 1 ? 80 : (heights[i] as number)));
    expect(scrollTopFor(anchor, (k) => keys.indexOf(k), measured)).toBe(160);
  });

  it('prefers a stable row (a message) over a separator whose key may change', () => {
    const keys = ['day-1', 'm1', 'm2'];
    const o = prefixOffsets(3, () => 20);
    expect(anchorAt(keys, o, 5, (k) => !k.startsWith('day-'))).toEqual({ key: 'm1', delta: -15 });
    expect(anchorAt(['m0', 'day-2'], prefixOffsets(2, () => 20), 30, (k) => !k.startsWith('day-'))).toEqual({ key: 'm0', delta: 30 });
    expect(anchorAt([], prefixOffsets(0, () => 1), 0)).toBeNull();
  });

  it('a vanished anchor gives no position', () => {
    expect(scrollTopFor({ key: 'gone', delta: 0 }, () => -1, offs())).toBeNull();
  });
});

describe('scroll helpers', () => {
  it('bottom detection, clamping, centering and revealing', () => {
    const o = offs();
    expect(maxScrollTop(o, 100)).toBe(50);
    expect(maxScrollTop(o, 500)).toBe(0);
    expect(clampScroll(-4, o, 100)).toBe(0);
    expect(clampScroll(90, o, 100)).toBe(50);
    expect(isAtBottom(50, 100, 150)).toBe(true);
    expect(isAtBottom(30, 100, 150)).toBe(false);
    expect(isAtBottom(30, 100, 150, 24)).toBe(true);
    expect(scrollTopToCenter(o, 2, 100)).toBe(30 - 35); // 30px row centred in 100px
    expect(scrollTopToCenter(o, 4, 20)).toBe(100); // taller than the viewport: its top
    expect(scrollTopToReveal(o, 1, 0, 100)).toBeNull();
    expect(scrollTopToReveal(o, 4, 0, 100)).toBe(50); // bottom of row 4 at the bottom edge
    expect(scrollTopToReveal(o, 0, 40, 100, 5)).toBe(-5);
  });
});

describe('HeightCache', () => {
  it('records changes only, bumping the version', () => {
    const c = new HeightCache();
    expect(c.set('a', 20)).toBe(true);
    expect(c.set('a', 20.001)).toBe(false);
    expect(c.version).toBe(1);
    expect(c.get('a')).toBe(20);
    c.clear();
    expect(c.get('a')).toBeUndefined();
    expect(c.version).toBe(2);
  });
});
