import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { isAbortError } from '../api/endpoints/uploads';
import { MAX_DESCRIPTION_CHARS, addFiles, cancelUpload, clearFiles, filesOf, isUploading, pendingFiles, percent, removeFile, setDescription, setObjectUrls, setSpoiler, trackUpload, uploads } from './uploads';

let created: string[] = [];
let revoked: string[] = [];

beforeEach(() => {
  created = [];
  revoked = [];
  setObjectUrls({
    create: () => {
      const u = `blob:test/${created.length}`;
      created.push(u);
      return u;
    },
    revoke: (u) => revoked.push(u),
  });
});

afterEach(() => {
  pendingFiles.set({});
});

const png = (n = 10) => new Blob([new Uint8Array(n)], { type: 'image/png' });
const txt = () => new Blob(['x'], { type: 'text/plain' });

describe('the per-channel file tray', () => {
  it('keeps each channel’s files apart, with previews for images only', () => {
    addFiles('100', [
      { blob: png(), name: 'cat.png' },
      { blob: txt(), name: 'notes.txt' },
    ]);
    addFiles('200', [{ blob: png(), name: 'dog.png' }]);
    expect(filesOf('100').map((f) => [f.filename, f.previewUrl, f.size])).toEqual([
      ['cat.png', 'blob:test/0', 10],
      ['notes.txt', null, 1],
    ]);
    expect(filesOf('200').map((f) => f.filename)).toEqual(['dog.png']);
  });

  it('revokes a preview when its file is removed, and when the tray is cleared', () => {
    addFiles('100', [
      { blob: png(), name: 'a.png' },
      { blob: png(), name: 'b.png' },
      { blob: png(), name: 'c.png' },
    ]);
    const [a, b] = filesOf('100');
    removeFile('100', a!.key);
    expect(revoked).toEqual(['blob:test/0']);
    expect(filesOf('100').map((f) => f.key)).not.toContain(a!.key);
    clearFiles('100');
    expect(revoked).toEqual(['blob:test/0', 'blob:test/1', 'blob:test/2']);
    expect(get(pendingFiles)['100']).toBeUndefined();
    expect(b).toBeDefined();
  });

  it('toggles the spoiler by the SPOILER_ prefix', () => {
    addFiles('100', [{ blob: png(), name: 'cat.png' }]);
    const key = filesOf('100')[0]!.key;
    setSpoiler('100', key, true);
    expect(filesOf('100')[0]!.filename).toBe('SPOILER_cat.png');
    setSpoiler('100', key, true);
    expect(filesOf('100')[0]!.filename).toBe('SPOILER_cat.png');
    setSpoiler('100', key, false);
    expect(filesOf('100')[0]!.filename).toBe('cat.png');
  });

  it('keeps alt text within the server’s 1024 characters', () => {
    addFiles('100', [{ blob: png(), name: 'cat.png' }]);
    const key = filesOf('100')[0]!.key;
    setDescription('100', key, 'a cat');
    expect(filesOf('100')[0]!.description).toBe('a cat');
    setDescription('100', key, '🐈'.repeat(MAX_DESCRIPTION_CHARS + 5));
    expect([...filesOf('100')[0]!.description]).toHaveLength(MAX_DESCRIPTION_CHARS);
  });

  it('ignores changes to files that are gone', () => {
    addFiles('100', [{ blob: png(), name: 'cat.png' }]);
    const before = get(pendingFiles);
    setSpoiler('100', 'nope', true);
    removeFile('100', 'nope');
    expect(get(pendingFiles)).toBe(before);
  });
});

describe('tracked uploads', () => {
  it('shows progress while running and forgets it when done', async () => {
    let report: (l: number, t: number) => void = () => {};
    let finish: (v: string) => void = () => {};
    const done = trackUpload('100', 500, (_signal, progress) => {
      report = progress;
      return new Promise<string>((r) => (finish = r));
    });
    expect(get(uploads)['100']).toEqual({ loaded: 0, total: 500 });
    expect(isUploading('100')).toBe(true);
    report(250, 500);
    expect(percent(get(uploads)['100']!)).toBe(50);
    finish('ok');
    expect(await done).toBe('ok');
    expect(get(uploads)['100']).toBeUndefined();
    expect(isUploading('100')).toBe(false);
  });

  it('refuses a second upload in the same channel while one runs', async () => {
    let finish: () => void = () => {};
    const first = trackUpload('100', 1, () => new Promise<void>((r) => (finish = r)));
    await expect(trackUpload('100', 1, async () => {})).rejects.toThrow(/already/);
    finish();
    await first;
  });

  it('cancels through the channel’s signal', async () => {
    const done = trackUpload(
      '100',
      1,
      (signal) =>
        new Promise<void>((_, reject) => {
          signal.addEventListener('abort', () => reject(new DOMException('cancelled', 'AbortError')));
        }),
    );
    cancelUpload('100');
    const err = await done.catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
    expect(get(uploads)['100']).toBeUndefined();
  });

  it('rounds percentages down and bounds them', () => {
    expect(percent({ loaded: 999, total: 1000 })).toBe(99);
    expect(percent({ loaded: 2000, total: 1000 })).toBe(100);
    expect(percent({ loaded: 5, total: 0 })).toBe(0);
  });
});
