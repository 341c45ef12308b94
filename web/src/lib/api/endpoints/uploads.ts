/**
 * Sending a message with files: `multipart/form-data` (`payload_json` + `files[n]`) through
 * XMLHttpRequest, because fetch reports no upload progress. Same base URL, bearer token and error
 * mapping as the JSON client (client.ts `prepare`). No retry after a 429: a large body is not sent
 * twice behind the user's back.
 */
import { ApiError, errorFromText, type ApiClient } from '../client';
import type { Message } from '../types';
import type { components } from '../schema';
import type { AttachmentDescriptor } from '../../media/types';

/**
 * The usual CreateMessage body; `content` may be empty when files are attached. Its `attachments`
 * are the client's descriptors, whose `id` is the part number (see AttachmentDescriptor).
 */
export type CreateMessageWithFiles = Omit<components['schemas']['CreateMessage'], 'attachments'> & { attachments?: AttachmentDescriptor[] };

export interface UploadFile {
  blob: Blob;
  filename: string;
  /** Alt text. */
  description?: string;
}

export interface UploadOptions {
  /** Bytes of the request body sent so far, of `total`. */
  onProgress?: (loaded: number, total: number) => void;
  /** Aborting cancels the upload; the promise then rejects with an `AbortError` DOMException. */
  signal?: AbortSignal;
}

/** The parts of XMLHttpRequest an upload uses (tests pass a fake). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  getResponseHeader(name: string): string | null;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  upload: { onprogress: ((e: ProgressEvent) => void) | null };
  onload: ((e: ProgressEvent) => void) | null;
  onerror: ((e: ProgressEvent) => void) | null;
  onabort: ((e: ProgressEvent) => void) | null;
  ontimeout: ((e: ProgressEvent) => void) | null;
}

export function isAbortError(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

function abortError(): DOMException {
  return new DOMException('The upload was cancelled.', 'AbortError');
}

/** The multipart body: `payload_json` names each file part with its alt text and filename. */
export function uploadForm(body: CreateMessageWithFiles, files: readonly UploadFile[]): FormData {
  const attachments: AttachmentDescriptor[] = files.map((f, i) => ({ id: i, filename: f.filename, ...(f.description ? { description: f.description } : {}) }));
  const form = new FormData();
  form.append('payload_json', JSON.stringify({ ...body, attachments }));
  files.forEach((f, i) => form.append(`files[${i}]`, f.blob, f.filename));
  return form;
}

export function uploadEndpoints(api: ApiClient, createXhr: () => XhrLike = () => new XMLHttpRequest()) {
  return {
    sendMessageWithFiles(channelId: string, body: CreateMessageWithFiles, files: readonly UploadFile[], opts: UploadOptions = {}): Promise<Message> {
      const { signal, onProgress } = opts;
      if (signal?.aborted) return Promise.reject(abortError());
      const req = api.prepare(`/channels/${channelId}/messages`);
      const total = files.reduce((n, f) => n + f.blob.size, 0);
      return new Promise<Message>((resolve, reject) => {
        const xhr = createXhr();
        const onAbortSignal = () => xhr.abort();
        const settle = (fn: () => void) => {
          signal?.removeEventListener('abort', onAbortSignal);
          fn();
        };
        xhr.open('POST', req.url);
        // No Content-Type: the browser writes multipart/form-data with its boundary.
        for (const [k, v] of Object.entries(req.headers)) xhr.setRequestHeader(k, v);
        xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : total);
        xhr.onload = () =>
          settle(() => {
            if (xhr.status >= 200 && xhr.status < 300) {
              try {
                resolve(JSON.parse(xhr.responseText) as Message);
              } catch {
                reject(new ApiError(xhr.status, 'BAD_RESPONSE', 'The server sent an answer that could not be read.'));
              }
            } else {
              reject(req.failed(errorFromText(xhr.status, xhr.statusText, xhr.responseText, xhr.getResponseHeader('Retry-After'))));
            }
          });
        xhr.onerror = () => settle(() => reject(new ApiError(0, 'NETWORK_ERROR', 'The upload failed: the connection was lost.')));
        xhr.ontimeout = () => settle(() => reject(new ApiError(0, 'NETWORK_ERROR', 'The upload timed out.')));
        xhr.onabort = () => settle(() => reject(abortError()));
        signal?.addEventListener('abort', onAbortSignal, { once: true });
        xhr.send(uploadForm(body, files));
      });
    },
  };
}
