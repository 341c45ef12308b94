/**
 * What a mention shows: resolved from its id through the chat caches, never from text in the
 * message (docs/markdown.md, "Mentions render from ids").
 */
import { ChannelType, type ChatState } from '../stores/chat';
import type { Lookups } from './lookup';
import type { GroupMentionNode, IdMentionNode } from './parse';

export interface ResolvedMention {
  /** The text shown, with its sigil: "@Ada", "@Moderators", "#general". */
  label: string;
  /** Whether the id resolved to something known. */
  known: boolean;
  /** The signed-in user is mentioned (directly, by a role they have, or by @everyone/@here). */
  self: boolean;
  /** A role's colour (0xRRGGBB), or null for none. */
  color: number | null;
  /** For a known text or announcement channel: its id, to open it. */
  channelId: string | null;
}

export function resolveMention(
  state: ChatState,
  node: IdMentionNode | GroupMentionNode,
  guildId: string | null | undefined,
  meId: string | null | undefined,
  looked: Lookups = { members: {}, users: {} },
): ResolvedMention {
  const base = { known: true, self: false, color: null, channelId: null };
  switch (node.type) {
    case 'mention_everyone':
      return { ...base, label: '@everyone', self: true };
    case 'mention_here':
      return { ...base, label: '@here', self: true };
    case 'mention_user': {
      const name = userName(state, node.id, guildId, looked);
      return name === null ? { ...base, label: '@unknown-user', known: false, self: node.id === meId } : { ...base, label: '@' + name, self: node.id === meId };
    }
    case 'mention_role': {
      const role = guildId ? state.guilds[guildId]?.guild.roles.find((r) => r.id === node.id) : undefined;
      if (!role) return { ...base, label: '@unknown-role', known: false };
      const mine = guildId && meId ? (state.members[guildId]?.[meId]?.roles.includes(role.id) ?? false) : false;
      return { ...base, label: role.name.startsWith('@') ? role.name : '@' + role.name, self: mine || role.id === guildId, color: role.color ? role.color : null };
    }
    case 'mention_channel': {
      const channel = state.channels[node.id];
      if (!channel) return { ...base, label: '#unknown-channel', known: false };
      const openable = channel.type === ChannelType.Text || channel.type === ChannelType.Announcement;
      return { ...base, label: '#' + channel.name, channelId: openable ? channel.id : null };
    }
  }
}

/** A user's name as this guild shows it (nick, then display name, then username); null when unknown. */
export function userName(state: ChatState, userId: string, guildId: string | null | undefined, looked: Lookups = { members: {}, users: {} }): string | null {
  const member = guildId ? (state.members[guildId]?.[userId] ?? looked.members[`${guildId}:${userId}`]) : undefined;
  if (member) return member.nick || member.user.global_name || member.user.username;
  if (state.me?.id === userId) return state.me.global_name || state.me.username;
  // Known from another guild: no nick there applies here.
  for (const members of Object.values(state.members)) {
    const m = members[userId];
    if (m) return m.user.global_name || m.user.username;
  }
  const user = looked.users[userId];
  return user ? user.global_name || user.username : null;
}

/** #rrggbb for a role colour. */
export function colorHex(color: number): string {
  return '#' + (color & 0xffffff).toString(16).padStart(6, '0');
}

type Rgb = [number, number, number];

/** app.css's palettes that mentions are drawn on: text, message background, hovered message background. */
const PALETTES: Record<'light' | 'dark', { fg: number; bgs: number[] }> = {
  light: { fg: 0x1e1f22, bgs: [0xffffff, 0xf2f3f5] },
  dark: { fg: 0xf2f3f5, bgs: [0x313338, 0x2b2d31] },
};
/** How much of the role colour tints a role mention's background. */
export const ROLE_TINT = 0.16;

const rgb = (c: number): Rgb => [(c >> 16) & 255, (c >> 8) & 255, c & 255];
const mixRgb = (a: Rgb, b: Rgb, share: number): Rgb => [0, 1, 2].map((i) => a[i as 0] * share + b[i as 0] * (1 - share)) as Rgb;

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

/**
 * The text colour for a role mention in one theme: as much of the role colour as keeps 4.5:1 against
 * the mention's tinted background, the rest the theme's text colour (a pale role on white, or a dark
 * one on the dark theme, still reads).
 */
export function roleTextColor(color: number, theme: 'light' | 'dark'): string {
  const { fg, bgs } = PALETTES[theme];
  const role = rgb(color);
  for (let share = 0.8; share > 0; share -= 0.05) {
    const text = mixRgb(role, rgb(fg), share);
    if (bgs.every((bg) => contrast(text, mixRgb(role, rgb(bg), ROLE_TINT)) >= 4.5)) return toHex(text);
  }
  return toHex(rgb(fg));
}

function toHex(c: Rgb): string {
  return '#' + c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
}
