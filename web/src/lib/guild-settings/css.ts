/**
 * CSS custom properties set through the CSSOM (allowed by the CSP, unlike style attributes):
 * `use:cssVars={{ '--swatch': '#ff8800' }}`.
 */
export function cssVars(node: HTMLElement, vars: Record<string, string>) {
  let keys: string[] = [];
  const apply = (v: Record<string, string>) => {
    for (const k of keys) if (!(k in v)) node.style.removeProperty(k);
    for (const [k, val] of Object.entries(v)) node.style.setProperty(k, val);
    keys = Object.keys(v);
  };
  apply(vars);
  return { update: apply };
}

/** A role colour (RGB integer, 0 = none) as #rrggbb, or null for none. */
export function colorHex(color: number): string | null {
  return color > 0 ? '#' + color.toString(16).padStart(6, '0') : null;
}

/** "#ff8800" or "ff8800" or "#f80" → 0xff8800; null when it is not a colour. */
export function parseHex(text: string): number | null {
  let t = text.trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(t)) t = t.replace(/./g, (c) => c + c);
  return /^[0-9a-f]{6}$/i.test(t) ? parseInt(t, 16) : null;
}

/**
 * Arrow keys, Home and End move between the tabs of a `role="tablist"` (and select the tab), as
 * the ARIA tabs pattern expects: `<div role="tablist" use:tabKeys>`.
 */
export function tabKeys(node: HTMLElement) {
  const onkey = (e: KeyboardEvent) => {
    const tabs = [...node.querySelectorAll<HTMLElement>('[role=tab]')];
    const i = tabs.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    const next = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i - 1 + tabs.length) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    tabs[next]?.focus();
    tabs[next]?.click();
  };
  node.addEventListener('keydown', onkey);
  return { destroy: () => node.removeEventListener('keydown', onkey) };
}
