/** What the guild header menu offers me: only what the server would allow (it stays the authority). */
import { channelPermissions, guildPermissions, has, P } from './permissions';
import { channelGroups, type ChatState } from './stores/chat';
import { isTextLike } from './stores/readstate';

export type GuildMenuAction = 'invite' | 'settings' | 'mark-read' | 'leave';

export interface GuildMenuItem {
  action: GuildMenuAction;
  label: string;
  icon: 'person-add' | 'gear' | 'check' | 'leave';
  danger?: boolean;
  /** For `invite`: the channel the invite leads to. */
  channelId?: string;
}

/** Any of these opens the guild settings (each section checks its own). */
export const SETTINGS_BITS = [P.MANAGE_GUILD, P.MANAGE_ROLES, P.MANAGE_CHANNELS, P.KICK_MEMBERS, P.BAN_MEMBERS, P.VIEW_AUDIT_LOG, P.MANAGE_REPORTS, P.MODERATE_MEMBERS, P.MANAGE_NICKNAMES, P.MANAGE_GUILD_EXPRESSIONS];

/** The channel an invite from the menu leads to: the open one when I may invite there, else the first such text channel. */
export function inviteChannel(s: ChatState, guildId: string, currentChannelId: string | null): string | null {
  const entry = s.guilds[guildId];
  const me = s.me ? s.members[guildId]?.[s.me.id] : undefined;
  if (!entry || !me) return null;
  const can = (id: string) => {
    const c = s.channels[id];
    return !!c && c.guild_id === guildId && isTextLike(c.type) && has(channelPermissions(entry.guild, me, c), P.CREATE_INSTANT_INVITE);
  };
  if (currentChannelId && can(currentChannelId)) return currentChannelId;
  for (const g of channelGroups(s, guildId)) for (const c of g.channels) if (can(c.id)) return c.id;
  return null;
}

export function guildMenuItems(s: ChatState, guildId: string, currentChannelId: string | null, unread: boolean): GuildMenuItem[] {
  const entry = s.guilds[guildId];
  if (!entry || !s.me) return [];
  const me = s.members[guildId]?.[s.me.id];
  const perms = guildPermissions(entry.guild, me);
  const items: GuildMenuItem[] = [];
  const invite = inviteChannel(s, guildId, currentChannelId);
  if (invite) items.push({ action: 'invite', label: 'Invite people', icon: 'person-add', channelId: invite });
  if (SETTINGS_BITS.some((b) => has(perms, b))) items.push({ action: 'settings', label: 'Server settings', icon: 'gear' });
  if (unread) items.push({ action: 'mark-read', label: 'Mark as read', icon: 'check' });
  if (entry.guild.owner_id !== s.me.id) items.push({ action: 'leave', label: 'Leave community', icon: 'leave', danger: true });
  return items;
}
