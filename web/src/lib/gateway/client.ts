/**
 * Gateway client (Discord v10 protocol, see docs/gateway.md). Pure TypeScript: the socket factory,
 * clock and random source are injected so tests can drive it with a fake socket.
 */

export type ConnectionState =
  | 'idle' // not started, or stopped by the app
  | 'connecting' // socket opening / identifying
  | 'resuming' // socket opening / resuming a session
  | 'connected' // READY or RESUMED received
  | 'reconnecting' // waiting for the backoff timer
  | 'signed_out'; // the token was refused (4004): do not retry

export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface GatewayOptions {
  url: string;
  getToken: () => string | null;
  createSocket: (url: string) => SocketLike;
  clock?: Clock;
  random?: () => number;
  onDispatch?: (t: string, d: unknown, s: number) => void;
  onStateChange?: (state: ConnectionState) => void;
  /** The token was refused: the app should sign out. */
  onAuthFailed?: () => void;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  properties?: { os: string; browser: string; device?: string };
}

export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** Close codes after which the session cannot be resumed: identify afresh. */
const IDENTIFY_AGAIN = new Set([4001, 4002, 4003, 4005, 4007]);
/** Our own close code when we drop a zombie or obey op 7; keeps the session resumable. */
export const CLIENT_RECONNECT_CLOSE = 4000;

interface Frame {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

/** Equal-jitter exponential backoff: a delay in [cap/2, cap] where cap = min(max, base * 2^attempt). */
export function backoffDelay(attempt: number, random: () => number, baseMs = 1000, maxMs = 30000): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return cap / 2 + random() * (cap / 2);
}

const realClock: Clock = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};

export class GatewayClient {
  private readonly opts: GatewayOptions;
  private readonly clock: Clock;
  private readonly random: () => number;
  private ws: SocketLike | null = null;
  private heartbeatTimer: unknown = null;
  private reconnectTimer: unknown = null;
  private heartbeatInterval = 0;
  private acked = true;
  private attempts = 0;
  private stopped = true;
  private _state: ConnectionState = 'idle';

  /** Last dispatch sequence received on the current session. */
  seq: number | null = null;
  sessionId: string | null = null;

  constructor(opts: GatewayOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** Number of consecutive failed connection attempts (resets on READY/RESUMED). */
  get attempt(): number {
    return this.attempts;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  /** Stop for good (sign out): close the socket and forget the session. */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.sessionId = null;
    this.seq = null;
    this.dropSocket(1000);
    this.setState('idle');
  }

  /** Send a presence update (op 3). */
  updatePresence(status: string): void {
    this.send({ op: Op.PresenceUpdate, d: { status, activities: [], since: null, afk: false } });
  }

  private setState(s: ConnectionState): void {
    if (this._state === s) return;
    this._state = s;
    this.opts.onStateChange?.(s);
  }

  private open(): void {
    this.clearTimers();
    this.setState(this.sessionId !== null ? 'resuming' : 'connecting');
    const ws = this.opts.createSocket(this.opts.url);
    this.ws = ws;
    ws.onmessage = (ev) => {
      if (this.ws === ws) this.onMessage(ev.data);
    };
    ws.onclose = (ev) => {
      if (this.ws === ws) this.onClose(ev.code);
    };
    ws.onerror = () => {
      /* onclose follows */
    };
    ws.onopen = null;
  }

  private send(frame: Frame): void {
    this.ws?.send(JSON.stringify(frame));
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: Frame;
    try {
      frame = JSON.parse(data) as Frame;
    } catch {
      return;
    }
    switch (frame.op) {
      case Op.Hello: {
        const d = frame.d as { heartbeat_interval?: number } | undefined;
        this.heartbeatInterval = d?.heartbeat_interval ?? 41250;
        this.acked = true;
        // Discord: the first heartbeat comes after interval * jitter, jitter in [0, 1).
        this.scheduleHeartbeat(this.heartbeatInterval * this.random());
        if (this.sessionId !== null && this.seq !== null) this.sendResume();
        else this.sendIdentify();
        break;
      }
      case Op.HeartbeatAck:
        this.acked = true;
        break;
      case Op.Heartbeat:
        // The server asks for one now.
        this.send({ op: Op.Heartbeat, d: this.seq });
        break;
      case Op.Dispatch: {
        if (typeof frame.s === 'number') this.seq = frame.s;
        const t = frame.t ?? '';
        if (t === 'READY') {
          const d = frame.d as { session_id?: string };
          this.sessionId = d.session_id ?? null;
          this.attempts = 0;
          this.setState('connected');
        } else if (t === 'RESUMED') {
          this.attempts = 0;
          this.setState('connected');
        }
        this.opts.onDispatch?.(t, frame.d, frame.s ?? 0);
        break;
      }
      case Op.Reconnect:
        // The server is going away: reconnect and resume.
        this.reconnect(true, true);
        break;
      case Op.InvalidSession: {
        const resumable = frame.d === true;
        if (resumable && this.sessionId !== null) {
          this.reconnect(true, false);
        } else {
          // Not resumable: identify again on this connection.
          this.sessionId = null;
          this.seq = null;
          this.setState('connecting');
          this.sendIdentify();
        }
        break;
      }
      default:
        break;
    }
  }

  private sendIdentify(): void {
    const token = this.opts.getToken();
    if (!token) {
      this.authFailed();
      return;
    }
    this.send({
      op: Op.Identify,
      d: {
        token,
        properties: this.opts.properties ?? { os: 'browser', browser: 'hearth-web', device: 'hearth-web' },
        presence: { status: 'online', activities: [], since: null, afk: false },
      },
    });
  }

  private sendResume(): void {
    const token = this.opts.getToken();
    if (!token) {
      this.authFailed();
      return;
    }
    this.setState('resuming');
    this.send({ op: Op.Resume, d: { token, session_id: this.sessionId, seq: this.seq } });
  }

  private scheduleHeartbeat(ms: number): void {
    if (this.heartbeatTimer !== null) this.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = this.clock.setTimeout(() => {
      this.heartbeatTimer = null;
      this.heartbeat();
    }, ms);
  }

  private heartbeat(): void {
    if (!this.acked) {
      // No ACK since the last heartbeat: a zombie connection. Drop it and resume.
      this.reconnect(true, false);
      return;
    }
    this.acked = false;
    this.send({ op: Op.Heartbeat, d: this.seq });
    this.scheduleHeartbeat(this.heartbeatInterval);
  }

  private onClose(code: number): void {
    this.ws = null;
    this.clearTimers();
    if (this.stopped) return;
    if (code === 4004) {
      this.authFailed();
      return;
    }
    if (IDENTIFY_AGAIN.has(code)) {
      this.sessionId = null;
      this.seq = null;
    }
    this.scheduleReconnect(false);
  }

  /** Close the current socket (if any) and connect again, keeping the session when `resume`. */
  private reconnect(resume: boolean, immediate: boolean): void {
    if (!resume) {
      this.sessionId = null;
      this.seq = null;
    }
    this.dropSocket(CLIENT_RECONNECT_CLOSE);
    this.clearTimers();
    this.scheduleReconnect(immediate);
  }

  private scheduleReconnect(immediate: boolean): void {
    if (this.stopped) return;
    this.setState('reconnecting');
    const delay = immediate ? 0 : backoffDelay(this.attempts, this.random, this.opts.backoffBaseMs, this.opts.backoffMaxMs);
    this.attempts++;
    this.reconnectTimer = this.clock.setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private authFailed(): void {
    this.stopped = true;
    this.clearTimers();
    this.sessionId = null;
    this.seq = null;
    this.dropSocket(1000);
    this.setState('signed_out');
    this.opts.onAuthFailed?.();
  }

  private dropSocket(code: number): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onmessage = null;
      ws.onclose = null;
      ws.onerror = null;
      try {
        ws.close(code);
      } catch {
        /* already closed */
      }
    }
  }

  private clearTimers(): void {
    if (this.heartbeatTimer !== null) this.clock.clearTimeout(this.heartbeatTimer);
    if (this.reconnectTimer !== null) this.clock.clearTimeout(this.reconnectTimer);
    this.heartbeatTimer = null;
    this.reconnectTimer = null;
  }
}

/** The same-origin gateway URL for a page location. */
export function gatewayUrl(loc: { protocol: string; host: string }): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/gateway?v=10&encoding=json`;
}
