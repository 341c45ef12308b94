/**
 * What the composer's `@` `#` `:` popup offers: which trigger is active at the caret (unless the
 * user dismissed it with Esc), the candidate lists built from the stores and my permissions, and
 * the popup's title. Ranking itself lives in ../autocomplete.ts; this module picks the candidates.
 */
import type { Channel, Member } from '../api/types';
import { detectTrigger, type Trigger } from '../autocomplete';
import { membersForMention, mentionSuggestions, rankChannels, type Suggestion } from './rank';
import { ChannelType, channelGroups, type ChatState } from '../stores/chat';
import { P, channelPermissions, has } from '../permissions';
import { withSkin, type EmojiData } from '../emoji/data';
import { searchEmoji } from '../emoji/search';
import { emojiUrl } from '../api/endpoints/media';
import { customEmojiText } from '../emoji/custom';
import { searchCustomEmoji, type EmojiSection } from '../emoji/guild-emoji';
import type { Standing } from './standing';

/** How many emoji the `:` popup lists. */
export const EMOJI_SUGGESTIONS = 10;

/**
 * The trigger the popup completes: none while the input is not focused, nor for the trigger the
 * user dismissed (`dismissedAt` is its start; -1 for none).
 */
export function activeTrigger(text: string, caret: number, focused: boolean, dismissedAt: number): Trigger | null {
  if (!focused) return null;
  const t = detectTrigger(text, caret);
  return t && t.start !== dismissedAt ? t : null;
}

/** After the caret moved: a dismissal holds only while the caret stays in the same trigger. */
export function keepDismissal(dismissedAt: number, text: string, caret: number): number {
  if (dismissedAt < 0) return dismissedAt;
  return detectTrigger(text, caret)?.start === dismissedAt ? dismissedAt : -1;
}

/** What must be fetched before the trigger can be completed. */
export function triggerNeeds(trigger: Trigger | null, guildId: string | null, emojiLoaded: boolean): { membersOf: string | null; emoji: boolean } {
  return {
    membersOf: trigger?.kind === '@' && guildId ? guildId : null,
    emoji: trigger?.kind === ':' && !emojiLoaded,
  };
}

/**
 * Text and announcement channels of the guild, in sidebar order, that I can see (a timeout keeps
 * VIEW_CHANNEL, so the clock does not matter here).
 */
export function mentionableChannels(state: ChatState, standing: Pick<Standing, 'guildId' | 'guild' | 'me' | 'perms'>): Channel[] {
  const { guildId, guild, me, perms } = standing;
  if (!guildId) return [];
  return channelGroups(state, guildId)
    .flatMap((g) => g.channels)
    .filter((c) => (c.type === ChannelType.Text || c.type === ChannelType.Announcement) && (perms === null || !guild || !me || has(channelPermissions(guild, me, c), P.VIEW_CHANNEL)));
}

/** The `:` candidates: the best matching emoji in my skin tone, shown with their first shortcode. */
export function emojiSuggestions(data: EmojiData, query: string, tone: number, limit = EMOJI_SUGGESTIONS): Suggestion[] {
  return searchEmoji(data.list, query, limit).map((e) => {
    const u = withSkin(e, tone);
    return { key: 'e' + e.unicode, kind: 'emoji', label: `:${e.shortcodes[0] ?? ''}:`, detail: e.label, insert: u, emoji: u };
  });
}

/** Custom emoji the `:` list may offer before unicode ones, leaving room for these many unicode ones. */
const UNICODE_KEPT = 5;

/** The `:` candidates among custom emoji: their image, `:name:`, and the guild they come from. */
export function customEmojiSuggestions(sections: readonly EmojiSection[], query: string, guildId: string | null, limit = EMOJI_SUGGESTIONS): Suggestion[] {
  return searchCustomEmoji(sections, query, guildId, limit).map(({ emoji, guildId: from, guildName }) => ({
    key: 'ce' + emoji.id,
    kind: 'emoji',
    label: `:${emoji.name}:`,
    detail: from === guildId ? 'This community' : (guildName ?? ''),
    insert: customEmojiText(emoji),
    image: emojiUrl(emoji),
  }));
}

/** Custom and unicode matches in one list of `limit`: custom first, but at least a few unicode ones when there are. */
export function mergeEmojiSuggestions(custom: readonly Suggestion[], unicode: readonly Suggestion[], limit = EMOJI_SUGGESTIONS): Suggestion[] {
  const customShown = Math.max(limit - Math.min(UNICODE_KEPT, unicode.length), 0);
  const head = custom.slice(0, customShown);
  return [...head, ...unicode.slice(0, limit - head.length)];
}

export interface SuggestionSources {
  state: ChatState;
  standing: Pick<Standing, 'guildId' | 'guild' | 'me' | 'perms' | 'canMentionEveryone'>;
  /** Members fetched for autocomplete beyond the live cache (the member list's paged store), by user id. */
  fetchedMembers: Record<string, Member> | undefined;
  emojiData: EmojiData | null;
  skinTone: number;
  /** Custom emoji by guild, the current guild first (absent: none offered). */
  customEmoji?: readonly EmojiSection[];
}

/**
 * The popup's list for a trigger (empty: no popup). Only in guild channels. Each branch reads only
 * the sources it needs, so a component passing getters re-runs this only when those change.
 */
export function buildSuggestions(trigger: Trigger | null, src: SuggestionSources): Suggestion[] {
  if (!trigger) return [];
  const guildId = src.standing.guildId;
  if (!guildId) return [];
  if (trigger.kind === '@') {
    const { state, standing } = src;
    return mentionSuggestions({
      query: trigger.query,
      members: membersForMention(src.fetchedMembers, state.members[guildId]),
      presences: state.presences,
      roles: standing.guild?.roles ?? [],
      guildId,
      canMentionEveryone: standing.canMentionEveryone,
    });
  }
  if (trigger.kind === '#') {
    const { state, standing } = src;
    const categoryName = (c: Channel) => (c.parent_id ? (state.channels[c.parent_id]?.name ?? '') : '');
    return rankChannels(mentionableChannels(state, standing), trigger.query, categoryName);
  }
  const unicode = src.emojiData ? emojiSuggestions(src.emojiData, trigger.query, src.skinTone) : [];
  return mergeEmojiSuggestions(customEmojiSuggestions(src.customEmoji ?? [], trigger.query, guildId), unicode);
}

/** The popup's heading (it also names the listbox). */
export function popupTitle(trigger: Pick<Trigger, 'kind' | 'query'> | null): string {
  if (trigger?.kind === '#') return 'Text channels';
  if (trigger?.kind === ':') return `Emoji matching :${trigger.query}`;
  return 'Members and roles';
}
