// @vitest-environment happy-dom
import { describe, it, expect } from 'vitest';
import { colorHex, contrast, MENTION_NAME_SURFACES, NAME_SURFACES, readableTextColor, roleNameColour, roleTextColor, topRoleColor, type Rgb } from './colour';

const hexRgb = (h: string): Rgb => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
const numRgb = (c: number): Rgb => [(c >> 16) & 255, (c >> 8) & 255, c & 255];
const over = (c: string, bg: string, share: number): Rgb => hexRgb(c).map((v, i) => v * share + (hexRgb(bg)[i] as number) * (1 - share)) as Rgb;

/** Discord's role palette and some awkward extremes. */
const COLOURS = [0x3498db, 0x1abc9c, 0xe67e22, 0xf1c40f, 0x2ecc71, 0x9b59b6, 0xe91e63, 0x11806a, 0x206694, 0x71368a, 0xffffff, 0x010101, 0x808080, 0x00ff00, 0xffff00, 0x0000ff];

describe('colorHex', () => {
  it('pads to six digits and ignores bits above 24', () => {
    expect(colorHex(0x3498db)).toBe('#3498db');
    expect(colorHex(0xff)).toBe('#0000ff');
    expect(colorHex(0x1_00ff00)).toBe('#00ff00');
  });
});

describe('role mention colours', () => {
  it('keeps 4.5:1 on the tinted mention background for any role colour in both themes, also in a message that mentions me', () => {
    const toHex = (c: Rgb) => '#' + c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
    const themes = {
      light: ['#ffffff', '#f2f3f5', ...MENTION_NAME_SURFACES.light.map(toHex)],
      dark: ['#313338', '#2b2d31', ...MENTION_NAME_SURFACES.dark.map(toHex)],
    };
    expect(themes.dark).toHaveLength(4);
    for (const color of COLOURS) {
      for (const theme of ['light', 'dark'] as const) {
        const text = roleTextColor(color, theme);
        for (const bg of themes[theme]) {
          expect(contrast(hexRgb(text), over(colorHex(color), bg, 0.16)), `${colorHex(color)} ${theme} ${bg}`).toBeGreaterThanOrEqual(4.5);
        }
      }
    }
    // A colour that already reads keeps most of its hue.
    expect(roleTextColor(0x9b59b6, 'light')).not.toBe('#1e1f22');
  });
});

describe('name colours', () => {
  it('read at 4.5:1 on every surface a name sits on, in both themes', () => {
    for (const color of COLOURS) {
      for (const theme of ['light', 'dark'] as const) {
        const text = readableTextColor(color, theme);
        for (const bg of NAME_SURFACES[theme]) expect(contrast(hexRgb(text), bg), `${colorHex(color)} ${theme} on ${bg}`).toBeGreaterThanOrEqual(4.5);
        const onMention = readableTextColor(color, theme, true);
        for (const bg of MENTION_NAME_SURFACES[theme]) expect(contrast(hexRgb(onMention), bg), `${colorHex(color)} ${theme} mention on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('keeps a colour that already reads, and darkens Discord blue on white (about 3:1 as it is)', () => {
    expect(contrast(numRgb(0x3498db), numRgb(0xffffff))).toBeLessThan(3.5);
    const light = hexRgb(readableTextColor(0x3498db, 'light'));
    // Still blue: the blue channel dominates.
    expect(light[2]).toBeGreaterThan(light[0]);
    expect(light[2]).toBeGreaterThan(light[1]);
    expect(readableTextColor(0x3498db, 'light')).not.toBe('#1e1f22');
    // Green already reads on the dark theme; pink is lightened but stays pink.
    expect(readableTextColor(0x2ecc71, 'dark')).toBe('#2ecc71');
    const pink = hexRgb(readableTextColor(0xe91e63, 'dark'));
    expect(pink[0]).toBeGreaterThan(pink[1]);
    // A near-black role on the dark theme is lightened.
    expect(readableTextColor(0x010101, 'dark')).not.toBe('#010101');
  });
});

describe('topRoleColor', () => {
  const roles = [
    { id: '1', color: 0, position: 0 },
    { id: '2', color: 0x3498db, position: 1 },
    { id: '3', color: 0, position: 5 },
    { id: '4', color: 0xe91e63, position: 3 },
    { id: '5', color: 0x2ecc71, position: 3 },
  ];

  it('is the highest role with a colour (uncoloured roles above it do not count)', () => {
    expect(topRoleColor(roles, ['2', '3'])).toBe(0x3498db);
    expect(topRoleColor(roles, ['2', '4', '3'])).toBe(0xe91e63);
    expect(topRoleColor(roles, ['3', '1'])).toBeNull();
    expect(topRoleColor(roles, [])).toBeNull();
    expect(topRoleColor(roles, undefined)).toBeNull();
    expect(topRoleColor(roles, ['unknown'])).toBeNull();
  });

  it('breaks a tie in position by the older role', () => {
    expect(topRoleColor(roles, ['5', '4'])).toBe(0xe91e63);
  });
});

describe('roleNameColour', () => {
  it('sets both theme colours through CSSOM and clears them for no colour', () => {
    const el = document.createElement('span');
    const action = roleNameColour(el, 0x3498db);
    expect(el.style.getPropertyValue('--name-dark')).toBe(readableTextColor(0x3498db, 'dark'));
    expect(el.style.getPropertyValue('--name-light')).toBe(readableTextColor(0x3498db, 'light'));
    expect(el.style.getPropertyValue('--name-mention-dark')).toBe(readableTextColor(0x3498db, 'dark', true));
    expect(el.style.getPropertyValue('--name-mention-light')).toBe(readableTextColor(0x3498db, 'light', true));
    action.update(null);
    for (const v of ['--name-light', '--name-dark', '--name-mention-light', '--name-mention-dark']) expect(el.style.getPropertyValue(v)).toBe('');
  });
});
