/**
 * Role colours made readable. A role's colour is whatever its guild picked (a pale yellow on white,
 * a navy on the dark theme), so text drawn in it is mixed towards the theme's text colour just enough
 * to keep WCAG's 4.5:1 against every surface it sits on. Each theme gets its own value; CSS picks one
 * with `light-dark()` (app.css sets `color-scheme` per theme). Values are set through CSSOM (the CSP
 * forbids style attributes): see `roleNameColour`.
 */

export type Theme = 'light' | 'dark';
export type Rgb = [number, number, number];

/** #rrggbb for a role colour (0xRRGGBB). */
export function colorHex(color: number): string {
  return '#' + (color & 0xffffff).toString(16).padStart(6, '0');
}

export const rgb = (c: number): Rgb => [(c >> 16) & 255, (c >> 8) & 255, c & 255];

/** `share` of `a` over `b`. */
export const mixRgb = (a: Rgb, b: Rgb, share: number): Rgb => [0, 1, 2].map((i) => a[i as 0] * share + b[i as 0] * (1 - share)) as Rgb;

function toHex(c: Rgb): string {
  return '#' + c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
}

function luminance(c: Rgb): number {
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** app.css's text colour per theme. */
export const THEME_FG: Record<Theme, number> = { light: 0x1e1f22, dark: 0xf2f3f5 };

/** A message that mentions me: this share of #f0b232 over the theme's background (MessageItem.svelte), more when hovered. */
const MENTION_YELLOW = 0xf0b232;
const MENTION_TINTS = [0.14, 0.2];
const mentionSurfaces = (bg: number): Rgb[] => MENTION_TINTS.map((t) => mixRgb(rgb(MENTION_YELLOW), rgb(bg), t));

/**
 * The surfaces a member's name is drawn on in each theme: --bg (messages), --bg-2 (a hovered message,
 * the member list), --bg-3 (a hovered member).
 */
export const NAME_SURFACES: Record<Theme, Rgb[]> = {
  light: [rgb(0xffffff), rgb(0xf2f3f5), rgb(0xe3e5e8)],
  dark: [rgb(0x313338), rgb(0x2b2d31), rgb(0x1e1f22)],
};

/** A message that mentions me (plain and hovered): lighter in the dark theme, so it gets its own colour. */
export const MENTION_NAME_SURFACES: Record<Theme, Rgb[]> = {
  light: mentionSurfaces(0xffffff),
  dark: mentionSurfaces(0x313338),
};

/**
 * As much of `color` (from `start`, 1 = all of it) as reads at 4.5:1 on every background, the rest
 * `fg`; `fg` itself when nothing else does.
 */
export function readableOn(color: number, fg: number, bgs: readonly (number | Rgb)[], start = 1): string {
  const c = rgb(color);
  const surfaces = bgs.map((bg) => (typeof bg === 'number' ? rgb(bg) : bg));
  for (let step = 0; step <= 20; step++) {
    const share = start - step * 0.05;
    if (share <= 0) break;
    const text = mixRgb(c, rgb(fg), share).map(Math.round) as Rgb;
    if (surfaces.every((bg) => contrast(text, bg) >= 4.5)) return toHex(text);
  }
  return toHex(rgb(fg));
}

const nameCache = new Map<string, string>();

/**
 * The text colour of a name in a role's colour, for one theme (the role's own colour when it reads);
 * `onMention`: on a message that mentions me.
 */
export function readableTextColor(color: number, theme: Theme, onMention = false): string {
  const key = `${color}:${theme}:${onMention ? 1 : 0}`;
  let hit = nameCache.get(key);
  if (hit === undefined) {
    hit = readableOn(color, THEME_FG[theme], (onMention ? MENTION_NAME_SURFACES : NAME_SURFACES)[theme]);
    if (nameCache.size > 1000) nameCache.clear();
    nameCache.set(key, hit);
  }
  return hit;
}

/** How much of the role colour tints a role mention's background. */
export const ROLE_TINT = 0.16;

/**
 * What a mention is drawn on: a message's background, a hovered one's, and a message that mentions me
 * (plain and hovered; a role mention of my role highlights its message).
 */
const MENTION_SURFACES: Record<Theme, Rgb[]> = {
  light: [rgb(0xffffff), rgb(0xf2f3f5), ...MENTION_NAME_SURFACES.light],
  dark: [rgb(0x313338), rgb(0x2b2d31), ...MENTION_NAME_SURFACES.dark],
};

/**
 * The text colour for a role mention in one theme: as much of the role colour as keeps 4.5:1 against
 * the mention's tinted background, the rest the theme's text colour (a pale role on white, or a dark
 * one on the dark theme, still reads).
 */
export function roleTextColor(color: number, theme: Theme): string {
  const role = rgb(color);
  const tinted = MENTION_SURFACES[theme].map((bg) => mixRgb(role, bg, ROLE_TINT));
  return readableOn(color, THEME_FG[theme], tinted, 0.8);
}

/** A member's colour: their highest role that has one (Discord's rule); null for none. */
export function topRoleColor(roles: readonly { id: string; color: number; position: number }[], memberRoles: readonly string[] | undefined): number | null {
  if (!memberRoles?.length) return null;
  let best: { color: number; position: number; id: string } | null = null;
  for (const r of roles) {
    if (!r.color || !memberRoles.includes(r.id)) continue;
    // Equal positions: the older role (smaller id) ranks higher.
    if (best === null || r.position > best.position || (r.position === best.position && (r.id.length < best.id.length || (r.id.length === best.id.length && r.id < best.id)))) best = r;
  }
  return best ? best.color & 0xffffff : null;
}

const NAME_VARS = ['--name-light', '--name-dark', '--name-mention-light', '--name-mention-dark'] as const;

/**
 * `use:roleNameColour={color}`: a name in a role's colour, readable in both themes. Sets
 * `--name-light` / `--name-dark` (and `--name-mention-light` / `--name-mention-dark`, for a message
 * that mentions me) through CSSOM; CSS then uses
 * `color: light-dark(var(--name-light, var(--fg)), var(--name-dark, var(--fg)))`. Null clears them.
 */
export function roleNameColour(node: HTMLElement, color: number | null) {
  let current: number | null = null;
  const apply = (c: number | null): void => {
    if (c === current) return;
    current = c;
    if (c === null) {
      for (const v of NAME_VARS) node.style.removeProperty(v);
    } else {
      node.style.setProperty('--name-light', readableTextColor(c, 'light'));
      node.style.setProperty('--name-dark', readableTextColor(c, 'dark'));
      node.style.setProperty('--name-mention-light', readableTextColor(c, 'light', true));
      node.style.setProperty('--name-mention-dark', readableTextColor(c, 'dark', true));
    }
  };
  apply(color);
  return { update: apply };
}
