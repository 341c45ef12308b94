/**
 * Custom emoji per guild. Guilds bring their list (READY's full guilds, GUILD_CREATE, GUILD_UPDATE
 * when it carries one); GUILD_EMOJIS_UPDATE replaces a guild's list; GUILD_DELETE drops it. The
 * reducer is pure (its selectors are in ../emoji/guild-emoji.ts); the store below is fed by the
 * gateway and starts from the guilds already in the chat state, so it is complete whenever this
 * module is first loaded.
 */
import { derived, get, writable } from 'svelte/store';
import type { GuildEmoji } from '../api/endpoints/media';
import { chat, onGatewayDispatch } from '../app';
import type { ChatState } from './chat';
import { emojiIndex, type EmojiState } from '../emoji/guild-emoji';

export type { EmojiState };

type GuildLike = { id: string; emojis?: unknown; unavailable?: boolean };

function emojiList(v: unknown): GuildEmoji[] | null {
  return Array.isArray(v) ? (v as GuildEmoji[]) : null;
}

/** Apply one gateway dispatch; anything else leaves the state as it is. */
export function applyEmojiEvent(state: EmojiState, t: string, d: unknown): EmojiState {
  switch (t) {
    case 'READY': {
      // A new session: guilds no longer listed are gone; stubs keep their old list until GUILD_CREATE.
      const next: EmojiState = {};
      for (const g of (d as { guilds?: GuildLike[] }).guilds ?? []) {
        const list = emojiList(g.emojis) ?? state[g.id];
        if (list) next[g.id] = list;
      }
      return next;
    }
    case 'GUILD_CREATE': {
      const g = d as GuildLike;
      return { ...state, [g.id]: emojiList(g.emojis) ?? [] };
    }
    case 'GUILD_UPDATE': {
      const g = d as GuildLike;
      const list = emojiList(g.emojis);
      return list ? { ...state, [g.id]: list } : state;
    }
    case 'GUILD_EMOJIS_UPDATE': {
      const e = d as { guild_id: string; emojis?: unknown };
      return { ...state, [e.guild_id]: emojiList(e.emojis) ?? [] };
    }
    case 'GUILD_DELETE': {
      const id = (d as { id: string }).id;
      if (!(id in state)) return state;
      const next = { ...state };
      delete next[id];
      return next;
    }
    default:
      return state;
  }
}

/** A created or changed emoji, shown at once (the GUILD_EMOJIS_UPDATE that follows agrees). */
export function emojiSaved(state: EmojiState, guildId: string, emoji: GuildEmoji): EmojiState {
  const list = state[guildId] ?? [];
  const i = list.findIndex((e) => e.id === emoji.id);
  return { ...state, [guildId]: i < 0 ? [...list, emoji] : list.map((e, k) => (k === i ? emoji : e)) };
}

/** A deleted emoji, gone at once. */
export function emojiDeleted(state: EmojiState, guildId: string, emojiId: string): EmojiState {
  const list = state[guildId];
  if (!list?.some((e) => e.id === emojiId)) return state;
  return { ...state, [guildId]: list.filter((e) => e.id !== emojiId) };
}

/** The emoji lists of the guilds a chat state already holds (their GUILD_CREATE came before us). */
export function emojiStateFrom(s: ChatState): EmojiState {
  const out: EmojiState = {};
  for (const [id, entry] of Object.entries(s.guilds)) {
    const list = emojiList(entry.guild.emojis);
    if (list) out[id] = list;
  }
  return out;
}

export const customEmojis = writable<EmojiState>(emojiStateFrom(get(chat)));

/** Every known custom emoji by id (reaction chips and messages look animation up here). */
export const customEmojiById = derived(customEmojis, emojiIndex);

/** What the gateway calls with each dispatch. */
export function emojiDispatch(t: string, d: unknown): void {
  customEmojis.update((s) => applyEmojiEvent(s, t, d));
}

onGatewayDispatch(emojiDispatch);
