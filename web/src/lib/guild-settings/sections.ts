/** Which guild settings sections the signed-in member may open: each needs its permission. */
import { P } from '../permissions';
import type { Actor } from './hierarchy';

export type SectionId = 'overview' | 'channels' | 'roles' | 'emoji' | 'invites' | 'members' | 'bans' | 'automod' | 'reports' | 'votes' | 'audit';

export interface GuildSection {
  id: SectionId;
  label: string;
  group: string;
  /** The member needs any one of these bits. */
  anyOf: bigint[];
}

export function guildSections(guildName: string): GuildSection[] {
  return [
    { id: 'overview', label: 'Overview', group: guildName, anyOf: [P.MANAGE_GUILD] },
    { id: 'channels', label: 'Channels', group: guildName, anyOf: [P.MANAGE_CHANNELS] },
    { id: 'roles', label: 'Roles', group: guildName, anyOf: [P.MANAGE_ROLES] },
    { id: 'emoji', label: 'Emoji', group: guildName, anyOf: [P.MANAGE_GUILD_EXPRESSIONS] },
    { id: 'invites', label: 'Invites', group: guildName, anyOf: [P.MANAGE_GUILD] },
    { id: 'members', label: 'Members', group: 'People', anyOf: [P.KICK_MEMBERS, P.BAN_MEMBERS, P.MODERATE_MEMBERS, P.MANAGE_ROLES, P.MANAGE_NICKNAMES] },
    { id: 'bans', label: 'Bans', group: 'People', anyOf: [P.BAN_MEMBERS] },
    { id: 'automod', label: 'AutoMod', group: 'Moderation', anyOf: [P.MANAGE_GUILD] },
    { id: 'reports', label: 'Reports', group: 'Moderation', anyOf: [P.MANAGE_REPORTS] },
    { id: 'votes', label: 'Moderation votes', group: 'Moderation', anyOf: [P.MANAGE_GUILD] },
    { id: 'audit', label: 'Audit log', group: 'Moderation', anyOf: [P.VIEW_AUDIT_LOG] },
  ];
}

export function visibleSections(guildName: string, actor: Actor | null): GuildSection[] {
  if (!actor) return [];
  return guildSections(guildName).filter((s) => s.anyOf.some((bit) => (actor.permissions & bit) === bit));
}
