/**
 * What I may do to a message, from my permissions in its channel (src/lib/permissions.ts). The
 * server stays the authority; this decides which actions to offer.
 */
import type { Member } from '../api/types';
import { channelPermissions, has, P } from '../permissions';
import type { ChatMessage, ChatState } from '../stores/chat';
import { isSystemMessage } from './rows';

export interface Capabilities {
  reply: boolean;
  /** add a new reaction (toggling an existing one needs only `toggleReaction`) */
  react: boolean;
  toggleReaction: boolean;
  edit: boolean;
  delete: boolean;
  pin: boolean;
  markUnread: boolean;
  copy: boolean;
}

const NONE: Capabilities = { reply: false, react: false, toggleReaction: false, edit: false, delete: false, pin: false, markUnread: false, copy: false };

/** My permission bits in a channel (0 when the channel or guild is unknown). */
export function myChannelPermissions(state: ChatState, channelId: string): bigint {
  const channel = state.channels[channelId];
  const myId = state.me?.id;
  if (!channel || !myId || !channel.guild_id) return 0n;
  const guild = state.guilds[channel.guild_id]?.guild;
  if (!guild) return 0n;
  // A member list that lacks me (should not happen) still resolves @everyone's permissions.
  const member = state.members[guild.id]?.[myId] ?? ({ user: { id: myId }, roles: [], communication_disabled_until: null } as unknown as Member);
  return channelPermissions(guild, member, channel);
}

export function capabilities(state: ChatState, message: ChatMessage): Capabilities {
  return capabilitiesFor(message, state.me?.id ?? null, myChannelPermissions(state, message.channel_id));
}

/** The same from my id and my permission bits in the message's channel (computed once per list). */
export function capabilitiesFor(message: ChatMessage, myId: string | null, bits: bigint): Capabilities {
  if (!myId) return NONE;
  const confirmed = !message.pending && !message.failed;
  if (!confirmed) return { ...NONE, copy: true };
  const history = has(bits, P.READ_MESSAGE_HISTORY);
  const mine = message.author.id === myId;
  const system = isSystemMessage(message);
  const manage = has(bits, P.MANAGE_MESSAGES);
  return {
    reply: !system && has(bits, P.SEND_MESSAGES) && history,
    react: history && has(bits, P.ADD_REACTIONS),
    toggleReaction: history,
    edit: mine && !system,
    // An AutoMod alert carries the flagged author's name, but only moderators may remove it.
    delete: (mine && message.type !== 24) || manage,
    pin: has(bits, P.PIN_MESSAGES) || manage,
    markUnread: true,
    copy: true,
  };
}
