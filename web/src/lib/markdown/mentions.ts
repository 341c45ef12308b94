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
