/** Text for system messages, timestamps and message links. Pure. */
import type { ChatMessage } from '../stores/chat';

/** The one-line notice a system message shows (Discord's wording), after the author's name. */
export function systemText(m: Pick<ChatMessage, 'type'>): string {
  switch (m.type) {
    case 1:
      return 'added someone to the group.';
    case 2:
      return 'removed someone from the group.';
    case 4:
      return 'changed the channel name.';
    case 6:
      return 'pinned a message to this channel.';
    case 7:
      return 'joined the server.';
    case 8:
    case 9:
    case 10:
    case 11:
      return 'boosted the server.';
    case 12:
      return 'added a channel follower.';
    case 18:
      return 'started a thread.';
    case 24:
      return 'had a message flagged by AutoMod.';
    case 46:
      return 'started a poll.';
    default:
      return 'did something this client does not show.';
  }
}

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/**
 * Building an Intl.DateTimeFormat costs far more than formatting with one (it loads locale data), and a
 * channel renders several times per message: formatters are made once per locale and style.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

/** "Today at 10:32", "Yesterday at 18:05", or "23/11/2026, 10:32" (in the reader's locale). */
export function headerTime(date: Date, now: Date, locale?: string): string {
  const time = shortTime(date, locale);
  if (sameDay(date, now)) return `Today at ${time}`;
  const y = new Date(now);
  y.setDate(now.getDate() - 1);
  if (sameDay(date, y)) return `Yesterday at ${time}`;
  return formatter(locale, { dateStyle: 'short', timeStyle: 'short' }).format(date);
}

export function shortTime(date: Date, locale?: string): string {
  return formatter(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
}

export function fullTime(date: Date, locale?: string): string {
  return formatter(locale, { dateStyle: 'full', timeStyle: 'short' }).format(date);
}

export function dayLabel(date: Date, locale?: string): string {
  return formatter(locale, { dateStyle: 'long' }).format(date);
}

/** The path of a message link (Discord's shape): `/channels/{guild}/{channel}/{message}`. */
export function messagePath(guildId: string, channelId: string, messageId: string): string {
  return `/channels/${guildId}/${channelId}/${messageId}`;
}

export interface MessageLink {
  guildId: string;
  channelId: string;
  messageId: string;
}

/** Parse a message link's path (or a full URL of this origin). */
export function parseMessageLink(pathOrUrl: string, origin?: string): MessageLink | null {
  let path = pathOrUrl;
  if (/^https?:\/\//i.test(path)) {
    try {
      const u = new URL(path);
      if (origin !== undefined && u.origin !== origin) return null;
      path = u.pathname;
    } catch {
      return null;
    }
  }
  const m = /^\/channels\/(\d{1,20})\/(\d{1,20})\/(\d{1,20})\/?$/.exec(path);
  if (!m) return null;
  return { guildId: m[1] as string, channelId: m[2] as string, messageId: m[3] as string };
}

/**
 * A reaction chip's accessible name: who reacted when that is known ("alice and bob reacted with 👍"),
 * else the count ("👍: 3 reactions, including you"), then what pressing it does.
 */
export function reactionLabel(emoji: string, count: number, me: boolean, who: string | null = null): string {
  const press = me ? 'Press to remove yours' : 'Press to add yours';
  if (who) return `${who}. ${press}`;
  const n = `${count} ${count === 1 ? 'reaction' : 'reactions'}`;
  return `${emoji}: ${n}${me ? ', including you' : ''}. ${press}`;
}

/** "Alice is typing…", "Alice and Bob are typing…", "Alice, Bob and Carol are typing…", "Several people are typing…". */
export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
  return 'Several people are typing…';
}
