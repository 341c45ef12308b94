/**
 * Starts and stops a real `hearth serve` for the browser tests: a fresh SQLite data directory, a free
 * loopback port, the web client from web/dist. `restart()` keeps the data directory and port, so a
 * test can check that clients recover from a server restart. `env` adds configuration the usual way
 * (`HEARTH_MEDIA__MAX_FILE_BYTES: '1048576'`), for tests about limits.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const webDir = resolve(import.meta.dirname, '..');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

export function binaryPath() {
  const target = process.env.CARGO_TARGET_DIR ?? resolve(webDir, '..', 'target');
  const bin = process.env.HEARTH_BIN ?? join(target, 'debug', 'hearth');
  if (!existsSync(bin)) throw new Error(`${bin} not found: build it with cargo build -p hearth-server --bin hearth`);
  if (!existsSync(join(webDir, 'dist', 'index.html'))) throw new Error('web/dist is not built: run npm run build in web/');
  return bin;
}

/**
 * The environment minus this harness's own `HEARTH_E2E_*` and `HEARTH_BIN` settings: the server
 * reads every `HEARTH_*` variable as configuration and refuses to start on unknown ones.
 */
function serverEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('HEARTH_E2E_') && k !== 'HEARTH_BIN'));
}

export class HearthServer {
  constructor({ env = {} } = {}) {
    this.bin = binaryPath();
    this.env = env;
    this.data = mkdtempSync(join(tmpdir(), 'hearth-e2e-'));
    this.port = 0;
    this.proc = null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    if (!this.port) this.port = await freePort();
    const log = openSync(join(this.data, 'server.log'), 'a');
    this.proc = spawn(this.bin, ['serve'], {
      env: {
        ...serverEnv(process.env),
        HEARTH_DATA_DIR: this.data,
        HEARTH_LISTEN: `127.0.0.1:${this.port}`,
        HEARTH_HTTP__WEB_DIR: join(webDir, 'dist'),
        RUST_LOG: process.env.RUST_LOG ?? 'warn',
        ...this.env,
      },
      stdio: ['ignore', log, log],
    });
    const exited = new Promise((_, fail) => this.proc.once('exit', (code) => fail(new Error(`hearth serve exited with ${code}; see ${this.data}/server.log`))));
    await Promise.race([this.waitReady(), exited]);
  }

  async waitReady() {
    for (let i = 0; i < 300; i++) {
      try {
        const r = await fetch(`${this.url}/readyz`);
        if (r.ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('hearth serve did not become ready within 30 s');
  }

  async stop() {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    this.proc = null;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }

  async restart() {
    await this.stop();
    await this.start();
  }

  async dispose() {
    await this.stop();
    if (!process.env.HEARTH_E2E_KEEP) rmSync(this.data, { recursive: true, force: true });
  }

  /** A JSON API call, for setup that is not what a test is about. */
  async api(method, path, token, body) {
    const r = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
}
