/** Filenames as the tray and the message show them: the `SPOILER_` prefix (Discord's spoiler mark) and sizes. */

export const SPOILER_PREFIX = 'SPOILER_';

export function hasSpoilerPrefix(name: string): boolean {
  return name.startsWith(SPOILER_PREFIX);
}

/** The name with the prefix added or taken away (never doubled). */
export function withSpoiler(name: string, spoiler: boolean): string {
  const plain = withoutSpoiler(name);
  return spoiler ? SPOILER_PREFIX + plain : plain;
}

/** The name without any number of leading prefixes, for display. */
export function withoutSpoiler(name: string): string {
  let n = name;
  while (n.startsWith(SPOILER_PREFIX)) n = n.slice(SPOILER_PREFIX.length);
  return n;
}

/**
 * "812 B", "1.4 KB", "25 MB": 1024-based with the short labels people know (as Discord and most file
 * managers show them), one decimal below 100.
 */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const rounded = v >= 100 ? Math.round(v) : Math.round(v * 10) / 10;
  return `${rounded} ${units[u]}`;
}
