/**
 * The initials shown in place of a missing avatar or guild icon: the first character of each of the
 * first `letters` words, upper-cased; `?` for a blank name. Characters, not UTF-16 units, so an
 * emoji or an astral letter stays whole.
 */
export function initials(name: string, letters: number): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, letters)
      .map((word) => [...word][0]?.toUpperCase() ?? '')
      .join('') || '?'
  );
}
