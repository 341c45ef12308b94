import { describe, expect, it } from 'vitest';
import { ApiError, createClient } from '../client';
import { isAbortError, uploadEndpoints, type XhrLike } from './uploads';

/** Node has no ProgressEvent; the code reads only these fields. */
const ev = (loaded = 0, total = 0, lengthComputable = false) => ({ loaded, total, lengthComputable }) as ProgressEvent;

/** An XMLHttpRequest stand-in: records the request; the test drives progress and the answer. */
class FakeXhr implements XhrLike {
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  aborted = false;
  status = 0;
  statusText = '';
  responseText = '';
  responseHeaders: Record<string, string> = {};
  upload: XhrLike['upload'] = { onprogress: null };
  onload: XhrLike['onload'] = null;
  onerror: XhrLike['onerror'] = null;
  onabort: XhrLike['onabort'] = null;
  ontimeout: XhrLike['ontimeout'] = null;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.(ev());
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name] ?? null;
  }
  progress(loaded: number, total: number, computable = true) {
    this.upload.onprogress?.(ev(loaded, total, computable));
  }
  respond(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.status = status;
    this.statusText = status === 201 ? 'Created' : 'Error';
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.responseHeaders = headers;
    this.onload?.(ev());
  }
}

function setup(token: string | null = 'tok') {
  const xhrs: FakeXhr[] = [];
  let signedOut = 0;
  const client = createClient({ getToken: () => token, onUnauthorized: () => signedOut++ });
  const api = uploadEndpoints(client, () => {
    const x = new FakeXhr();
    xhrs.push(x);
    return x;
  });
  return { api, xhrs, signedOut: () => signedOut };
}

const png = () => new Blob([new Uint8Array(300)], { type: 'image/png' });
const text = () => new Blob(['hello'], { type: 'text/plain' });

describe('sending a message with files', () => {
  it('posts multipart payload_json and files[n] with the bearer token and no hand-made Content-Type', async () => {
    const { api, xhrs } = setup();
    const done = api.sendMessageWithFiles('100', { content: '', nonce: 'n1' }, [
      { blob: png(), filename: 'SPOILER_cat.png', description: 'a cat' },
      { blob: text(), filename: 'notes.txt' },
    ]);
    const x = xhrs[0]!;
    expect(x.method).toBe('POST');
    expect(x.url).toBe('/api/v1/channels/100/messages');
    expect(x.headers['Authorization']).toBe('Bearer tok');
    expect(x.headers['Accept']).toBe('application/json');
    expect(Object.keys(x.headers).map((h) => h.toLowerCase())).not.toContain('content-type');
    const payload = JSON.parse(String(x.body?.get('payload_json')));
    expect(payload).toEqual({
      content: '',
      nonce: 'n1',
      attachments: [
        { id: 0, filename: 'SPOILER_cat.png', description: 'a cat' },
        { id: 1, filename: 'notes.txt' },
      ],
    });
    const f0 = x.body?.get('files[0]') as File;
    const f1 = x.body?.get('files[1]') as File;
    expect(f0.name).toBe('SPOILER_cat.png');
    expect(f0.size).toBe(300);
    expect(f1.name).toBe('notes.txt');
    expect(x.body?.get('files[2]')).toBeNull();
    x.respond(201, { id: '900', content: '' });
    expect(await done).toEqual({ id: '900', content: '' });
  });

  it('reports upload progress, using the files’ size when the browser cannot compute the total', async () => {
    const { api, xhrs } = setup();
    const seen: [number, number][] = [];
    const done = api.sendMessageWithFiles('100', { content: 'hi' }, [{ blob: png(), filename: 'a.png' }], { onProgress: (l, t) => seen.push([l, t]) });
    xhrs[0]!.progress(100, 420);
    xhrs[0]!.progress(420, 420);
    xhrs[0]!.progress(50, 0, false);
    xhrs[0]!.respond(201, { id: '1' });
    await done;
    expect(seen).toEqual([
      [100, 420],
      [420, 420],
      [50, 300],
    ]);
  });

  it('maps the error envelope to ApiError with the code and Retry-After', async () => {
    const { api, xhrs } = setup();
    const done = api.sendMessageWithFiles('100', { content: '' }, [{ blob: png(), filename: 'big.png' }]);
    xhrs[0]!.respond(413, { error: { code: 'FILE_TOO_LARGE', message: 'The file is too large.' } }, { 'Retry-After': '3' });
    const err = await done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(413);
    expect((err as ApiError).code).toBe('FILE_TOO_LARGE');
    expect((err as ApiError).message).toBe('The file is too large.');
    expect((err as ApiError).retryAfter).toBe(3);
  });

  it('maps an answer without an envelope to HTTP_<status>, and a network failure to NETWORK_ERROR', async () => {
    const { api, xhrs } = setup();
    const a = api.sendMessageWithFiles('100', { content: '' }, [{ blob: png(), filename: 'a.png' }]);
    xhrs[0]!.respond(502, '<html>bad gateway</html>');
    expect(await a.catch((e: ApiError) => e.code)).toBe('HTTP_502');
    const b = api.sendMessageWithFiles('100', { content: '' }, [{ blob: png(), filename: 'a.png' }]);
    xhrs[1]!.onerror?.(ev());
    expect(await b.catch((e: ApiError) => [e.status, e.code])).toEqual([0, 'NETWORK_ERROR']);
  });

  it('signs out on a 401 UNAUTHORIZED, as the JSON client does', async () => {
    const { api, xhrs, signedOut } = setup();
    const done = api.sendMessageWithFiles('100', { content: '' }, [{ blob: png(), filename: 'a.png' }]);
    xhrs[0]!.respond(401, { error: { code: 'UNAUTHORIZED', message: 'Sign in.' } });
    await done.catch(() => {});
    expect(signedOut()).toBe(1);
  });

  it('cancels through the AbortSignal: the request is aborted and the promise rejects with an AbortError', async () => {
    const { api, xhrs } = setup();
    const ctl = new AbortController();
    const done = api.sendMessageWithFiles('100', { content: '' }, [{ blob: png(), filename: 'a.png' }], { signal: ctl.signal });
    xhrs[0]!.progress(10, 300);
    ctl.abort();
    expect(xhrs[0]!.aborted).toBe(true);
    const err = await done.catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
  });

  it('does not send at all when the signal is already aborted', async () => {
    const { api, xhrs } = setup();
    const ctl = new AbortController();
    ctl.abort();
    const err = await api.sendMessageWithFiles('100', { content: '' }, [{ blob: png(), filename: 'a.png' }], { signal: ctl.signal }).catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
    expect(xhrs).toHaveLength(0);
  });

  it('sends no Authorization header when signed out', async () => {
    const { api, xhrs } = setup(null);
    const done = api.sendMessageWithFiles('100', { content: '' }, [{ blob: png(), filename: 'a.png' }]);
    expect(xhrs[0]!.headers['Authorization']).toBeUndefined();
    xhrs[0]!.respond(201, { id: '1' });
    await done;
  });
});
