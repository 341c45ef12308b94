/**
 * The arithmetic of a virtualized list with rows of different heights: offsets from measured (or
 * estimated) heights, the range of rows to render for a viewport, and scroll anchoring (which row
 * is at the top of the viewport and how far into it, so a change above it — older messages loaded,
 * a row measured — can be undone by moving the scroll position). Pure: the component applies it.
 */

/** offsets[i] is the top of row i; offsets[n] is the total height. */
export function prefixOffsets(count: number, height: (index: number) => number): Float64Array {
  const out = new Float64Array(count + 1);
  let y = 0;
  for (let i = 0; i < count; i++) {
    out[i] = y;
    y += Math.max(0, height(i));
  }
  out[count] = y;
  return out;
}

export function totalHeight(offsets: Float64Array): number {
  return offsets[offsets.length - 1] ?? 0;
}

/** The row containing `y` (clamped to the rows; 0 when there are none). */
export function indexAt(offsets: Float64Array, y: number): number {
  const n = offsets.length - 1;
  if (n <= 0) return 0;
  if (y <= 0) return 0;
  if (y >= (offsets[n] ?? 0)) return n - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] ?? 0) <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface Range {
  /** first row to render */
  start: number;
  /** one past the last row to render */
  end: number;
}

/** Rows that intersect the viewport widened by `overscan` pixels on each side. */
export function visibleRange(offsets: Float64Array, scrollTop: number, viewport: number, overscan: number): Range {
  const n = offsets.length - 1;
  if (n <= 0) return { start: 0, end: 0 };
  const start = indexAt(offsets, scrollTop - overscan);
  const bottom = scrollTop + Math.max(0, viewport) + overscan;
  let end = indexAt(offsets, bottom) + 1;
  // A row that starts exactly at the bottom edge is not visible.
  if (end - 1 > start && (offsets[end - 1] ?? 0) >= bottom) end -= 1;
  return { start, end: Math.min(n, Math.max(end, start + 1)) };
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start === b.start && a.end === b.end;
}

/** The rows that are (even partly) inside the viewport, without overscan. */
export function viewportRows(offsets: Float64Array, scrollTop: number, viewport: number): Range {
  return visibleRange(offsets, scrollTop, viewport, 0);
}

export interface Anchor {
  key: string;
  /** how far the viewport top is below the row's top (may be negative above the first row) */
  delta: number;
}

/**
 * The row at the viewport's top edge, to keep it in place across changes above it. `stable` picks
 * rows whose key survives data changes (messages rather than separators, whose keys may change): the
 * first stable row at or below the edge is used.
 */
export function anchorAt(keys: readonly string[], offsets: Float64Array, scrollTop: number, stable: (key: string) => boolean = () => true): Anchor | null {
  if (keys.length === 0) return null;
  const first = indexAt(offsets, scrollTop);
  for (let i = first; i < keys.length; i++) {
    const key = keys[i] as string;
    if (stable(key)) return { key, delta: scrollTop - (offsets[i] ?? 0) };
  }
  for (let i = first - 1; i >= 0; i--) {
    const key = keys[i] as string;
    if (stable(key)) return { key, delta: scrollTop - (offsets[i] ?? 0) };
  }
  return null;
}

/** Where to scroll so the anchor row is where it was; null when the row is gone. */
export function scrollTopFor(anchor: Anchor, indexOf: (key: string) => number, offsets: Float64Array): number | null {
  const i = indexOf(anchor.key);
  if (i < 0 || i >= offsets.length - 1) return null;
  return (offsets[i] ?? 0) + anchor.delta;
}

export function maxScrollTop(offsets: Float64Array, viewport: number, padding = 0): number {
  return Math.max(0, totalHeight(offsets) + padding - viewport);
}

export function clampScroll(top: number, offsets: Float64Array, viewport: number, padding = 0): number {
  return Math.min(Math.max(0, top), maxScrollTop(offsets, viewport, padding));
}

/** Within `threshold` pixels of the end. */
export function isAtBottom(scrollTop: number, viewport: number, scrollHeight: number, threshold = 8): boolean {
  return scrollHeight - scrollTop - viewport <= threshold;
}

/** Scroll position that puts row `index` in the middle of the viewport (or at its top when taller). */
export function scrollTopToCenter(offsets: Float64Array, index: number, viewport: number): number {
  const top = offsets[index] ?? 0;
  const h = (offsets[index + 1] ?? top) - top;
  if (h >= viewport) return top;
  return top - (viewport - h) / 2;
}

/** Scroll position that brings row `index` fully into view with the least movement (null: already in view). */
export function scrollTopToReveal(offsets: Float64Array, index: number, scrollTop: number, viewport: number, margin = 0): number | null {
  const top = offsets[index] ?? 0;
  const bottom = offsets[index + 1] ?? top;
  if (top - margin < scrollTop) return top - margin;
  if (bottom + margin > scrollTop + viewport) return Math.min(top - margin, bottom + margin - viewport);
  return null;
}

/**
 * Row heights by key: measured ones (kept across re-renders and data changes, so a row keeps its
 * height when scrolled back to), else an estimate.
 */
export class HeightCache {
  private measured = new Map<string, number>();
  /** bumps when a measurement changes, so derived offsets can depend on it */
  version = 0;

  get(key: string): number | undefined {
    return this.measured.get(key);
  }

  /** Record a measurement; true when it changed anything. */
  set(key: string, height: number): boolean {
    const h = Math.round(height * 100) / 100;
    if (this.measured.get(key) === h) return false;
    this.measured.set(key, h);
    this.version++;
    return true;
  }

  /** Forget every measurement (e.g. the list's width changed, so text wraps differently). */
  clear(): void {
    if (this.measured.size === 0) return;
    this.measured.clear();
    this.version++;
  }

  get size(): number {
    return this.measured.size;
  }
}
