// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import { get } from 'svelte/store';
import Composer from '../Composer.svelte';
import { chat } from '../../lib/app';
import { applyEvent, emptyState, historyLoaded } from '../../lib/stores/chat';
import { session } from '../../lib/stores/session';
import { drafts, replyTo } from '../../lib/stores/composer';
import { filesOf, pendingFiles, setObjectUrls, uploads } from '../../lib/stores/uploads';

const VIEW_SEND_HISTORY = (1n << 10n) | (1n << 11n) | (1n << 16n);
const ATTACH = 1n << 15n;
const me = { id: '1', username: 'ada', global_name: 'Ada', bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' };
const LIMITS = { max_file_bytes: 1000, max_files_per_message: 3, max_image_bytes: 1000, max_emoji_bytes: 100 };

let target: HTMLElement;
let app: ReturnType<typeof mount> | null = null;

/** The XMLHttpRequest the upload endpoint creates; the test answers it. */
class FakeXhr {
  static last: FakeXhr | null = null;
  url = '';
  body: FormData | null = null;
  status = 0;
  statusText = '';
  responseText = '';
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(_m: string, url: string) {
    this.url = url;
  }
  setRequestHeader() {}
  getResponseHeader() {
    return null;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

function setup(everyone: bigint) {
  let s = applyEvent(emptyState(), 'READY', { user: { ...me, admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }] });
  s = applyEvent(s, 'GUILD_CREATE', {
    id: '10',
    name: 'Hearthside',
    owner_id: '999',
    roles: [{ id: '10', name: '@everyone', permissions: String(everyone), position: 0, color: 0, hoist: false, mentionable: false, managed: false }],
    member_count: 1,
    channels: [{ id: '100', guild_id: '10', name: 'general', type: 0, position: 0, parent_id: null, rate_limit_per_user: 0, permission_overwrites: [], nsfw: false }],
    members: [{ user: me, nick: null, roles: [], joined_at: '2026-01-01T00:00:00Z', pending: false }],
    presences: [],
  });
  chat.set(historyLoaded(s, '100', [], 50, null));
  session.set({ token: 't', user: { ...me, admin: false, owner: false, mfa_enabled: false } as never });
  app = mount(Composer, { target, props: { channelId: '100', channelName: 'general' } });
  flushSync();
}

async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
  flushSync();
}

const file = (name: string, size: number, type = 'image/png') => new File([new Uint8Array(size)], name, { type });

async function pick(...files: File[]) {
  const input = target.querySelector('input[type=file]') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await settle();
}

function type(value: string) {
  const ta = target.querySelector('#composer-input') as HTMLTextAreaElement;
  ta.value = value;
  ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value.slice(-1) }));
  flushSync();
}

beforeEach(() => {
  target = document.createElement('div');
  document.body.appendChild(target);
  FakeXhr.last = null;
  let n = 0;
  setObjectUrls({ create: () => `blob:test/${n++}`, revoke: () => {} });
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  vi.stubGlobal('fetch', async (url: string) =>
    String(url).endsWith('/instance') ? new Response(JSON.stringify({ name: 'x', description: '', terms: '', privacy: '', registration_mode: 'open', media: LIMITS }), { status: 200 }) : new Response(null, { status: 204 }),
  );
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  target.remove();
  drafts.set({});
  replyTo.set({});
  pendingFiles.set({});
  vi.unstubAllGlobals();
});

describe('attaching files in the composer', () => {
  it('has no attach button without ATTACH_FILES, and a dropped file is neither attached nor opened', async () => {
    setup(VIEW_SEND_HISTORY);
    expect(target.querySelector('[aria-label="Attach files"]')).toBeNull();
    expect(target.querySelector('input[type=file]')).toBeNull();
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { types: ['Files'], files: [file('x.png', 1)] } });
    document.body.dispatchEvent(drop);
    await settle();
    expect(drop.defaultPrevented).toBe(true);
    expect(filesOf('100')).toHaveLength(0);
    expect(document.body.textContent).not.toContain('Upload to');
  });

  it('puts picked files in the tray with name, size and a preview; spoiler and remove work', async () => {
    setup(VIEW_SEND_HISTORY | ATTACH);
    await pick(file('cat.png', 300), file('notes.txt', 20, 'text/plain'));
    const items = [...target.querySelectorAll('ul[aria-label="Files to send"] > li')];
    expect(items).toHaveLength(2);
    expect(items[0]?.textContent).toContain('cat.png');
    expect(items[0]?.textContent).toContain('300 B');
    expect(items[0]?.querySelector('img')?.getAttribute('src')).toBe('blob:test/0');
    expect(items[1]?.querySelector('img')).toBeNull();
    (target.querySelector('[aria-label="Mark cat.png as spoiler"]') as HTMLButtonElement).click();
    flushSync();
    expect(filesOf('100')[0]?.filename).toBe('SPOILER_cat.png');
    expect(target.querySelector('[aria-label="Mark cat.png as spoiler"]')?.getAttribute('aria-pressed')).toBe('true');
    (target.querySelector('[aria-label="Remove notes.txt"]') as HTMLButtonElement).click();
    flushSync();
    expect(filesOf('100').map((f) => f.filename)).toEqual(['SPOILER_cat.png']);
  });

  it('refuses files over the instance’s limits with a message, keeping the ones that fit', async () => {
    setup(VIEW_SEND_HISTORY | ATTACH);
    await pick(file('ok.png', 10), file('huge.png', 1001));
    expect(filesOf('100').map((f) => f.filename)).toEqual(['ok.png']);
    expect(target.querySelector('[role=alert]')?.textContent).toContain('“huge.png”');
    await pick(file('b.png', 1), file('c.png', 1), file('d.png', 1));
    expect(filesOf('100')).toHaveLength(3);
    expect(target.querySelector('[role=alert]')?.textContent).toContain('at most 3 files');
  });

  it('takes pasted and dropped files (a drop zone shows while files are dragged)', async () => {
    setup(VIEW_SEND_HISTORY | ATTACH);
    const paste = new Event('paste', { bubbles: true, cancelable: true });
    Object.defineProperty(paste, 'clipboardData', { value: { files: [file('screenshot.png', 5)] } });
    (target.querySelector('#composer-input') as HTMLElement).dispatchEvent(paste);
    await settle();
    expect(paste.defaultPrevented).toBe(true);
    expect(filesOf('100').map((f) => f.filename)).toEqual(['screenshot.png']);

    const drag = (kind: string, files: File[] = []) => {
      const e = new Event(kind, { bubbles: true, cancelable: true });
      Object.defineProperty(e, 'dataTransfer', { value: { types: ['Files'], files, dropEffect: 'none' } });
      document.body.dispatchEvent(e);
      flushSync();
      return e;
    };
    drag('dragenter');
    expect(document.body.textContent).toContain('Upload to #general');
    expect(drag('dragover').defaultPrevented).toBe(true);
    drag('drop', [file('dropped.txt', 3, 'text/plain')]);
    await settle();
    expect(document.body.textContent).not.toContain('Upload to #general');
    expect(filesOf('100').map((f) => f.filename)).toEqual(['screenshot.png', 'dropped.txt']);
  });

  it('uploads with a progress bar; cancel keeps the files and the text', async () => {
    setup(VIEW_SEND_HISTORY | ATTACH);
    await pick(file('cat.png', 400));
    type('look');
    (target.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await settle();
    const xhr = FakeXhr.last!;
    expect(xhr.url).toBe('/api/v1/channels/100/messages');
    expect(JSON.parse(String(xhr.body?.get('payload_json')))).toMatchObject({ content: 'look', attachments: [{ id: 0, filename: 'cat.png' }] });
    xhr.upload.onprogress?.({ loaded: 100, total: 400, lengthComputable: true });
    flushSync();
    const bar = target.querySelector('[role=progressbar]') as HTMLElement;
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(target.textContent).toContain('25%');
    expect((target.querySelector('button[type=submit]') as HTMLButtonElement).disabled).toBe(true);
    (target.querySelector('.cancel') as HTMLButtonElement).click();
    await settle();
    expect(target.querySelector('[role=progressbar]')).toBeNull();
    expect(filesOf('100').map((f) => f.filename)).toEqual(['cat.png']);
    expect(get(drafts)['100']).toBe('look');
    expect(target.querySelector('[role=alert]')).toBeNull();
  });

  it('a failed upload shows the server’s reason and keeps everything; a sent one empties tray and input', async () => {
    setup(VIEW_SEND_HISTORY | ATTACH);
    await pick(file('cat.png', 400));
    (target.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await settle();
    FakeXhr.last!.respond(400, { error: { code: 'QUOTA_EXCEEDED', message: 'Your storage quota is used up.' } });
    await settle();
    expect(target.querySelector('[role=alert]')?.textContent).toContain('Your storage quota is used up.');
    expect(filesOf('100')).toHaveLength(1);

    type('now it works');
    (target.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await settle();
    FakeXhr.last!.respond(201, { id: '900', channel_id: '100', author: me, content: 'now it works', timestamp: '2026-11-23T10:00:00Z', attachments: [], embeds: [], reactions: [], type: 0 });
    await settle();
    expect(filesOf('100')).toHaveLength(0);
    expect(get(drafts)['100']).toBeUndefined();
    expect((target.querySelector('#composer-input') as HTMLTextAreaElement).value).toBe('');
    expect(get(uploads)['100']).toBeUndefined();
    expect(get(chat).messages['100']?.map((m) => m.id)).toEqual(['900']);
  });
});
