// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createClient } from '../client';
import { endpoints } from '../endpoints';
import { avatarUrl, bannerUrl, emojiUrl, guildIconUrl, imageFileProblem, imageSize, readImageFile, roleIconUrl, ImageFileError, EMOJI_TYPES, IMAGE_TYPES } from './media';

interface Call {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

function recording(answer: (c: Call) => Response = () => new Response(null, { status: 204 })) {
  const calls: Call[] = [];
  const api = endpoints(
    createClient({
      getToken: () => 'tok',
      fetch: async (url, init) => {
        const c: Call = { method: init?.method ?? 'GET', url: String(url), body: init?.body ? JSON.parse(String(init.body)) : undefined, headers: (init?.headers ?? {}) as Record<string, string> };
        calls.push(c);
        return answer(c);
      },
    }),
  );
  return { api, calls };
}

const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'Content-Type': 'application/json' } });
const emoji = { id: '55', name: 'party', roles: [], require_colons: true, managed: false, animated: false, available: true };

describe('emoji endpoints', () => {
  it('list, get, create, rename and delete at the contract paths', async () => {
    const { api, calls } = recording((c) => (c.method === 'DELETE' ? new Response(null, { status: 204 }) : json(c.url.endsWith('/emojis') && c.method === 'GET' ? [emoji] : emoji)));
    expect(await api.guildEmojis('10')).toEqual([emoji]);
    expect(await api.guildEmoji('10', '55')).toEqual(emoji);
    await api.createGuildEmoji('10', { name: 'party', image: 'data:image/png;base64,AAAA' });
    await api.updateGuildEmoji('10', '55', { name: 'fiesta' }, 'tidy up');
    await api.deleteGuildEmoji('10', '55');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/v1/guilds/10/emojis',
      'GET /api/v1/guilds/10/emojis/55',
      'POST /api/v1/guilds/10/emojis',
      'PATCH /api/v1/guilds/10/emojis/55',
      'DELETE /api/v1/guilds/10/emojis/55',
    ]);
    expect(calls[2]?.body).toEqual({ name: 'party', image: 'data:image/png;base64,AAAA' });
    expect(calls[3]?.body).toEqual({ name: 'fiesta' });
    expect(calls[3]?.headers['X-Audit-Log-Reason']).toBe('tidy%20up');
  });

  it('surfaces LIMIT_REACHED as an ApiError with its code', async () => {
    const { api } = recording(() => json({ error: { code: 'LIMIT_REACHED', message: 'too many emoji' } }, 400));
    await expect(api.createGuildEmoji('10', { name: 'ab', image: 'data:image/png;base64,AA' })).rejects.toMatchObject({ status: 400, code: 'LIMIT_REACHED' });
  });

  it('reacts with a custom emoji through its name:id path segment, encoded', async () => {
    const { api, calls } = recording();
    await api.addReaction('1', '2', 'party:123');
    expect(calls[0]?.url).toBe('/api/v1/channels/1/messages/2/reactions/party%3A123/@me');
  });
});

describe('mediaLimits', () => {
  const limits = { max_file_bytes: 100, max_files_per_message: 2, max_image_bytes: 1000, max_emoji_bytes: 10, max_emojis_per_guild: 50 };

  it('asks GET /instance once and hands out its media limits', async () => {
    const { api, calls } = recording(() => json({ name: 'x', media: limits }));
    expect(await api.mediaLimits()).toEqual(limits);
    await api.mediaLimits();
    expect(calls.length).toBe(1);
  });

  it('asks again after a failure', async () => {
    let fail = true;
    const { api, calls } = recording(() => (fail ? json({ error: { code: 'INTERNAL', message: 'x' } }, 500) : json({ name: 'x', media: limits })));
    await expect(api.mediaLimits()).rejects.toMatchObject({ status: 500 });
    fail = false;
    expect(await api.mediaLimits()).toEqual(limits);
    expect(calls.length).toBe(2);
  });
});

describe('image addresses', () => {
  it('avatars: png, gif for a_ hashes, the size asked for; null without a hash', () => {
    expect(avatarUrl({ id: '7', avatar: 'abc123' }, 64)).toBe('/avatars/7/abc123.png?size=64');
    expect(avatarUrl({ id: '7', avatar: 'a_abc123' }, 256)).toBe('/avatars/7/a_abc123.gif?size=256');
    expect(avatarUrl({ id: '7', avatar: null })).toBeNull();
    expect(avatarUrl({ id: '7' })).toBeNull();
  });

  it('banners, guild icons, role icons and emoji', () => {
    expect(bannerUrl({ id: '7', banner: 'bb' })).toBe('/banners/7/bb.png');
    expect(bannerUrl({ id: '9', banner: 'a_bb' })).toBe('/banners/9/a_bb.gif');
    expect(guildIconUrl({ id: '9', icon: 'ic' }, 128)).toBe('/icons/9/ic.png?size=128');
    expect(guildIconUrl({ id: '9', icon: null })).toBeNull();
    expect(roleIconUrl({ id: '3', icon: 'ri' }, 64)).toBe('/role-icons/3/ri.png?size=64');
    expect(emojiUrl({ id: '55' })).toBe('/emojis/55.png');
    expect(emojiUrl({ id: '55', animated: true })).toBe('/emojis/55.gif');
  });

  it('keeps anything that is not a hash or an id out of the URL', () => {
    expect(avatarUrl({ id: '7', avatar: '../../x' })).toBeNull();
    expect(avatarUrl({ id: '7', avatar: 'a'.repeat(65) })).toBeNull();
    expect(avatarUrl({ id: '../7', avatar: 'abc' })).toBeNull();
    expect(guildIconUrl({ id: '9', icon: 'x?y' })).toBeNull();
    expect(emojiUrl({ id: '1/../2' })).toBe('');
    expect(emojiUrl({ id: '1'.repeat(21) })).toBe('');
  });

  it('picks the smallest served size that is sharp for the screen', () => {
    expect(imageSize(32, 1)).toBe(64);
    expect(imageSize(40, 2)).toBe(128);
    expect(imageSize(64, 2)).toBe(128);
    expect(imageSize(80, 3)).toBe(256);
    expect(imageSize(300, 3)).toBe(512);
    expect(imageSize(32, Number.NaN)).toBe(64);
  });
});

describe('reading a picked image', () => {
  const file = (bytes: number, type: string, name = 'x.png') => new File([new Uint8Array(bytes).fill(7)], name, { type });

  it('refuses a file one byte over the limit, takes one at the limit', () => {
    expect(imageFileProblem(file(1024, 'image/png'), IMAGE_TYPES, 1024)).toBeNull();
    expect(imageFileProblem(file(1025, 'image/png'), IMAGE_TYPES, 1024)).toMatch(/limit is 1 KiB/);
    expect(imageFileProblem(file(10_000_000, 'image/png'), IMAGE_TYPES, undefined)).toBeNull();
  });

  it('refuses other types, JPEG for emoji, and empty files; knows the type from the extension when the browser does not', () => {
    expect(imageFileProblem(file(10, 'image/svg+xml', 'x.svg'), IMAGE_TYPES, undefined)).toMatch(/PNG, JPEG, GIF, WEBP/);
    expect(imageFileProblem(file(10, 'image/jpeg', 'x.jpg'), EMOJI_TYPES, undefined)).toMatch(/PNG, GIF, WEBP/);
    expect(imageFileProblem(file(0, 'image/png'), IMAGE_TYPES, undefined)).toMatch(/empty/);
    expect(imageFileProblem(file(10, '', 'party.GIF'), EMOJI_TYPES, undefined)).toBeNull();
    expect(imageFileProblem(file(10, '', 'party'), EMOJI_TYPES, undefined)).not.toBeNull();
  });

  it('reads the file into a data URI', async () => {
    const uri = await readImageFile(new File([new Uint8Array([137, 80, 78, 71])], 'a.png', { type: 'image/png' }), IMAGE_TYPES, 100);
    expect(uri).toBe('data:image/png;base64,iVBORw==');
  });

  it('rejects with a sentence instead of reading a file that does not fit', async () => {
    await expect(readImageFile(file(101, 'image/png'), IMAGE_TYPES, 100)).rejects.toBeInstanceOf(ImageFileError);
  });
});
