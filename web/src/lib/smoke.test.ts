/**
 * End-to-end smoke test against a running server; skipped unless HEARTH_SMOKE_URL is set, e.g.
 *   HEARTH_SMOKE_URL=http://127.0.0.1:8080 HEARTH_SMOKE_USER=ada HEARTH_SMOKE_PASS=… \
 *     NODE_OPTIONS=--experimental-websocket npx vitest run src/lib/smoke.test.ts
 * Drives the real API layer, gateway client and chat reducer together: identify, READY and
 * GUILD_CREATE, an optimistic send replaced by its echo, then a dropped socket and a resume.
 */
import { describe, it, expect } from 'vitest';
import { createClient } from './api/client';
import { endpoints } from './api/endpoints';
import { GatewayClient, type SocketLike } from './gateway/client';
import { addPending, applyEvent, emptyState, historyLoaded, type ChatMessage, type ChatState } from './stores/chat';

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const base = env['HEARTH_SMOKE_URL'];

function until(cond: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) resolve();
      else if (Date.now() - start > ms) reject(new Error('timed out'));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

describe.skipIf(!base)('smoke against a live server', () => {
  it('identifies, receives, sends with a nonce, and resumes after a drop', async () => {
    let token: string | null = null;
    const api = endpoints(createClient({ base: `${base}/api/v1`, getToken: () => token }));
    const login = await api.login({ username: env['HEARTH_SMOKE_USER'] ?? '', password: env['HEARTH_SMOKE_PASS'] ?? '' });
    token = login.token;
    const guild = await api.createGuild({ name: 'smoke ' + String(Date.now()) });

    let state: ChatState = emptyState();
    const events: string[] = [];
    const sockets: SocketLike[] = [];
    const WS = (globalThis as unknown as { WebSocket: new (u: string) => SocketLike }).WebSocket;
    const gw = new GatewayClient({
      url: `${(base ?? '').replace(/^http/, 'ws')}/gateway?v=10&encoding=json`,
      getToken: () => token,
      createSocket: (u) => {
        const s = new WS(u);
        sockets.push(s);
        return s;
      },
      backoffBaseMs: 100,
      onDispatch: (t, d) => {
        events.push(t);
        state = applyEvent(state, t, d);
      },
    });
    gw.start();
    await until(() => gw.state === 'connected' && state.guilds[guild.id] !== undefined);
    const channelId = Object.values(state.channels).find((c) => c.guild_id === guild.id && c.type === 0)?.id ?? '';
    expect(channelId).not.toBe('');

    const page = await api.messages(channelId, { limit: 50 });
    state = historyLoaded(state, channelId, page, 50, null);
    const nonce = String(Date.now());
    state = addPending(state, { id: 'local-' + nonce, channel_id: channelId, author: login.user, content: 'hello', timestamp: new Date().toISOString(), nonce } as unknown as ChatMessage);
    const sent = await api.sendMessage(channelId, { content: 'hello', nonce });
    await until(() => state.messages[channelId]?.some((m) => m.id === sent.id) === true);
    expect(state.messages[channelId]?.map((m) => [m.content, m.pending ?? false])).toEqual([['hello', false]]);

    // Drop the connection; the client must resume and replay what it missed.
    const seqBefore = gw.seq;
    sockets[0]?.close(4000);
    await api.sendMessage(channelId, { content: 'while away' });
    await until(() => events.includes('RESUMED'));
    await until(() => state.messages[channelId]?.some((m) => m.content === 'while away') === true);
    expect(gw.state).toBe('connected');
    expect(gw.seq).toBeGreaterThan(seqBefore ?? 0);
    expect(sockets.length).toBe(2);
    gw.stop();
  }, 20000);
});
