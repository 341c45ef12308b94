/**
 * The composer's autocomplete, as pure functions: find the trigger (`@`, `#`, `:`) at the caret and
 * splice the accepted suggestion (or a `:shortcode:`'s emoji) into the text. The textarea holds the
 * raw syntax (`<@id>`, `<@&id>`, `<#id>`, unicode emoji), as Discord's plain-text mode does. Ranking
 * the candidates is in ./composer/rank.ts. Nothing here touches the DOM or the stores.
 */
export { fold } from './composer/rank';

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
