/** aria-describedby for a settings Field's control: its hint and its error, when shown. */
export function describedBy(id: string, opts: { hint?: boolean; error?: string | undefined | null }): string | undefined {
  const ids = [opts.hint ? `${id}-hint` : '', opts.error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}
