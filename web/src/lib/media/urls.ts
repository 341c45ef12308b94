/**
 * Addresses taken from embeds and attachments: only `http(s)://…` and path-absolute `/…` ones are
 * used; anything else (`javascript:`, `data:`, protocol-relative `//host`) is dropped.
 */

export function safeUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const u = raw.trim();
  // Path-absolute on our own origin; `//host` and `/\host` would leave it.
  if (u.startsWith('/')) return u[1] === '/' || u[1] === '\\' ? null : u;
  try {
    const parsed = new URL(u);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
