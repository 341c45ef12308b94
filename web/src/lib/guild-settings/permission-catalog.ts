/**
 * Every permission bit with a plain-language name and description, grouped as Discord's role
 * editor groups them, and which channel kinds an overwrite of it means something in.
 */
import { P, type PermissionName } from '../permissions';

export type PermGroup = 'General' | 'Membership' | 'Text' | 'Voice' | 'Advanced';
export const PERM_GROUPS: readonly PermGroup[] = ['General', 'Membership', 'Text', 'Voice', 'Advanced'];

/**
 * Where an overwrite of the bit applies: `guild` bits are guild-wide only (not offered in channel
 * overwrites); `channel` bits apply in every channel; `text` in channels with messages (text,
 * announcement, voice, and categories for their children); `voice` in voice channels and categories.
 */
export type PermScope = 'guild' | 'channel' | 'text' | 'voice';

export interface PermInfo {
  name: PermissionName;
  bit: bigint;
  label: string;
  description: string;
  group: PermGroup;
  scope: PermScope;
  /** Set when the feature it governs has not arrived in Hearth yet: the bit is stored for later. */
  later?: string;
}

type Row = [PermissionName, string, string, PermGroup, PermScope, string?];

const THREADS = 'Threads';
const VOICE = 'Voice channels';
const FILES = 'File uploads';
const EXPRESSIONS = 'Custom emoji and stickers';
const EVENTS = 'Events';
const APPS = 'Apps and bots';

const ROWS: Row[] = [
  ['VIEW_CHANNEL', 'View channels', 'Members can see channels by default (private channels excepted) and read their names.', 'General', 'channel'],
  ['MANAGE_CHANNELS', 'Manage channels', 'Create, edit, reorder and delete channels.', 'General', 'channel'],
  ['MANAGE_ROLES', 'Manage roles', 'Create roles below their highest role, edit and assign them, and edit channel permission overwrites (Discord calls it Manage Permissions in a channel).', 'General', 'channel'],
  ['CREATE_GUILD_EXPRESSIONS', 'Create expressions', 'Add custom emoji and stickers.', 'General', 'guild', EXPRESSIONS],
  ['MANAGE_GUILD_EXPRESSIONS', 'Manage expressions', 'Edit or remove custom emoji and stickers.', 'General', 'guild', EXPRESSIONS],
  ['VIEW_AUDIT_LOG', 'View audit log', 'Read the record of who changed what in this community.', 'General', 'guild'],
  ['VIEW_GUILD_INSIGHTS', 'View insights', "See the community's statistics.", 'General', 'guild', 'Insights'],
  ['MANAGE_WEBHOOKS', 'Manage webhooks', 'Create, edit and delete webhooks that post into channels.', 'General', 'channel', 'Webhooks'],
  ['MANAGE_GUILD', 'Manage community', 'Change the name, description and system channel, manage invites, AutoMod rules and moderation vote settings.', 'General', 'guild'],
  ['CREATE_EVENTS', 'Create events', 'Schedule events.', 'General', 'voice', EVENTS],
  ['MANAGE_EVENTS', 'Manage events', 'Edit and cancel events.', 'General', 'voice', EVENTS],
  ['VIEW_CREATOR_MONETIZATION_ANALYTICS', 'View creator monetization analytics', 'See subscription revenue statistics.', 'General', 'guild', 'Monetization'],

  ['CREATE_INSTANT_INVITE', 'Create invite', 'Invite new people to the community.', 'Membership', 'channel'],
  ['CHANGE_NICKNAME', 'Change nickname', 'Change their own nickname in this community.', 'Membership', 'guild'],
  ['MANAGE_NICKNAMES', 'Manage nicknames', "Change other members' nicknames.", 'Membership', 'guild'],
  ['KICK_MEMBERS', 'Kick members', 'Remove members lower in the role order; they can rejoin with an invite.', 'Membership', 'guild'],
  ['BAN_MEMBERS', 'Ban members', 'Remove members lower in the role order for good, optionally deleting their recent messages, and lift bans.', 'Membership', 'guild'],
  ['MODERATE_MEMBERS', 'Time out and warn members', 'Time out members lower in the role order (they can only read) and record warnings. Also protects from moderation votes.', 'Membership', 'guild'],
  ['MANAGE_REPORTS', 'Manage reports', "See and triage the community's report queue: status, assignee and notes. Acting on a report also needs that action's own permission.", 'Membership', 'guild'],

  ['SEND_MESSAGES', 'Send messages', 'Send messages in text channels.', 'Text', 'text'],
  ['SEND_MESSAGES_IN_THREADS', 'Send messages in threads', 'Send messages in threads.', 'Text', 'text', THREADS],
  ['CREATE_PUBLIC_THREADS', 'Create public threads', 'Start threads everyone in the channel can see.', 'Text', 'text', THREADS],
  ['CREATE_PRIVATE_THREADS', 'Create private threads', 'Start invite-only threads.', 'Text', 'text', THREADS],
  ['EMBED_LINKS', 'Embed links', 'Links they send show a preview.', 'Text', 'text', 'Link previews'],
  ['ATTACH_FILES', 'Attach files', 'Upload files and images.', 'Text', 'text', FILES],
  ['ADD_REACTIONS', 'Add reactions', 'Add new emoji reactions to messages (anyone can join a reaction already there).', 'Text', 'text'],
  ['USE_EXTERNAL_EMOJIS', 'Use external emoji', "Use custom emoji from other communities.", 'Text', 'text', EXPRESSIONS],
  ['USE_EXTERNAL_STICKERS', 'Use external stickers', 'Use stickers from other communities.', 'Text', 'text', EXPRESSIONS],
  ['MENTION_EVERYONE', 'Mention @everyone, @here and all roles', 'Notify everyone in the channel, and mention roles that are not mentionable.', 'Text', 'text'],
  ['MANAGE_MESSAGES', 'Manage messages', "Delete other members' messages, pin messages and skip slow mode.", 'Text', 'text'],
  ['PIN_MESSAGES', 'Pin messages', 'Pin and unpin messages.', 'Text', 'text'],
  ['BYPASS_SLOWMODE', 'Bypass slow mode', "Send messages without waiting for the channel's slow mode.", 'Text', 'text'],
  ['MANAGE_THREADS', 'Manage threads', 'Rename, lock, archive and delete threads.', 'Text', 'text', THREADS],
  ['READ_MESSAGE_HISTORY', 'Read message history', 'Read messages sent before they opened the channel. Without it, the channel looks empty.', 'Text', 'text'],
  ['SEND_TTS_MESSAGES', 'Send text-to-speech messages', 'Send messages read aloud to everyone.', 'Text', 'text', 'Text-to-speech'],
  ['SEND_VOICE_MESSAGES', 'Send voice messages', 'Record and send voice messages.', 'Text', 'text', 'Voice messages'],
  ['SEND_POLLS', 'Create polls', 'Post polls.', 'Text', 'text', 'Polls'],
  ['USE_APPLICATION_COMMANDS', 'Use application commands', "Use apps' slash commands.", 'Text', 'text', APPS],
  ['USE_EXTERNAL_APPS', 'Use external apps', "Use apps they added to their own account.", 'Text', 'text', APPS],

  ['CONNECT', 'Connect', 'Join voice channels and hear others.', 'Voice', 'voice', VOICE],
  ['SPEAK', 'Speak', 'Talk in voice channels.', 'Voice', 'voice', VOICE],
  ['STREAM', 'Video', 'Share their camera or screen.', 'Voice', 'voice', VOICE],
  ['USE_EMBEDDED_ACTIVITIES', 'Use activities', 'Start and join activities.', 'Voice', 'voice', APPS],
  ['USE_SOUNDBOARD', 'Use soundboard', 'Play soundboard sounds.', 'Voice', 'voice', VOICE],
  ['USE_EXTERNAL_SOUNDS', 'Use external sounds', 'Play sounds from other communities.', 'Voice', 'voice', VOICE],
  ['USE_VAD', 'Use voice activity', 'Talk without push-to-talk.', 'Voice', 'voice', VOICE],
  ['PRIORITY_SPEAKER', 'Priority speaker', 'Be heard more easily: others are quieter while they talk.', 'Voice', 'voice', VOICE],
  ['MUTE_MEMBERS', 'Mute members', 'Mute others in voice channels.', 'Voice', 'voice', VOICE],
  ['DEAFEN_MEMBERS', 'Deafen members', 'Deafen others in voice channels.', 'Voice', 'voice', VOICE],
  ['MOVE_MEMBERS', 'Move members', 'Move others between voice channels.', 'Voice', 'voice', VOICE],
  ['REQUEST_TO_SPEAK', 'Request to speak', 'Ask to speak in stage channels.', 'Voice', 'voice', VOICE],

  ['ADMINISTRATOR', 'Administrator', 'Every permission, in every channel, whatever the overwrites say. Grant it with care.', 'Advanced', 'guild'],
];

export const PERMISSIONS: readonly PermInfo[] = ROWS.map(([name, label, description, group, scope, later]) => ({
  name,
  bit: P[name],
  label,
  description,
  group,
  scope,
  ...(later ? { later } : {}),
}));

export const CHANNEL_KIND = { Text: 0, Voice: 2, Category: 4, Announcement: 5, Forum: 15 } as const;

/** The permissions an overwrite on a channel of this type is offered for. */
export function overwritePermissions(channelType: number): PermInfo[] {
  return PERMISSIONS.filter((p) => {
    if (p.scope === 'guild') return false;
    if (p.scope === 'channel') return true;
    if (channelType === CHANNEL_KIND.Category) return true;
    if (channelType === CHANNEL_KIND.Voice) return true; // voice channels have a text chat too
    return p.scope === 'text';
  });
}

/** Permissions whose label or description contains every word of the query (case-insensitive). */
export function searchPermissions(list: readonly PermInfo[], query: string): PermInfo[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...list];
  return list.filter((p) => {
    const hay = `${p.label} ${p.description} ${p.name.replace(/_/g, ' ')}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export function groupPermissions(list: readonly PermInfo[]): { group: PermGroup; perms: PermInfo[] }[] {
  return PERM_GROUPS.map((group) => ({ group, perms: list.filter((p) => p.group === group) })).filter((g) => g.perms.length > 0);
}

/** Names of the set bits, in catalogue order (for audit changes and summaries). */
export function permissionLabels(bits: bigint): string[] {
  return PERMISSIONS.filter((p) => (bits & p.bit) === p.bit).map((p) => p.label);
}
