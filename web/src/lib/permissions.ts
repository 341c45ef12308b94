/**
 * Discord's permission bits and the resolution order Hearth's server uses (hearth-core
 * `permissions.rs`), so the client hides what the server would refuse. The server stays the
 * authority: this only decides what to offer. Bits are BigInt because bit 60 exceeds 2^53.
 */
import type { Channel, Guild, Member } from './api/types';

export const P = {
  CREATE_INSTANT_INVITE: 1n << 0n,
  KICK_MEMBERS: 1n << 1n,
  BAN_MEMBERS: 1n << 2n,
  ADMINISTRATOR: 1n << 3n,
  MANAGE_CHANNELS: 1n << 4n,
  MANAGE_GUILD: 1n << 5n,
  ADD_REACTIONS: 1n << 6n,
  VIEW_AUDIT_LOG: 1n << 7n,
  PRIORITY_SPEAKER: 1n << 8n,
  STREAM: 1n << 9n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  SEND_TTS_MESSAGES: 1n << 12n,
  MANAGE_MESSAGES: 1n << 13n,
  EMBED_LINKS: 1n << 14n,
  ATTACH_FILES: 1n << 15n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  MENTION_EVERYONE: 1n << 17n,
  USE_EXTERNAL_EMOJIS: 1n << 18n,
  VIEW_GUILD_INSIGHTS: 1n << 19n,
  CONNECT: 1n << 20n,
  SPEAK: 1n << 21n,
  MUTE_MEMBERS: 1n << 22n,
  DEAFEN_MEMBERS: 1n << 23n,
  MOVE_MEMBERS: 1n << 24n,
  USE_VAD: 1n << 25n,
  CHANGE_NICKNAME: 1n << 26n,
  MANAGE_NICKNAMES: 1n << 27n,
  MANAGE_ROLES: 1n << 28n,
  MANAGE_WEBHOOKS: 1n << 29n,
  MANAGE_GUILD_EXPRESSIONS: 1n << 30n,
  USE_APPLICATION_COMMANDS: 1n << 31n,
  REQUEST_TO_SPEAK: 1n << 32n,
  MANAGE_EVENTS: 1n << 33n,
  MANAGE_THREADS: 1n << 34n,
  CREATE_PUBLIC_THREADS: 1n << 35n,
  CREATE_PRIVATE_THREADS: 1n << 36n,
  USE_EXTERNAL_STICKERS: 1n << 37n,
  SEND_MESSAGES_IN_THREADS: 1n << 38n,
  USE_EMBEDDED_ACTIVITIES: 1n << 39n,
  MODERATE_MEMBERS: 1n << 40n,
  VIEW_CREATOR_MONETIZATION_ANALYTICS: 1n << 41n,
  USE_SOUNDBOARD: 1n << 42n,
  CREATE_GUILD_EXPRESSIONS: 1n << 43n,
  CREATE_EVENTS: 1n << 44n,
  USE_EXTERNAL_SOUNDS: 1n << 45n,
  SEND_VOICE_MESSAGES: 1n << 46n,
  SEND_POLLS: 1n << 49n,
  USE_EXTERNAL_APPS: 1n << 50n,
  PIN_MESSAGES: 1n << 51n,
  BYPASS_SLOWMODE: 1n << 52n,
  MANAGE_REPORTS: 1n << 60n,
} as const;

export type PermissionName = keyof typeof P;

export const ALL: bigint = Object.values(P).reduce((a, b) => a | b, 0n);
const KEPT_WHILE_TIMED_OUT = P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY;
const NEEDS_SEND_MESSAGES = P.MENTION_EVERYONE | P.SEND_TTS_MESSAGES | P.ATTACH_FILES | P.EMBED_LINKS;
const OVERWRITABLE = ALL & ~P.ADMINISTRATOR;

/** Parse the wire form (a decimal string); anything else is no permissions. */
export function parseBits(raw: string | null | undefined): bigint {
  if (!raw || !/^\d{1,20}$/.test(raw)) return 0n;
  return BigInt(raw);
}

export function has(bits: bigint, p: bigint): boolean {
  return (bits & p) === p;
}

export function isTimedOut(member: Pick<Member, 'communication_disabled_until'> | undefined, now = Date.now()): boolean {
  const until = member?.communication_disabled_until;
  return until != null && Date.parse(until) > now;
}

function base(guild: Guild, member: Member): bigint {
  let bits = 0n;
  for (const r of guild.roles) if (r.id === guild.id || member.roles.includes(r.id)) bits |= parseBits(r.permissions);
  return bits;
}

/** What the member may do guild-wide. */
export function guildPermissions(guild: Guild, member: Member | undefined, now = Date.now()): bigint {
  if (!member) return 0n;
  if (member.user.id === guild.owner_id) return ALL;
  const b = base(guild, member);
  if (has(b, P.ADMINISTRATOR)) return ALL;
  return isTimedOut(member, now) ? b & KEPT_WHILE_TIMED_OUT : b;
}

/** What the member may do in the channel: @everyone, then all roles (denies before allows), then the member's own overwrite. */
export function channelPermissions(guild: Guild, member: Member | undefined, channel: Channel, now = Date.now()): bigint {
  if (!member) return 0n;
  if (member.user.id === guild.owner_id) return ALL;
  let bits = base(guild, member);
  if (has(bits, P.ADMINISTRATOR)) return ALL;
  const grant = () => ({ allow: 0n, deny: 0n });
  const everyone = grant();
  const roles = grant();
  const self = grant();
  for (const o of channel.permission_overwrites ?? []) {
    const target = o.type === 0 && o.id === guild.id ? everyone : o.type === 0 && member.roles.includes(o.id) ? roles : o.type === 1 && o.id === member.user.id ? self : null;
    if (!target) continue;
    target.allow |= parseBits(o.allow) & OVERWRITABLE;
    target.deny |= parseBits(o.deny) & OVERWRITABLE;
  }
  for (const g of [everyone, roles, self]) bits = (bits & ~g.deny) | g.allow;
  if (!has(bits, P.VIEW_CHANNEL)) return 0n;
  if (!has(bits, P.SEND_MESSAGES)) bits &= ~NEEDS_SEND_MESSAGES;
  if (isTimedOut(member, now)) bits &= KEPT_WHILE_TIMED_OUT;
  return bits;
}

/** The highest position among the member's roles (the owner outranks everyone). */
export function topRolePosition(guild: Guild, member: Member | undefined): number {
  if (!member) return -1;
  if (member.user.id === guild.owner_id) return Number.MAX_SAFE_INTEGER;
  let top = 0;
  for (const r of guild.roles) if (member.roles.includes(r.id) && r.position > top) top = r.position;
  return top;
}
