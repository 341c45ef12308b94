/**
 * Mention notifications: a short sound (an oscillator blip, no audio file) and a desktop
 * notification when someone else mentions me outside the channel I am looking at.
 *
 * `shouldNotify` and `plainExcerpt` are pure and tested; preferences persist in localStorage
 * (`notifyPrefs`, shown by user settings). The browser only grants notification permission from a
 * user gesture: `requestDesktopPermission` is called from a button.
 */
import { get, writable } from 'svelte/store';
import { chat, onGatewayDispatch, selectChannel, selection } from './app';
import type { ChatMessage, ChatState } from './stores/chat';
import { mentionsMe } from './stores/readstate';

export interface NotifyPrefs {
  sound: boolean;
  desktop: boolean;
}

const PREFS_KEY = 'hearth.notify';
const BANNER_KEY = 'hearth.notify.banner-dismissed';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function parsePrefs(raw: string | null | undefined): NotifyPrefs {
  const prefs: NotifyPrefs = { sound: true, desktop: true };
  if (!raw) return prefs;
  try {
    const v = JSON.parse(raw) as Partial<Record<keyof NotifyPrefs, unknown>>;
    if (typeof v.sound === 'boolean') prefs.sound = v.sound;
    if (typeof v.desktop === 'boolean') prefs.desktop = v.desktop;
  } catch {
    /* a damaged value: the defaults */
  }
  return prefs;
}

export const notifyPrefs = writable<NotifyPrefs>(parsePrefs(storage()?.getItem(PREFS_KEY)));
notifyPrefs.subscribe((p) => {
  try {
    storage()?.setItem(PREFS_KEY, JSON.stringify(p));
  } catch {
    /* storage full or blocked: the choice lasts this session */
  }
});

export interface NotifyContext {
  me: string | null;
  /** My role ids in the message's guild. */
  myRoles: readonly string[];
  /** The channel open in this window. */
  openChannelId: string | null;
  /** The window is focused and visible. */
  windowActive: boolean;
}

/** Should this new message notify me? Someone else's, mentioning me, not in the channel I am looking at. */
export function shouldNotify(m: Pick<ChatMessage, 'author' | 'channel_id' | 'mentions' | 'mention_roles' | 'mention_everyone'>, ctx: NotifyContext): boolean {
  if (!ctx.me || m.author.id === ctx.me) return false;
  if (!mentionsMe(m, ctx.me, ctx.myRoles)) return false;
  return !(ctx.windowActive && ctx.openChannelId === m.channel_id);
}

/**
 * A message as plain text for a notification: mentions and channels by name, markdown syntax
 * dropped, spoilers hidden, whitespace collapsed, at most `max` characters. Never HTML: the result
 * is only ever set as text.
 */
export function plainExcerpt(content: string, names: { user?: (id: string) => string | null; role?: (id: string) => string | null; channel?: (id: string) => string | null } = {}, max = 140): string {
  let t = content;
  t = t.replace(/```[^\n`]*\n?([\s\S]*?)```/g, '$1'); // code blocks: their code
  t = t.replace(/`([^`]*)`/g, '$1');
  t = t.replace(/\|\|([\s\S]*?)\|\|/g, '▮▮▮'); // spoilers stay hidden
  t = t.replace(/<@!?(\d+)>/g, (_, id: string) => '@' + (names.user?.(id) ?? 'unknown'));
  t = t.replace(/<@&(\d+)>/g, (_, id: string) => '@' + (names.role?.(id) ?? 'role'));
  t = t.replace(/<#(\d+)>/g, (_, id: string) => '#' + (names.channel?.(id) ?? 'channel'));
  t = t.replace(/<a?:(\w+):\d+>/g, ':$1:');
  t = t.replace(/<t:(\d+)(?::[tTdDfFR])?>/g, (_, s: string) => new Date(Number(s) * 1000).toLocaleString());
  t = t.replace(/\[([^\]]+)\]\((?:<)?[^)\s>]+(?:>)?\)/g, '$1'); // [text](url)
  t = t.replace(/<(https?:\/\/[^>\s]+)>/g, '$1');
  t = t.replace(/^\s{0,3}(#{1,3}|-#)\s+/gm, ''); // headings, subtext
  t = t.replace(/^\s*>>?>?\s?/gm, ''); // quotes
  t = t.replace(/^\s*[-*]\s+/gm, '• '); // list bullets
  t = t.replace(/(\*\*\*|\*\*|__|~~)(.+?)\1/g, '$2');
  t = t.replace(/(^|[^\w*])\*(?!\s)([^*]+?)\*(?!\w)/g, '$1$2');
  t = t.replace(/(^|[^\w_])_(?!\s)([^_]+?)_(?!\w)/g, '$1$2');
  t = t.replace(/\\([\\*_~`|>#[\]()-])/g, '$1'); // escapes
  t = t.replace(/\s+/g, ' ').trim();
  if (t.length > max) t = t.slice(0, max - 1).trimEnd() + '…';
  return t;
}

/** The notification's title: "Author (#channel, Guild)". */
export function notificationTitle(author: string, channel: string | null, guild: string | null): string {
  if (channel && guild) return `${author} (#${channel}, ${guild})`;
  if (channel) return `${author} (#${channel})`;
  return author;
}

// ---- sound ----

let audio: AudioContext | null = null;

/** A short two-tone blip through Web Audio. Silent when audio is unavailable or not yet allowed. */
export function playBlip(): void {
  try {
    const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!Ctor) return;
    audio ??= new Ctor();
    const ctx = audio;
    if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
    const t0 = ctx.currentTime;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.18, t0 + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.28);
    gain.connect(ctx.destination);
    const osc = ctx.createOscillator();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(880, t0);
    osc.frequency.setValueAtTime(1318.5, t0 + 0.09);
    osc.connect(gain);
    osc.start(t0);
    osc.stop(t0 + 0.3);
    osc.onended = () => {
      osc.disconnect();
      gain.disconnect();
    };
  } catch {
    /* no audio output: nothing to play */
  }
}

// Browsers keep an AudioContext suspended until a user gesture: unlock it on the first one.
if (typeof window !== 'undefined') {
  const unlock = () => {
    try {
      const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
      if (Ctor) {
        audio ??= new Ctor();
        void audio.resume().catch(() => {});
      }
    } catch {
      /* no audio */
    }
    window.removeEventListener('pointerdown', unlock);
    window.removeEventListener('keydown', unlock);
  };
  window.addEventListener('pointerdown', unlock);
  window.addEventListener('keydown', unlock);
}

// ---- desktop notifications ----

export type DesktopPermission = NotificationPermission | 'unsupported';

export function desktopPermission(): DesktopPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** The permission as a store, refreshed after a request. */
export const desktopPermissionState = writable<DesktopPermission>(desktopPermission());

/** Ask for permission (call from a click). Turns desktop notifications on when granted. */
export async function requestDesktopPermission(): Promise<DesktopPermission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  let result: NotificationPermission;
  try {
    result = await Notification.requestPermission();
  } catch {
    result = Notification.permission;
  }
  desktopPermissionState.set(result);
  if (result === 'granted') notifyPrefs.update((p) => ({ ...p, desktop: true }));
  return result;
}

/** Whether to offer the one-time "Enable desktop notifications" banner. */
export function bannerWanted(): boolean {
  return desktopPermission() === 'default' && get(notifyPrefs).desktop && storage()?.getItem(BANNER_KEY) !== '1';
}

export function dismissBanner(): void {
  try {
    storage()?.setItem(BANNER_KEY, '1');
  } catch {
    /* ignore */
  }
}

export interface DesktopNotice {
  title: string;
  body: string;
  tag: string;
  onClick: () => void;
}

/** Show a desktop notification (when allowed); clicking it focuses the window and runs onClick. */
export function showDesktop(n: DesktopNotice): void {
  if (desktopPermission() !== 'granted') return;
  try {
    const note = new Notification(n.title, { body: n.body, tag: n.tag });
    note.onclick = () => {
      window.focus();
      n.onClick();
      note.close();
    };
  } catch {
    /* some platforms only allow notifications from a service worker */
  }
}

export function displayNameIn(chat: ChatState, guildId: string | null | undefined, user: { id: string; username: string; global_name?: string | null }): string {
  const m = guildId ? chat.members[guildId]?.[user.id] : undefined;
  return m?.nick ?? user.global_name ?? user.username;
}

// ---- wiring ----

function windowActive(): boolean {
  return typeof document === 'undefined' || (document.visibilityState !== 'hidden' && document.hasFocus());
}

const SOUND_GAP_MS = 1500;
let lastSound = 0;

function onMessage(m: ChatMessage): void {
  const s = get(chat);
  const channel = s.channels[m.channel_id];
  const guildId = channel?.guild_id ?? m.guild_id ?? null;
  const me = s.me?.id ?? null;
  const myRoles = me && guildId ? (s.members[guildId]?.[me]?.roles ?? []) : [];
  if (!shouldNotify(m, { me, myRoles, openChannelId: get(selection).channelId, windowActive: windowActive() })) return;
  const prefs = get(notifyPrefs);
  const now = Date.now();
  if (prefs.sound && now - lastSound > SOUND_GAP_MS) {
    lastSound = now;
    playBlip();
  }
  if (!prefs.desktop) return;
  const guild = guildId ? s.guilds[guildId]?.guild : undefined;
  const excerpt = plainExcerpt(m.content, {
    user: (id) => {
      const u = m.mentions.find((x) => x.id === id);
      return u ? displayNameIn(s, guildId, u) : null;
    },
    role: (id) => guild?.roles.find((r) => r.id === id)?.name ?? null,
    channel: (id) => s.channels[id]?.name ?? null,
  });
  showDesktop({
    title: notificationTitle(displayNameIn(s, guildId, m.author), channel?.name ?? null, guild?.name ?? null),
    body: excerpt || (m.attachments?.length ? 'Sent an attachment' : ''),
    tag: m.id,
    onClick: () => selectChannel(m.channel_id),
  });
}

onGatewayDispatch((t, d) => {
  if (t === 'MESSAGE_CREATE') onMessage(d as ChatMessage);
});
