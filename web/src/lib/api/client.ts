/** A tiny typed HTTP layer over fetch: bearer token, JSON, typed errors, minimal 429 handling. */

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  /** Seconds from `Retry-After`, when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }
}

function isErrorBody(v: unknown): v is ApiErrorBody {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

/** Parse a failed response into an ApiError, whatever its body is. */
export async function parseError(res: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    text = '';
  }
  return errorFromText(res.status, res.statusText, text, res.headers.get('Retry-After'));
}

/** The same from a failed answer's parts (XMLHttpRequest has no Response). */
export function errorFromText(status: number, statusText: string, text: string, retryAfterHeader: string | null): ApiError {
  const ra = retryAfterHeader;
  const retryAfter = ra !== null && ra !== '' && !Number.isNaN(Number(ra)) ? Number(ra) : null;
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (isErrorBody(body)) {
    return new ApiError(status, body.error.code, body.error.message, body.error.fields ?? {}, retryAfter);
  }
  return new ApiError(status, status === 0 ? 'NETWORK_ERROR' : 'HTTP_' + String(status), statusText || 'request failed', {}, retryAfter);
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ClientOptions {
  base?: string;
  getToken: () => string | null;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Called when a bearer request answers 401 (the token is dead). */
  onUnauthorized?: () => void;
  /** How long a 429 may make us wait before retrying once; longer waits surface as errors. */
  maxRetryWaitSecs?: number;
}

export interface ApiClient {
  /** `headers`: extra request headers (e.g. `X-Audit-Log-Reason`); they cannot replace Authorization or Content-Type. */
  request<T>(method: Method, path: string, body?: unknown, query?: Record<string, string | number | undefined | null>, headers?: Record<string, string>): Promise<T>;
  /** For a request made outside fetch (uploads use XMLHttpRequest for its progress events). */
  prepare(path: string): PreparedRequest;
}

export interface PreparedRequest {
  url: string;
  /** Accept and, when signed in, Authorization. */
  headers: Record<string, string>;
  /** Hand a failed answer's error back here: a dead token signs out, as with request(). */
  failed(err: ApiError): ApiError;
}

export function createClient(opts: ClientOptions): ApiClient {
  const base = opts.base ?? '/api/v1';
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxWait = opts.maxRetryWaitSecs ?? 5;

  async function request<T>(method: Method, path: string, body?: unknown, query?: Record<string, string | number | undefined | null>, extra?: Record<string, string>): Promise<T> {
    let url = base + path;
    if (query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) qs.set(k, String(v));
      const s = qs.toString();
      if (s) url += '?' + s;
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...extra };
    const token = opts.getToken();
    if (token) headers['Authorization'] = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    // Bodiless writes (read-marker acks, typing, sign-out) may be sent as the page goes away
    // (pagehide): keepalive lets them finish. Requests with bodies stay normal, because keepalive
    // requests share a 64 KiB budget.
    else if (method !== 'GET') init.keepalive = true;

    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(url, init);
      } catch (e) {
        throw new ApiError(0, 'NETWORK_ERROR', e instanceof Error ? e.message : 'network error');
      }
      if (res.ok) {
        if (res.status === 204) return undefined as T;
        const text = await res.text();
        return (text ? JSON.parse(text) : undefined) as T;
      }
      const err = await parseError(res);
      if (res.status === 429 && attempt === 0 && err.retryAfter !== null && err.retryAfter <= maxWait) {
        await sleep(err.retryAfter * 1000);
        continue;
      }
      if (res.status === 401 && token && err.code === 'UNAUTHORIZED') opts.onUnauthorized?.();
      throw err;
    }
  }

  function prepare(path: string): PreparedRequest {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = opts.getToken();
    if (token) headers['Authorization'] = 'Bearer ' + token;
    const failed = (err: ApiError) => {
      if (err.status === 401 && token && err.code === 'UNAUTHORIZED') opts.onUnauthorized?.();
      return err;
    };
    return { url: base + path, headers, failed };
  }
  return { request, prepare };
}
