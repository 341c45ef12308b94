/**
 * The composer's autocomplete, as pure functions: find the trigger (`@`, `#`, `:`) at the caret,
 * rank candidates (members, roles, @everyone/@here, channels, emoji), and splice the accepted
 * suggestion into the text. The textarea holds the raw syntax (`<@id>`, `<@&id>`, `<#id>`, unicode
 * emoji), as Discord's plain-text mode does. Nothing here touches the DOM or the stores.
 */
import type { Channel, Member, Role } from './api/types';

export type TriggerKind = '@' | '#' | ':';

export interface Trigger {
  kind: TriggerKind;
  /** What was typed after the trigger character, up to the caret. */
  query: string;
  /** Index of the trigger character. */
  start: number;
  /** End of the word being completed (the caret, or further when the caret is inside a word). */
  end: number;
}

/** Longest query that still counts as one (usernames and channel names are short). */
export const MAX_QUERY = 32;
/** `:` completes only after this many characters, as Discord does. */
export const MIN_EMOJI_QUERY = 2;

const TRIGGERS = new Set(['@', '#', ':']);
/** Characters that may stand right before a trigger: markdown markers and opening punctuation. */
const BEFORE_TRIGGER = /[\s([{"'*_~|>]/;
const SHORTCODE_CHARS = /^[a-z0-9_+-]+$/i;
/** A `:shortcode` may follow anything but a letter, digit or colon (so `12:30` and `a:b` stay text). */
const NOT_BEFORE_COLON = /[\p{L}\p{N}:]/u;

function mayStartAt(kind: TriggerKind, prev: string): boolean {
  if (prev === '') return true;
  return kind === ':' ? !NOT_BEFORE_COLON.test(prev) : BEFORE_TRIGGER.test(prev);
}

/** The whole character (a surrogate pair counts as one) ending right before `i`. */
function charBefore(text: string, i: number): string {
  if (i <= 0) return '';
  const lo = text.charCodeAt(i - 1);
  if (i >= 2 && lo >= 0xdc00 && lo <= 0xdfff) return text.slice(i - 2, i);
  return text.slice(i - 1, i);
}

function isSpace(c: string): boolean {
  return /\s/.test(c);
}

/** Whether `pos` is inside a code block (```) or an inline code span (`) of its line. */
export function inCode(text: string, pos: number): boolean {
  const before = text.slice(0, pos);
  const fences = before.split('```').length - 1;
  if (fences % 2 === 1) return true;
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.slice(lineStart).replaceAll('```', '');
  return (line.split('`').length - 1) % 2 === 1;
}

/** The trigger being typed at the caret, or null. */
export function detectTrigger(text: string, caret: number): Trigger | null {
  if (caret < 0 || caret > text.length) return null;
  let start = -1;
  for (let i = caret - 1; i >= 0 && caret - i <= MAX_QUERY + 1; i--) {
    const c = text[i] as string;
    if (isSpace(c)) return null;
    if (TRIGGERS.has(c)) {
      start = i;
      break;
    }
  }
  if (start < 0) return null;
  const kind = text[start] as TriggerKind;
  if (!mayStartAt(kind, charBefore(text, start))) return null;
  const query = text.slice(start + 1, caret);
  if (kind === ':' && (query.length < MIN_EMOJI_QUERY || !SHORTCODE_CHARS.test(query))) return null;
  if (inCode(text, start)) return null;
  let end = caret;
  while (end < text.length && !isSpace(text[end] as string) && end - start <= MAX_QUERY) end++;
  return { kind, query, start, end };
}

/** Lowercase without diacritics, so "zoe" finds "Zoë". */
export function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * How well `query` matches a name: 0 exact, 1 prefix, 2 prefix of a later word, 3 substring,
 * null no match. An empty query matches everything as a prefix.
 */
export function matchTier(query: string, name: string | null | undefined): number | null {
  if (name == null || name === '') return null;
  const q = fold(query);
  const n = fold(name);
  if (q === '') return 1;
  if (n === q) return 0;
  if (n.startsWith(q)) return 1;
  const idx = n.indexOf(q);
  if (idx < 0) return null;
  return /[\s_.\-]/.test(n[idx - 1] ?? '') ? 2 : 3;
}

/** The best tier over several names of one candidate. */
export function bestTier(query: string, names: (string | null | undefined)[]): number | null {
  let best: number | null = null;
  for (const n of names) {
    const t = matchTier(query, n);
    if (t !== null && (best === null || t < best)) best = t;
  }
  return best;
}

export type SuggestionKind = 'user' | 'role' | 'everyone' | 'channel' | 'emoji';

export interface Suggestion {
  /** Unique within one list: used for element ids. */
  key: string;
  kind: SuggestionKind;
  /** Main text: display name, role name, channel name, emoji name. */
  label: string;
  /** Secondary text: username, "Notify everyone…", category, :shortcode:. */
  detail: string;
  /** The text that replaces the trigger and query. */
  insert: string;
  /** user, role, channel: its id. */
  id?: string;
  /** user: presence status; role: its colour (0 none); emoji: the emoji. */
  status?: string;
  color?: number;
  emoji?: string;
}

export function memberName(m: Member): string {
  return m.nick ?? m.user.global_name ?? m.user.username;
}

function isOnline(presences: Record<string, string>, id: string): boolean {
  const s = presences[id];
  return s !== undefined && s !== 'offline' && s !== 'invisible';
}

/** Members matching the query: best tier first, then online before offline, then by name. */
export function rankMembers(members: Iterable<Member>, presences: Record<string, string>, query: string, limit = 10): Suggestion[] {
  const scored: { m: Member; tier: number; online: boolean; name: string }[] = [];
  for (const m of members) {
    const tier = bestTier(query, [m.nick, m.user.global_name, m.user.username]);
    if (tier === null) continue;
    scored.push({ m, tier, online: isOnline(presences, m.user.id), name: memberName(m) });
  }
  scored.sort((a, b) => a.tier - b.tier || Number(b.online) - Number(a.online) || a.name.localeCompare(b.name) || a.m.user.username.localeCompare(b.m.user.username));
  return scored.slice(0, limit).map(({ m, online, name }) => ({
    key: 'u' + m.user.id,
    kind: 'user',
    id: m.user.id,
    label: name,
    detail: m.user.username,
    insert: `<@${m.user.id}>`,
    status: online ? (presences[m.user.id] ?? 'online') : 'offline',
  }));
}

/**
 * Roles the user may mention: mentionable ones, or all with MENTION_EVERYONE; never the
 * @everyone role itself (its id is the guild id).
 */
export function rankRoles(roles: readonly Role[], guildId: string, query: string, canMentionAll: boolean, limit = 5): Suggestion[] {
  const scored: { r: Role; tier: number }[] = [];
  for (const r of roles) {
    if (r.id === guildId || (!r.mentionable && !canMentionAll)) continue;
    const tier = matchTier(query, r.name);
    if (tier !== null) scored.push({ r, tier });
  }
  scored.sort((a, b) => a.tier - b.tier || b.r.position - a.r.position);
  return scored.slice(0, limit).map(({ r }) => ({ key: 'r' + r.id, kind: 'role', id: r.id, label: r.name, detail: 'Role', insert: `<@&${r.id}>`, color: r.color }));
}

/** `@everyone` and `@here`, only for members with MENTION_EVERYONE. */
export function rankEveryone(query: string, canMentionEveryone: boolean): Suggestion[] {
  if (!canMentionEveryone) return [];
  const all: Suggestion[] = [
    { key: 'everyone', kind: 'everyone', label: '@everyone', detail: 'Notify everyone who can see this channel', insert: '@everyone' },
    { key: 'here', kind: 'everyone', label: '@here', detail: 'Notify everyone online who can see this channel', insert: '@here' },
  ];
  return all.filter((s) => matchTier(query, s.label.slice(1)) !== null);
}

/** Everything `@` offers: members, then roles, then @everyone/@here (Discord's order). */
export function mentionSuggestions(args: {
  query: string;
  members: Iterable<Member>;
  presences: Record<string, string>;
  roles: readonly Role[];
  guildId: string;
  canMentionEveryone: boolean;
}): Suggestion[] {
  return [
    ...rankMembers(args.members, args.presences, args.query),
    ...rankRoles(args.roles, args.guildId, args.query, args.canMentionEveryone),
    ...rankEveryone(args.query, args.canMentionEveryone),
  ];
}

/**
 * Channels matching the query, best tier first, then in the given (sidebar) order. The caller
 * passes only channels the user can see; `categoryName` names a channel's category.
 */
export function rankChannels(channels: readonly Channel[], query: string, categoryName: (c: Channel) => string, limit = 10): Suggestion[] {
  const scored: { c: Channel; tier: number; order: number }[] = [];
  channels.forEach((c, order) => {
    const tier = matchTier(query, c.name);
    if (tier !== null) scored.push({ c, tier, order });
  });
  scored.sort((a, b) => a.tier - b.tier || a.order - b.order);
  return scored.slice(0, limit).map(({ c }) => ({ key: 'c' + c.id, kind: 'channel', id: c.id, label: c.name, detail: categoryName(c), insert: `<#${c.id}>` }));
}

export interface Applied {
  text: string;
  caret: number;
}

/**
 * Replace the trigger and its word with `insert`, followed by one space (unless a space already
 * follows), and put the caret after that space.
 */
export function applySuggestion(text: string, trigger: Pick<Trigger, 'start' | 'end'>, insert: string): Applied {
  const before = text.slice(0, trigger.start);
  const after = text.slice(trigger.end);
  const hasSpace = after.startsWith(' ') || after.startsWith('\n');
  const next = before + insert + (hasSpace ? '' : ' ') + after;
  return { text: next, caret: before.length + insert.length + 1 };
}

/** Insert text at a selection (replacing it), caret after the insertion. */
export function insertAt(text: string, selStart: number, selEnd: number, insert: string): Applied {
  const a = Math.max(0, Math.min(selStart, text.length));
  const b = Math.max(a, Math.min(selEnd, text.length));
  return { text: text.slice(0, a) + insert + text.slice(b), caret: a + insert.length };
}

/**
 * When the caret sits right after a closing colon of `:shortcode:` that names an emoji, replace
 * it with the emoji (Discord converts as you type). Null when there is nothing to convert.
 */
export function completeShortcode(text: string, caret: number, lookup: (code: string) => string | undefined): (Applied & { emoji: string }) | null {
  if (caret < 2 || text[caret - 1] !== ':') return null;
  const open = text.lastIndexOf(':', caret - 2);
  if (open < 0) return null;
  const code = text.slice(open + 1, caret - 1);
  if (code.length < 1 || code.length > MAX_QUERY || !SHORTCODE_CHARS.test(code)) return null;
  if (!mayStartAt(':', charBefore(text, open))) return null;
  if (inCode(text, open)) return null;
  const emoji = lookup(code.toLowerCase());
  if (!emoji) return null;
  return { text: text.slice(0, open) + emoji + text.slice(caret), caret: open + emoji.length, emoji };
}

/**
 * Replace every `:shortcode:` naming an emoji with the emoji, as Discord does on send, except in
 * code, inside `<…>` tokens (mentions, timestamps like `<t:100:R>`) and in URLs.
 */
export function replaceShortcodes(text: string, lookup: (code: string) => string | undefined): string {
  if (!text.includes(':')) return text;
  // Protected regions, in the order the markdown reads them: code blocks, inline code, <…>, URLs.
  const protectedRe = /```[\s\S]*?(?:```|$)|`[^`\n]*`|<[^<>\s]*>|https?:\/\/\S+/g;
  let out = '';
  let last = 0;
  const convert = (s: string): string => {
    let res = '';
    let from = 0;
    let convertedEnd = -1;
    for (const m of s.matchAll(/:([a-z0-9_+-]{1,32}):/gi)) {
      const prev = charBefore(s, m.index);
      if (m.index < from || (m.index !== convertedEnd && !mayStartAt(':', prev))) continue;
      const e = lookup((m[1] as string).toLowerCase());
      if (!e) continue;
      res += s.slice(from, m.index) + e;
      from = m.index + m[0].length;
      convertedEnd = from;
    }
    return res + s.slice(from);
  };
  for (const m of text.matchAll(protectedRe)) {
    out += convert(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + convert(text.slice(last));
}

/** Length as the server counts it: Unicode scalar values, not UTF-16 units. */
export function contentLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
