import { describe, it, expect } from 'vitest';
import { ApiError, createClient } from './client';

function res(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

describe('api client', () => {
  it('sends the bearer token and JSON body, and parses the answer', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const api = createClient({
      getToken: () => 'tok',
      fetch: async (url, init) => {
        calls.push([String(url), init]);
        return res(201, { id: '1' });
      },
    });
    const out = await api.request<{ id: string }>('POST', '/guilds', { name: 'x' }, { a: 1, b: undefined });
    expect(out).toEqual({ id: '1' });
    expect(calls[0]?.[0]).toBe('/api/v1/guilds?a=1');
    const headers = calls[0]?.[1]?.headers as Record<string, string>;
    expect(headers['Authorization']).toBe('Bearer tok');
    expect(headers['Content-Type']).toBe('application/json');
    expect(calls[0]?.[1]?.body).toBe('{"name":"x"}');
  });

  it('marks bodiless writes keepalive so an ack sent on pagehide completes; reads and bodies stay normal', async () => {
    const inits: (RequestInit | undefined)[] = [];
    const api = createClient({
      getToken: () => 'tok',
      fetch: async (_url, init) => {
        inits.push(init);
        return new Response(null, { status: 204 });
      },
    });
    await api.request('POST', '/channels/1/messages/2/ack');
    await api.request('GET', '/users/@me');
    await api.request('POST', '/channels/1/messages', { content: 'x' });
    expect(inits.map((i) => i?.keepalive === true)).toEqual([true, false, false]);
  });

  it('sends extra headers such as X-Audit-Log-Reason, without letting them replace the token', async () => {
    const seen: Record<string, string>[] = [];
    const api = createClient({
      getToken: () => 'tok',
      fetch: async (_url, init) => {
        seen.push(init?.headers as Record<string, string>);
        return new Response(null, { status: 204 });
      },
    });
    await api.request('DELETE', '/guilds/1/members/2', undefined, undefined, { 'X-Audit-Log-Reason': 'spam%20bot', Authorization: 'Bearer forged' });
    expect(seen[0]?.['X-Audit-Log-Reason']).toBe('spam%20bot');
    expect(seen[0]?.['Authorization']).toBe('Bearer tok');
    await api.request('GET', '/x');
    expect(seen[1]?.['X-Audit-Log-Reason']).toBeUndefined();
  });

  it('returns undefined for 204', async () => {
    const api = createClient({ getToken: () => null, fetch: async () => new Response(null, { status: 204 }) });
    expect(await api.request('DELETE', '/x')).toBeUndefined();
  });

  it('parses the error shape into ApiError', async () => {
    const api = createClient({
      getToken: () => null,
      fetch: async () => res(400, { error: { code: 'VALIDATION_FAILED', message: 'validation failed', fields: { username: 'too short' } } }),
    });
    const err = await api.request('POST', '/auth/register', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', fields: { username: 'too short' } });
  });

  it('copes with a non-JSON error body', async () => {
    const api = createClient({ getToken: () => null, fetch: async () => new Response('oops', { status: 502, statusText: 'Bad Gateway' }) });
    await expect(api.request('GET', '/x')).rejects.toMatchObject({ status: 502, code: 'HTTP_502' });
  });

  it('waits Retry-After once on 429, then succeeds', async () => {
    const sleeps: number[] = [];
    let n = 0;
    const api = createClient({
      getToken: () => null,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      fetch: async () => (n++ === 0 ? res(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }, { 'Retry-After': '2' }) : res(200, { ok: true })),
    });
    expect(await api.request('GET', '/x')).toEqual({ ok: true });
    expect(sleeps).toEqual([2000]);
  });

  it('surfaces a long 429 wait as an error with retryAfter', async () => {
    const api = createClient({
      getToken: () => null,
      sleep: async () => {
        throw new Error('should not sleep');
      },
      fetch: async () => res(429, { error: { code: 'SLOW_MODE', message: 'slow mode' } }, { 'Retry-After': '60' }),
    });
    await expect(api.request('POST', '/x', {})).rejects.toMatchObject({ code: 'SLOW_MODE', retryAfter: 60 });
  });

  it('reports 401 UNAUTHORIZED on a bearer request', async () => {
    let signedOut = 0;
    const api = createClient({
      getToken: () => 'dead',
      onUnauthorized: () => signedOut++,
      fetch: async () => res(401, { error: { code: 'UNAUTHORIZED', message: 'no' } }),
    });
    await expect(api.request('GET', '/users/@me')).rejects.toBeInstanceOf(ApiError);
    expect(signedOut).toBe(1);
  });

  it('turns a network failure into NETWORK_ERROR', async () => {
    const api = createClient({
      getToken: () => null,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(api.request('GET', '/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });
});
