/**
 * The app's wiring: one API client, one gateway client, and the stores they feed. Components call
 * these functions; they hold no logic of their own beyond presentation.
 */
import { writable, get } from 'svelte/store';
import { ApiError, createClient } from './api/client';
import { endpoints } from './api/endpoints';
import type { InstanceInfo } from './api/types';
import { GatewayClient, gatewayUrl, type ConnectionState, type SocketLike } from './gateway/client';
import { addPending, applyEvent, discardLocal, emptyState, historyLoaded, markFailed, sendConfirmed, ChannelType, channelGroups, type ChatState, type ChatMessage } from './stores/chat';
import { clearSession, getToken, session, setSession, setUser } from './stores/session';

export const api = endpoints(createClient({ getToken, onUnauthorized: () => signOutLocal() }));

export const chat = writable<ChatState>(emptyState());
export const connection = writable<ConnectionState>('idle');
export const selection = writable<{ guildId: string | null; channelId: string | null }>({ guildId: null, channelId: null });

const PAGE = 50;

let gateway: GatewayClient | null = null;

type DispatchListener = (t: string, d: unknown) => void;
const dispatchListeners: DispatchListener[] = [];

/**
 * Feature stores (read states, typing, notifications…) subscribe here in their own modules, so this
 * file stays the wiring and each store keeps its own logic. Listeners run after the chat state took
 * the event.
 */
export function onGatewayDispatch(fn: DispatchListener): () => void {
  dispatchListeners.push(fn);
  return () => {
    const i = dispatchListeners.indexOf(fn);
    if (i >= 0) dispatchListeners.splice(i, 1);
  };
}

function onDispatch(t: string, d: unknown): void {
  chat.update((s) => applyEvent(s, t, d));
  for (const fn of dispatchListeners) fn(t, d);
  if (t === 'READY') setUser((d as { user: NonNullable<ChatState['me']> }).user);
  if (t === 'GUILD_CREATE' || t === 'GUILD_DELETE' || t === 'CHANNEL_DELETE') ensureSelection();
  if (t === 'GUILD_CREATE') {
    // After a fresh READY the open channel's history was dropped: fetch it again.
    const { guildId, channelId } = get(selection);
    const cached = channelId ? get(chat).messages[channelId] : undefined;
    if (guildId === (d as { id: string }).id && channelId && get(chat).channels[channelId] && !cached?.some((m) => !m.pending && !m.failed)) void loadHistory(channelId, true);
  }
}

/** Keep the selection valid: a guild that exists and one of its text channels. */
let wantGuild: string | null = null;

function ensureSelection(): void {
  const s = get(chat);
  let { guildId, channelId } = get(selection);
  if (wantGuild !== null && s.guilds[wantGuild]) {
    if (guildId !== wantGuild) channelId = null;
    guildId = wantGuild;
    wantGuild = null;
  }
  if (guildId === null || !s.guilds[guildId]) guildId = s.guildOrder.find((g) => s.guilds[g] && !s.guilds[g].unavailable) ?? null;
  if (guildId !== null && (channelId === null || s.channels[channelId]?.guild_id !== guildId)) channelId = firstTextChannel(s, guildId);
  if (guildId === null) channelId = null;
  const cur = get(selection);
  if (cur.guildId !== guildId || cur.channelId !== channelId) {
    selection.set({ guildId, channelId });
    if (channelId) void loadHistory(channelId);
  }
}

function firstTextChannel(s: ChatState, guildId: string): string | null {
  for (const g of channelGroups(s, guildId)) for (const c of g.channels) if (c.type === ChannelType.Text || c.type === ChannelType.Announcement) return c.id;
  return null;
}

/** Start the gateway for the stored token (no-op without one). */
export function startGateway(): void {
  if (!getToken() || gateway) return;
  gateway = new GatewayClient({
    url: gatewayUrl(location),
    getToken,
    // A browser WebSocket has exactly the SocketLike members (handlers receive richer events).
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    onDispatch,
    onStateChange: (st) => connection.set(st),
    onAuthFailed: () => signOutLocal(),
  });
  gateway.start();
}

function signOutLocal(): void {
  gateway?.stop();
  gateway = null;
  clearSession();
  chat.set(emptyState());
  selection.set({ guildId: null, channelId: null });
  connection.set('idle');
}

export async function signOut(): Promise<void> {
  try {
    await api.logout();
  } catch {
    /* the token may already be dead */
  }
  signOutLocal();
}

export async function signIn(username: string, password: string): Promise<void> {
  const r = await api.login({ username, password });
  setSession(r.token, r.user);
  startGateway();
}

export async function register(username: string, password: string, invite: string, acceptTerms: boolean): Promise<void> {
  const r = await api.register({ username, password, invite: invite.trim() || null, accept_terms: acceptTerms });
  setSession(r.token, r.user);
  startGateway();
}

export function loadInstance(): Promise<InstanceInfo> {
  return api.instance();
}

export function selectGuild(guildId: string): void {
  const s = get(chat);
  const channelId = firstTextChannel(s, guildId);
  selection.set({ guildId, channelId });
  if (channelId) void loadHistory(channelId);
}

export function selectChannel(channelId: string): void {
  const s = get(chat);
  const c = s.channels[channelId];
  if (!c) return;
  selection.set({ guildId: c.guild_id ?? null, channelId });
  void loadHistory(channelId);
}

const loading = new Set<string>();

/** Load the newest page of a channel unless it is cached. */
export async function loadHistory(channelId: string, force = false): Promise<void> {
  if (!force && get(chat).messages[channelId]) return;
  if (loading.has(channelId)) return;
  loading.add(channelId);
  try {
    const page = await api.messages(channelId, { limit: PAGE });
    chat.update((s) => historyLoaded(s, channelId, page, PAGE, null));
  } finally {
    loading.delete(channelId);
  }
}

let nonceCounter = 0;
export function makeNonce(): string {
  nonceCounter = (nonceCounter + 1) % 1000;
  return String(Date.now()) + String(nonceCounter).padStart(3, '0');
}

/**
 * Send with a nonce, showing the message at once; the echo or the answer replaces it.
 * `opts.replyTo` makes it a reply (`message_reference`); the optimistic copy shows the reply too.
 */
export async function sendMessage(channelId: string, content: string, nonce = makeNonce(), opts: { replyTo?: string } = {}): Promise<void> {
  const text = content.trim();
  if (!text) return;
  const me = get(session).user ?? get(chat).me;
  if (!me) return;
  const replyTo = opts.replyTo;
  const channel = get(chat).channels[channelId];
  const referenced = replyTo ? (get(chat).messages[channelId]?.find((m) => m.id === replyTo) ?? null) : null;
  const reply = replyTo
    ? {
        type: 19,
        message_reference: { type: 0, message_id: replyTo, channel_id: channelId, guild_id: channel?.guild_id ?? '' },
        referenced_message: referenced ? { ...referenced, referenced_message: undefined } : null,
      }
    : { type: 0 };
  const local = {
    id: 'local-' + nonce,
    channel_id: channelId,
    author: me,
    content: text,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    nonce,
    attachments: [],
    embeds: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    flags: 0,
    reactions: [],
    ...reply,
  } as unknown as ChatMessage;
  chat.update((s) => discardLocal(s, channelId, nonce));
  chat.update((s) => addPending(s, local));
  try {
    const msg = await api.sendMessage(channelId, { content: text, nonce, ...(replyTo ? { message_reference: { message_id: replyTo } } : {}) });
    chat.update((s) => sendConfirmed(s, msg));
  } catch (e) {
    chat.update((s) => markFailed(s, channelId, nonce));
    throw e;
  }
}

export function retrySend(m: ChatMessage): Promise<void> {
  const replyTo = m.message_reference?.message_id;
  return sendMessage(m.channel_id, m.content, typeof m.nonce === 'string' ? m.nonce : makeNonce(), replyTo ? { replyTo } : {});
}

export function discardFailed(m: ChatMessage): void {
  if (typeof m.nonce === 'string') {
    const nonce = m.nonce;
    chat.update((s) => discardLocal(s, m.channel_id, nonce));
  }
}

export async function createGuild(name: string): Promise<string> {
  const g = await api.createGuild({ name });
  wantGuild = g.id;
  ensureSelection();
  return g.id;
}

/** The invite code in an invite link or path (`/invite/CODE`), or the input itself when it is a bare code. */
export function inviteCode(codeOrLink: string): string {
  return codeOrLink
    .trim()
    .replace(/^.*\/invite\//, '')
    .replace(/[/?#].*$/, '');
}

/** The code when the page was opened at `/invite/CODE`. */
export function inviteCodeFromPath(pathname: string): string | null {
  const m = /^\/invite\/([A-Za-z0-9_-]+)\/?$/.exec(pathname);
  return m?.[1] ?? null;
}

export async function joinInvite(codeOrLink: string): Promise<string> {
  const code = inviteCode(codeOrLink);
  const g = await api.joinInvite(code);
  wantGuild = g.id;
  ensureSelection();
  return g.id;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return e instanceof Error ? e.message : String(e);
}
