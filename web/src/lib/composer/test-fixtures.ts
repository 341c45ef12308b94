/** A small guild for the composer's unit tests (not part of the app). */
import { applyEvent, emptyState, historyLoaded, type ChatMessage, type ChatState } from '../stores/chat';
import { buildEmojiData, type EmojiData, type RawEmoji } from '../emoji/data';

/** VIEW_CHANNEL, SEND_MESSAGES, READ_MESSAGE_HISTORY, ADD_REACTIONS. */
export const EVERYONE_DEFAULT = String((1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 6n));
const VIEW = String(1n << 10n);

export const ada = { id: '1', username: 'ada', global_name: 'Ada', bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' };
export const bob = { ...ada, id: '2', username: 'bob', global_name: 'Bobby' };

export function message(id: string, author: typeof ada, content: string, channelId = '100'): ChatMessage {
  return { id, channel_id: channelId, author, content, timestamp: '2026-11-23T10:00:00Z', edited_timestamp: null, nonce: null, reactions: [], type: 0, attachments: [], embeds: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false, flags: 0 } as unknown as ChatMessage;
}

export interface GuildOptions {
  everyonePerms?: string;
  /** Extra roles given to me (ada), as [id, permissions]. */
  myRoles?: [string, string][];
  rateLimit?: number;
  timeoutUntil?: string | null;
  ownerId?: string;
  /** Leave my member record out of the cache. */
  withoutMe?: boolean;
  bobNick?: string | null;
}

export function guildState(o: GuildOptions = {}): ChatState {
  let s = applyEvent(emptyState(), 'READY', { user: { ...ada, admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
  const channel = (id: string, name: string, type: number, position: number, extra: object = {}) => ({ id, guild_id: '10', name, type, position, parent_id: null, rate_limit_per_user: 0, permission_overwrites: [], nsfw: false, ...extra });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10',
    name: 'Hearthside',
    owner_id: o.ownerId ?? '999',
    roles: [
      { id: '10', name: '@everyone', permissions: o.everyonePerms ?? EVERYONE_DEFAULT, position: 0, color: 0, hoist: false, mentionable: false, managed: false },
      { id: '50', name: 'Builders', permissions: '0', position: 1, color: 0x3366ff, hoist: false, mentionable: true, managed: false },
      { id: '51', name: 'Bosses', permissions: '0', position: 2, color: 0, hoist: false, mentionable: false, managed: false },
      ...(o.myRoles ?? []).map(([id, permissions], i) => ({ id, name: `r${id}`, permissions, position: 10 + i, color: 0, hoist: false, mentionable: false, managed: false })),
    ],
    member_count: 2,
    channels: [
      channel('100', 'general', 0, 0, { rate_limit_per_user: o.rateLimit ?? 0 }),
      channel('102', 'gaming', 0, 1),
      channel('103', 'secret', 0, 2, { permission_overwrites: [{ id: '10', type: 0, allow: '0', deny: VIEW }] }),
      channel('104', 'voice', 2, 3),
      channel('200', 'Info', 4, 4),
      channel('105', 'news', 5, 0, { parent_id: '200' }),
    ],
    members: [
      ...(o.withoutMe ? [] : [{ user: ada, nick: null, roles: (o.myRoles ?? []).map(([id]) => id), joined_at: '2026-01-01T00:00:00Z', pending: false, communication_disabled_until: o.timeoutUntil ?? null }]),
      { user: bob, nick: o.bobNick ?? null, roles: [], joined_at: '2026-01-01T00:00:00Z', pending: false },
    ],
    presences: [{ user: { id: '2' }, status: 'online' }],
  });
  return historyLoaded(s, '100', [message('501', ada, 'mine'), message('500', bob, 'hi')], 50, null);
}

/** Three emoji: pizza, thumbs up (with skin tones) and smile. */
export function smallEmoji(): EmojiData {
  const raw: RawEmoji[] = [
    { label: 'pizza', hexcode: '1F355', emoji: '🍕', group: 4, order: 1, version: 1, tags: ['food'] },
    {
      label: 'thumbs up',
      hexcode: '1F44D',
      emoji: '👍️',
      group: 1,
      order: 2,
      version: 1,
      tags: ['yes'],
      skins: [1, 2, 3, 4, 5].map((tone) => ({ emoji: `👍${['🏻', '🏼', '🏽', '🏾', '🏿'][tone - 1]}`, tone })),
    },
    { label: 'grinning face with smiling eyes', hexcode: '1F604', emoji: '😄', group: 0, order: 3, version: 1, tags: ['smile'] },
  ];
  return buildEmojiData(raw, { '1F355': 'pizza', '1F44D': ['+1', 'thumbsup'], '1F604': 'smile' });
}
