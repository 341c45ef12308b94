import { describe, expect, it } from 'vitest';
import { attachmentKind, fileIcon, isAnimated, isSpoiler } from './kind';
import { hasSpoilerPrefix, humanSize, withSpoiler, withoutSpoiler } from './filename';
import { admitFiles, sendProblem } from './limits';
import { fitBox, imageSource, thumbnailWidth, withWidth } from './thumbnail';
import { safeUrl } from './urls';
import { altText, attachmentsOf, embedsOf, lightboxImages } from './view';
import type { Attachment } from './types';

function att(over: Partial<Attachment> = {}): Attachment {
  return { id: '1', filename: 'cat.png', content_type: 'image/png', size: 1000, url: '/attachments/1/1/cat.png?ex=1&hm=2', proxy_url: '/attachments/1/1/cat.png?ex=1&hm=2', width: 800, height: 600, flags: 0, ...over };
}

describe('attachment kinds', () => {
  it('plays inline only the types the contract lists', () => {
    for (const t of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) expect(attachmentKind({ content_type: t })).toBe('image');
    for (const t of ['video/mp4', 'video/webm', 'video/quicktime']) expect(attachmentKind({ content_type: t })).toBe('video');
    for (const t of ['audio/mpeg', 'audio/ogg', 'audio/wav', 'audio/flac', 'audio/webm', 'audio/mp4']) expect(attachmentKind({ content_type: t })).toBe('audio');
    for (const t of ['image/svg+xml', 'image/tiff', 'video/x-msvideo', 'text/html', 'application/pdf', '']) expect(attachmentKind({ content_type: t })).toBe('file');
  });

  it('ignores case and parameters of the type', () => {
    expect(attachmentKind({ content_type: 'Image/PNG' })).toBe('image');
    expect(attachmentKind({ content_type: 'audio/ogg; codecs=opus' })).toBe('audio');
  });

  it('reads the spoiler and animated flags, and the SPOILER_ name', () => {
    expect(isSpoiler({ flags: 8, filename: 'a.png' })).toBe(true);
    expect(isSpoiler({ flags: 0, filename: 'SPOILER_a.png' })).toBe(true);
    expect(isSpoiler({ flags: 32, filename: 'a.png' })).toBe(false);
    expect(isAnimated({ flags: 32 })).toBe(true);
    expect(isAnimated({ flags: 8 })).toBe(false);
  });

  it('picks a file icon from the type or the extension', () => {
    expect(fileIcon({ content_type: 'application/pdf', filename: 'x' })).toBe('pdf');
    expect(fileIcon({ content_type: 'application/octet-stream', filename: 'src.tar.gz' })).toBe('archive');
    expect(fileIcon({ content_type: 'text/plain', filename: 'main.rs' })).toBe('code');
    expect(fileIcon({ content_type: 'text/plain', filename: 'notes' })).toBe('text');
    expect(fileIcon({ content_type: 'application/octet-stream', filename: 'blob' })).toBe('file');
  });
});

describe('spoiler filenames and sizes', () => {
  it('adds the prefix once and takes every copy away', () => {
    expect(withSpoiler('cat.png', true)).toBe('SPOILER_cat.png');
    expect(withSpoiler('SPOILER_cat.png', true)).toBe('SPOILER_cat.png');
    expect(withSpoiler('SPOILER_SPOILER_cat.png', false)).toBe('cat.png');
    expect(withoutSpoiler('SPOILER_cat.png')).toBe('cat.png');
    expect(hasSpoilerPrefix('spoiler_cat.png')).toBe(false);
  });

  it('shows sizes in 1024-based units', () => {
    expect(humanSize(0)).toBe('0 B');
    expect(humanSize(1023)).toBe('1023 B');
    expect(humanSize(1536)).toBe('1.5 KB');
    expect(humanSize(25 * 1024 * 1024)).toBe('25 MB');
    expect(humanSize(150 * 1024 * 1024)).toBe('150 MB');
    expect(humanSize(3 * 1024 ** 3)).toBe('3 GB');
    expect(humanSize(-1)).toBe('');
  });
});

describe('image boxes and thumbnails', () => {
  it('fits within 400×300 keeping the aspect ratio, never scaling up', () => {
    expect(fitBox(800, 600)).toEqual({ width: 400, height: 300 });
    expect(fitBox(4000, 1000)).toEqual({ width: 400, height: 100 });
    expect(fitBox(600, 1200)).toEqual({ width: 150, height: 300 });
    expect(fitBox(120, 80)).toEqual({ width: 120, height: 80 });
    expect(fitBox(10000, 1)).toEqual({ width: 400, height: 1 });
  });

  it('has no box without usable dimensions', () => {
    expect(fitBox(undefined, 100)).toBeNull();
    expect(fitBox(0, 100)).toBeNull();
    expect(fitBox(-5, 100)).toBeNull();
    expect(fitBox(Infinity, 100)).toBeNull();
  });

  it('chooses the smallest stored width covering the box in device pixels', () => {
    expect(thumbnailWidth(150, 1)).toBe(160);
    expect(thumbnailWidth(160, 1)).toBe(160);
    expect(thumbnailWidth(161, 1)).toBe(400);
    expect(thumbnailWidth(400, 1)).toBe(400);
    expect(thumbnailWidth(400, 2)).toBe(800);
    expect(thumbnailWidth(400, 3)).toBe(1600);
    expect(thumbnailWidth(400, 5)).toBe(1600);
    expect(thumbnailWidth(300, NaN)).toBe(400);
  });

  it('adds width to the proxy address, whether or not it has a query', () => {
    expect(withWidth('/a/b.png?ex=1', 400)).toBe('/a/b.png?ex=1&width=400');
    expect(withWidth('/a/b.png', 160)).toBe('/a/b.png?width=160');
  });

  it('shows the thumbnail, or the original for animations (thumbnails are still)', () => {
    expect(imageSource(att(), 400, 2)).toBe('/attachments/1/1/cat.png?ex=1&hm=2&width=800');
    expect(imageSource(att({ flags: 32, url: '/attachments/1/1/cat.gif?ex=1' }), 400, 2)).toBe('/attachments/1/1/cat.gif?ex=1');
  });
});

describe('addresses from embeds', () => {
  it('keeps http(s) and path-absolute addresses only', () => {
    expect(safeUrl('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeUrl('http://example.com')).toBe('http://example.com/');
    expect(safeUrl('/media-proxy/x.png')).toBe('/media-proxy/x.png');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:image/png;base64,AAAA', '//evil.example/x', '/\\evil.example', 'ftp://x.example/a', 'relative/path', '', null, undefined]) {
      expect(safeUrl(bad)).toBeNull();
    }
  });
});

describe('file limits', () => {
  const limits = { max_file_bytes: 1000, max_files_per_message: 3 };

  it('leaves out files over the size limit and says which', () => {
    const r = admitFiles(0, [{ name: 'ok.txt', size: 1000 }, { name: 'huge.bin', size: 1001 }], limits);
    expect(r.accepted).toEqual([0]);
    expect(r.error).toContain('“huge.bin” is 1001 B');
  });

  it('says "just over" when the rounded sizes would read the same', () => {
    const r = admitFiles(0, [{ name: 'big.bin', size: 1024 * 1024 + 1 }], { max_file_bytes: 1024 * 1024 });
    expect(r.error).toBe('“big.bin” is just over the 1 MB limit for files.');
  });

  it('stops at the count, counting files already in the tray', () => {
    const r = admitFiles(2, [{ name: 'a', size: 1 }, { name: 'b', size: 1 }], limits);
    expect(r.accepted).toEqual([0]);
    expect(r.error).toBe('You can attach at most 3 files to one message.');
  });

  it('takes everything when the server states no limits, up to the ten parts the form has', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, size: 10 ** 9 }));
    const r = admitFiles(0, eleven, {});
    expect(r.accepted).toHaveLength(10);
    expect(r.error).toBe('You can attach at most 10 files to one message.');
    expect(admitFiles(0, eleven, { max_files_per_message: 50 }).accepted).toHaveLength(10);
  });

  it('re-checks before sending (limits may have arrived later)', () => {
    expect(sendProblem([{ name: 'a', size: 10 }], limits)).toBeNull();
    expect(sendProblem([{ name: 'a', size: 2000 }], limits)).toContain('“a”');
    expect(sendProblem(Array.from({ length: 4 }, () => ({ name: 'a', size: 1 })), limits)).toContain('at most 3');
  });
});

describe('a message’s media', () => {
  it('reads only well-formed attachments and embeds', () => {
    const m = { attachments: [att(), {}, null, 'x', att({ id: '2' })], embeds: [{ type: 'link' }, 3] };
    expect(attachmentsOf(m).map((a) => a.id)).toEqual(['1', '2']);
    expect(embedsOf(m)).toHaveLength(1);
    expect(attachmentsOf({})).toEqual([]);
    expect(embedsOf({ embeds: 'nope' })).toEqual([]);
  });

  it('uses the description as alt text, else the name without the spoiler prefix', () => {
    expect(altText({ filename: 'SPOILER_cat.png', description: 'A cat asleep' })).toBe('A cat asleep');
    expect(altText({ filename: 'SPOILER_cat.png', description: '  ' })).toBe('cat.png');
  });

  it('gives the lightbox finished images only, at the largest thumbnail (originals for animations)', () => {
    const list = lightboxImages([
      att({ id: 'a' }),
      att({ id: 'b', processing: true }),
      att({ id: 'c', content_type: 'application/pdf' }),
      att({ id: 'd', flags: 32, url: '/attachments/1/d/x.gif' }),
      att({ id: 'e', url: 'javascript:alert(1)' }),
    ]);
    expect(list.map((i) => i.id)).toEqual(['a', 'd']);
    expect(list[0]?.src).toBe('/attachments/1/1/cat.png?ex=1&hm=2&width=1600');
    expect(list[0]?.original).toBe('/attachments/1/1/cat.png?ex=1&hm=2');
    expect(list[1]?.src).toBe('/attachments/1/d/x.gif');
  });
});
