/**
 * Arrow-key movement in the picker: a column-aligned grid split into sections (categories), each
 * starting on a new row. Pure: positions are (section, index) pairs and sections are lengths.
 */
export interface GridPos {
  s: number;
  i: number;
}

function nextNonEmpty(sizes: readonly number[], from: number, step: 1 | -1): number {
  for (let s = from + step; s >= 0 && s < sizes.length; s += step) if ((sizes[s] ?? 0) > 0) return s;
  return -1;
}

/** The first position of the grid, or null when it is empty. */
export function firstPos(sizes: readonly number[]): GridPos | null {
  const s = nextNonEmpty(sizes, -1, 1);
  return s < 0 ? null : { s, i: 0 };
}

/** Where `key` moves from `pos`; the same position when it cannot move (edges do not wrap). */
export function moveInGrid(sizes: readonly number[], cols: number, pos: GridPos, key: string): GridPos {
  const len = sizes[pos.s] ?? 0;
  if (len === 0) return firstPos(sizes) ?? pos;
  const row = Math.floor(pos.i / cols);
  const col = pos.i % cols;
  const lastRow = Math.floor((len - 1) / cols);
  switch (key) {
    case 'ArrowRight': {
      if (pos.i + 1 < len) return { s: pos.s, i: pos.i + 1 };
      const n = nextNonEmpty(sizes, pos.s, 1);
      return n < 0 ? pos : { s: n, i: 0 };
    }
    case 'ArrowLeft': {
      if (pos.i > 0) return { s: pos.s, i: pos.i - 1 };
      const p = nextNonEmpty(sizes, pos.s, -1);
      return p < 0 ? pos : { s: p, i: (sizes[p] ?? 1) - 1 };
    }
    case 'ArrowDown': {
      if (row < lastRow) return { s: pos.s, i: Math.min(pos.i + cols, len - 1) };
      const n = nextNonEmpty(sizes, pos.s, 1);
      return n < 0 ? pos : { s: n, i: Math.min(col, (sizes[n] ?? 1) - 1) };
    }
    case 'ArrowUp': {
      if (row > 0) return { s: pos.s, i: pos.i - cols };
      const p = nextNonEmpty(sizes, pos.s, -1);
      if (p < 0) return pos;
      const plen = sizes[p] ?? 1;
      const pLastRow = Math.floor((plen - 1) / cols);
      return { s: p, i: Math.min(pLastRow * cols + col, plen - 1) };
    }
    case 'Home':
      return { s: pos.s, i: row * cols };
    case 'End':
      return { s: pos.s, i: Math.min(row * cols + cols - 1, len - 1) };
    default:
      return pos;
  }
}
