/**
 * DOM helpers for the message view that keep the strict CSP: geometry goes through CSSOM
 * (`node.style.setProperty`), never a style attribute. `placeFloating` is the pure part.
 */

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Size {
  width: number;
  height: number;
}

/**
 * Where to put a floating panel of `size` next to `anchor` inside the viewport: below the anchor,
 * aligned to its right edge (or left with `align: 'start'`), flipped above when there is no room
 * below, and clamped to the viewport with `margin`.
 */
export function placeFloating(anchor: Rect, size: Size, viewport: Size, opts: { align?: 'start' | 'end'; gap?: number; margin?: number } = {}): { left: number; top: number } {
  const gap = opts.gap ?? 4;
  const margin = opts.margin ?? 8;
  let left = opts.align === 'start' ? anchor.left : anchor.right - size.width;
  let top = anchor.bottom + gap;
  if (top + size.height > viewport.height - margin && anchor.top - gap - size.height >= margin) top = anchor.top - gap - size.height;
  left = Math.min(Math.max(margin, left), Math.max(margin, viewport.width - margin - size.width));
  top = Math.min(Math.max(margin, top), Math.max(margin, viewport.height - margin - size.height));
  return { left: Math.round(left), top: Math.round(top) };
}

/**
 * Where a tooltip of `size` goes for `anchor`: centred above it, below when there is no room above
 * (`minTop`: the top of the area it may cover, e.g. the message list's), kept inside the viewport.
 */
export function placeTip(anchor: Rect, size: Size, viewport: Size, opts: { gap?: number; margin?: number; minTop?: number } = {}): { left: number; top: number; below: boolean } {
  const gap = opts.gap ?? 6;
  const margin = opts.margin ?? 8;
  const minTop = Math.max(margin, opts.minTop ?? 0);
  let top = anchor.top - gap - size.height;
  const below = top < minTop;
  if (below) top = anchor.bottom + gap;
  const centre = (anchor.left + anchor.right) / 2;
  const left = Math.min(Math.max(margin, centre - size.width / 2), Math.max(margin, viewport.width - margin - size.width));
  top = Math.min(Math.max(margin, top), Math.max(margin, viewport.height - margin - size.height));
  return { left: Math.round(left), top: Math.round(top), below };
}

/** `use:cssVars={{ '--h': '12px' }}`: set custom properties (or any property) through CSSOM. */
export function cssVars(node: HTMLElement, vars: Record<string, string | null>) {
  let current: Record<string, string | null> = {};
  function apply(next: Record<string, string | null>) {
    for (const k of Object.keys(current)) if (!(k in next)) node.style.removeProperty(k);
    for (const [k, v] of Object.entries(next)) {
      if (v === null) node.style.removeProperty(k);
      else if (current[k] !== v) node.style.setProperty(k, v);
    }
    current = { ...next };
  }
  apply(vars);
  return { update: apply };
}

export type FloatingAnchor = { element: Element } | { point: { x: number; y: number } };

/** `use:floating={anchor}` on a `position: fixed` panel: place it next to the anchor, clamped to the window. */
export function floating(node: HTMLElement, params: { anchor: FloatingAnchor; align?: 'start' | 'end' }) {
  let p = params;
  function place() {
    const r: Rect = 'element' in p.anchor ? p.anchor.element.getBoundingClientRect() : { left: p.anchor.point.x, right: p.anchor.point.x, top: p.anchor.point.y, bottom: p.anchor.point.y };
    const box = node.getBoundingClientRect();
    const at = placeFloating(r, { width: box.width, height: box.height }, { width: window.innerWidth, height: window.innerHeight }, { align: p.align ?? ('point' in p.anchor ? 'start' : 'end') });
    node.style.setProperty('left', `${at.left}px`);
    node.style.setProperty('top', `${at.top}px`);
  }
  place();
  const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(place);
  ro?.observe(node);
  window.addEventListener('resize', place);
  return {
    update(next: typeof params) {
      p = next;
      place();
    },
    destroy() {
      ro?.disconnect();
      window.removeEventListener('resize', place);
    },
  };
}

/** Grow a textarea with its content up to its CSS max-height. */
export function autosize(node: HTMLTextAreaElement) {
  function fit() {
    node.style.setProperty('height', 'auto');
    node.style.setProperty('height', `${node.scrollHeight + 2}px`);
  }
  fit();
  node.addEventListener('input', fit);
  return {
    destroy() {
      node.removeEventListener('input', fit);
    },
  };
}
