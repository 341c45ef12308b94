/**
 * The role hierarchy as the server applies it (hearth-core `hierarchy.rs`): roles rank by position,
 * and on a tie the older role (smaller id) ranks higher; the owner outranks everyone; nobody acts on
 * a role or member at or above their own top role.
 */
import type { Guild, Member, Role } from '../api/types';
import { guildPermissions, has, P, parseBits } from '../permissions';

export interface Rank {
  position: number;
  id: string;
}

function cmpId(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** >0 when `a` ranks above `b`. */
export function compareRank(a: Rank, b: Rank): number {
  if (a.position !== b.position) return a.position - b.position;
  return cmpId(b.id, a.id);
}

export function isEveryone(guild: Pick<Guild, 'id'>, role: Pick<Role, 'id'>): boolean {
  return role.id === guild.id;
}

/** Roles highest first, @everyone last. */
export function rolesHighestFirst(roles: readonly Role[]): Role[] {
  return [...roles].sort((a, b) => compareRank(b, a));
}

export function topRank(guild: Guild, roleIds: readonly string[]): Rank {
  let top: Rank = { position: 0, id: guild.id };
  for (const r of guild.roles) if (r.id !== guild.id && roleIds.includes(r.id) && compareRank(r, top) > 0) top = r;
  return { position: top.position, id: top.id };
}

/** The signed-in member as the hierarchy sees them. */
export interface Actor {
  userId: string;
  isOwner: boolean;
  top: Rank;
  /** Guild-level permissions. */
  permissions: bigint;
}

export function actorOf(guild: Guild, member: Member | undefined, now = Date.now()): Actor | null {
  if (!member) return null;
  return {
    userId: member.user.id,
    isOwner: member.user.id === guild.owner_id,
    top: topRank(guild, member.roles),
    permissions: guildPermissions(guild, member, now),
  };
}

export function can(actor: Actor | null, bit: bigint): boolean {
  return actor !== null && has(actor.permissions, bit);
}

export function outranksRole(actor: Actor, role: Rank): boolean {
  return actor.isOwner || compareRank(actor.top, role) > 0;
}

/** Whether the actor may act on the member (nickname, roles, kick, ban, timeout): not themselves, not the owner, strictly above. */
export function outranksMember(actor: Actor, guild: Guild, target: Member): boolean {
  if (target.user.id === actor.userId) return false;
  if (target.user.id === guild.owner_id) return false;
  if (actor.isOwner) return true;
  return compareRank(actor.top, topRank(guild, target.roles)) > 0;
}

/** Whether the member holds ADMINISTRATOR through a role (timeouts refuse them). */
export function isAdministrator(guild: Guild, member: Member): boolean {
  if (member.user.id === guild.owner_id) return true;
  for (const r of guild.roles) if ((r.id === guild.id || member.roles.includes(r.id)) && has(parseBits(r.permissions), P.ADMINISTRATOR)) return true;
  return false;
}

/** Whether the actor may manage (edit, delete, assign, move) the role. @everyone is editable by anyone with MANAGE_ROLES. */
export function canManageRole(actor: Actor | null, guild: Guild, role: Role): boolean {
  if (!actor || !can(actor, P.MANAGE_ROLES)) return false;
  return isEveryone(guild, role) || outranksRole(actor, role);
}
