/** Form state against what was saved: the PATCH body holds only the fields that changed. */

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** The fields of `edited` that differ from `saved` (deep comparison for arrays and objects). */
export function diffPatch<T extends object>(saved: T, edited: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(edited) as (keyof T)[]) if (!same(saved[k], edited[k])) out[k] = edited[k];
  return out;
}

export function isDirty<T extends object>(saved: T, edited: T): boolean {
  return Object.keys(diffPatch(saved, edited)).length > 0;
}

export { same as deepEqual };
