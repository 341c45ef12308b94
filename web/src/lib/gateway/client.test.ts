import { describe, it, expect, beforeEach } from 'vitest';
import { GatewayClient, backoffDelay, gatewayUrl, type SocketLike, type Clock, type ConnectionState } from './client';

class FakeSocket implements SocketLike {
  sent: { op: number; d?: unknown }[] = [];
  closed: number | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data) as { op: number; d?: unknown });
  }
  close(code?: number): void {
    this.closed = code ?? 1000;
  }
  recv(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  serverClose(code: number): void {
    this.onclose?.({ code });
  }
  ops(): number[] {
    return this.sent.map((f) => f.op);
  }
}

class FakeClock implements Clock {
  now = 0;
  private next = 1;
  timers = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  /** Advance time, firing due timers in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let best: [number, { at: number; fn: () => void }] | null = null;
      for (const e of this.timers) if (e[1].at <= end && (!best || e[1].at < best[1].at)) best = e;
      if (!best) break;
      this.timers.delete(best[0]);
      this.now = best[1].at;
      best[1].fn();
    }
    this.now = end;
  }
  pending(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.now);
  }
}

let sockets: FakeSocket[];
let clock: FakeClock;
let states: ConnectionState[];
let dispatches: [string, unknown, number][];
let authFailed: number;
let token: string | null;

function make(random = () => 0.5): GatewayClient {
  return new GatewayClient({
    url: 'ws://x/gateway?v=10&encoding=json',
    getToken: () => token,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    clock,
    random,
    onDispatch: (t, d, s) => dispatches.push([t, d, s]),
    onStateChange: (s) => states.push(s),
    onAuthFailed: () => authFailed++,
  });
}

function last(): FakeSocket {
  const s = sockets[sockets.length - 1];
  if (!s) throw new Error('no socket');
  return s;
}

function ready(gw: GatewayClient, s: FakeSocket): void {
  s.recv({ op: 10, d: { heartbeat_interval: 1000 } });
  s.recv({ op: 0, s: 1, t: 'READY', d: { session_id: 'sess1', user: { id: '1' }, guilds: [] } });
  expect(gw.state).toBe('connected');
}

beforeEach(() => {
  sockets = [];
  clock = new FakeClock();
  states = [];
  dispatches = [];
  authFailed = 0;
  token = 'tok';
});

describe('gateway client', () => {
  it('identifies after Hello and becomes connected on READY', () => {
    const gw = make();
    gw.start();
    expect(gw.state).toBe('connecting');
    const s = last();
    expect(s.url).toContain('v=10');
    s.recv({ op: 10, d: { heartbeat_interval: 1000 } });
    expect(s.sent[0]).toMatchObject({ op: 2, d: { token: 'tok' } });
    s.recv({ op: 0, s: 1, t: 'READY', d: { session_id: 'abc' } });
    expect(gw.state).toBe('connected');
    expect(gw.sessionId).toBe('abc');
    expect(dispatches[0]?.[0]).toBe('READY');
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('jitters the first heartbeat, then beats at the interval with the last seq', () => {
    const gw = make(() => 0.25);
    gw.start();
    const s = last();
    ready(gw, s);
    clock.advance(249);
    expect(s.ops()).toEqual([2]);
    clock.advance(1);
    expect(s.sent[1]).toEqual({ op: 1, d: 1 });
    s.recv({ op: 11 });
    s.recv({ op: 0, s: 2, t: 'MESSAGE_CREATE', d: {} });
    clock.advance(1000);
    expect(s.sent[2]).toEqual({ op: 1, d: 2 });
    s.recv({ op: 11 });
    clock.advance(1000);
    expect(s.ops()).toEqual([2, 1, 1, 1]);
  });

  it('answers a server heartbeat request at once', () => {
    const gw = make();
    gw.start();
    const s = last();
    ready(gw, s);
    s.recv({ op: 1 });
    expect(s.sent[1]).toEqual({ op: 1, d: 1 });
  });

  it('tracks the dispatch sequence', () => {
    const gw = make();
    gw.start();
    const s = last();
    ready(gw, s);
    for (let i = 2; i <= 5; i++) s.recv({ op: 0, s: i, t: 'TYPING_START', d: {} });
    expect(gw.seq).toBe(5);
    expect(dispatches.map((d) => d[2])).toEqual([1, 2, 3, 4, 5]);
    s.recv({ op: 11 }); // non-dispatch frames do not move seq
    expect(gw.seq).toBe(5);
  });

  it('treats a missing ACK as a zombie connection and resumes', () => {
    const gw = make(() => 0);
    gw.start();
    const s = last();
    ready(gw, s);
    clock.advance(0); // first heartbeat (jitter 0)
    expect(s.ops()).toEqual([2, 1]);
    clock.advance(1000); // no ACK came
    expect(s.closed).toBe(4000);
    expect(gw.state).toBe('reconnecting');
    clock.advance(1000);
    const s2 = last();
    expect(s2).not.toBe(s);
    s2.recv({ op: 10, d: { heartbeat_interval: 1000 } });
    expect(s2.sent[0]).toEqual({ op: 6, d: { token: 'tok', session_id: 'sess1', seq: 1 } });
  });

  it('resumes after a dropped connection and replays', () => {
    const gw = make();
    gw.start();
    const s = last();
    ready(gw, s);
    s.recv({ op: 0, s: 2, t: 'MESSAGE_CREATE', d: { id: 'm1' } });
    s.serverClose(1006);
    expect(gw.state).toBe('reconnecting');
    clock.advance(30000);
    const s2 = last();
    expect(gw.state).toBe('resuming');
    s2.recv({ op: 10, d: { heartbeat_interval: 1000 } });
    expect(s2.sent[0]).toEqual({ op: 6, d: { token: 'tok', session_id: 'sess1', seq: 2 } });
    s2.recv({ op: 0, s: 3, t: 'MESSAGE_CREATE', d: { id: 'm2' } });
    s2.recv({ op: 0, s: 4, t: 'RESUMED', d: {} });
    expect(gw.state).toBe('connected');
    expect(gw.seq).toBe(4);
    expect(gw.attempt).toBe(0);
  });

  it('ignores events from a socket it has replaced', () => {
    const gw = make();
    gw.start();
    const s = last();
    ready(gw, s);
    s.recv({ op: 7 });
    expect(s.closed).toBe(4000);
    s.recv({ op: 0, s: 99, t: 'MESSAGE_CREATE', d: {} });
    expect(gw.seq).toBe(1);
  });

  it('reconnects and resumes at once on op 7', () => {
    const gw = make();
    gw.start();
    const s = last();
    ready(gw, s);
    s.recv({ op: 7 });
    clock.advance(0);
    const s2 = last();
    expect(s2).not.toBe(s);
    s2.recv({ op: 10, d: { heartbeat_interval: 1000 } });
    expect(s2.sent[0]?.op).toBe(6);
  });

  it('re-identifies on the same connection after op 9 false', () => {
    const gw = make();
    gw.start();
    const s = last();
    ready(gw, s);
    s.serverClose(1006);
    clock.advance(30000);
    const s2 = last();
    s2.recv({ op: 10, d: { heartbeat_interval: 1000 } });
    expect(s2.sent[0]?.op).toBe(6);
    s2.recv({ op: 9, d: false });
    expect(gw.sessionId).toBeNull();
    expect(gw.seq).toBeNull();
    expect(s2.sent[1]?.op).toBe(2);
    expect(sockets.length).toBe(2);
    s2.recv({ op: 0, s: 1, t: 'READY', d: { session_id: 'sess2' } });
    expect(gw.sessionId).toBe('sess2');
    expect(gw.state).toBe('connected');
  });

  it('signs out when identify after op 9 is refused with 4004, and does not retry', () => {
    const gw = make();
    gw.start();
    const s = last();
    ready(gw, s);
    s.recv({ op: 9, d: false });
    s.serverClose(4004);
    expect(gw.state).toBe('signed_out');
    expect(authFailed).toBe(1);
    clock.advance(120000);
    expect(sockets.length).toBe(1);
    expect(clock.pending()).toEqual([]);
  });

  it('identifies afresh after close codes that end the session', () => {
    for (const code of [4003, 4007]) {
      sockets = [];
      const gw = make();
      gw.start();
      ready(gw, last());
      last().serverClose(code);
      clock.advance(60000);
      last().recv({ op: 10, d: { heartbeat_interval: 1000 } });
      expect(last().sent[0]?.op).toBe(2);
      gw.stop();
    }
  });

  it('resumes after 4000, 4008, 4009 and 4100', () => {
    for (const code of [4000, 4008, 4009, 4100]) {
      sockets = [];
      const gw = make();
      gw.start();
      ready(gw, last());
      last().serverClose(code);
      clock.advance(60000);
      last().recv({ op: 10, d: { heartbeat_interval: 1000 } });
      expect(last().sent[0]?.op).toBe(6);
      gw.stop();
    }
  });

  it('backs off exponentially while the server is unreachable', () => {
    const gw = make(() => 0.999999);
    gw.start();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      last().serverClose(1006);
      const p = clock.pending();
      expect(p.length).toBe(1);
      delays.push(Math.round(p[0] ?? -1));
      clock.advance(p[0] ?? 0);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(gw.state).toBe('connecting');
  });

  it('keeps backoff jitter within [cap/2, cap]', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const cap = Math.min(30000, 1000 * 2 ** attempt);
      expect(backoffDelay(attempt, () => 0)).toBe(cap / 2);
      expect(backoffDelay(attempt, () => 0.999999)).toBeLessThanOrEqual(cap);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(attempt, Math.random);
        expect(d).toBeGreaterThanOrEqual(cap / 2);
        expect(d).toBeLessThanOrEqual(cap);
      }
    }
  });

  it('stop() closes and stays idle', () => {
    const gw = make();
    gw.start();
    const s = last();
    ready(gw, s);
    gw.stop();
    expect(s.closed).toBe(1000);
    expect(gw.state).toBe('idle');
    clock.advance(100000);
    expect(sockets.length).toBe(1);
  });

  it('builds same-origin gateway URLs', () => {
    expect(gatewayUrl({ protocol: 'https:', host: 'chat.example.org' })).toBe('wss://chat.example.org/gateway?v=10&encoding=json');
    expect(gatewayUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/gateway?v=10&encoding=json');
  });
});
