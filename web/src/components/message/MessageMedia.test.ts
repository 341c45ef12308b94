// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import MessageMedia from './MessageMedia.svelte';
import type { ChatMessage } from '../../lib/stores/chat';
import type { Attachment, Embed } from '../../lib/media/types';

let target: HTMLElement;
let app: ReturnType<typeof mount> | null = null;

beforeEach(() => {
  target = document.createElement('div');
  document.body.appendChild(target);
  // happy-dom's <dialog> has no showModal.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  target.remove();
});

function att(over: Partial<Attachment> = {}): Attachment {
  return { id: '1', filename: 'cat.png', content_type: 'image/png', size: 2048, url: '/attachments/100/1/cat.png?ex=1&hm=2', proxy_url: '/attachments/100/1/cat.png?ex=1&hm=2', width: 800, height: 600, flags: 0, ...over };
}

function render(attachments: Attachment[], embeds: Embed[] = []): HTMLElement {
  const message = { id: '500', channel_id: '100', content: '', attachments, embeds } as unknown as ChatMessage;
  app = mount(MessageMedia, { target, props: { message, guildId: null } });
  flushSync();
  return target;
}

describe('a message’s media', () => {
  it('renders nothing for a message without attachments or embeds', () => {
    expect(render([]).innerHTML.replace(/<!--.*?-->/g, '').trim()).toBe('');
  });

  it('sizes an image’s box before it loads and asks for the thumbnail that fills it', () => {
    const el = render([att({ description: 'A cat asleep', placeholder: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj' })]);
    const button = el.querySelector('button.image') as HTMLButtonElement;
    expect(button.style.getPropertyValue('width')).toBe('400px');
    expect(button.style.getPropertyValue('aspect-ratio')).toBe('400 / 300');
    expect(button.getAttribute('style')).not.toBeNull(); // CSSOM, not a template style attribute
    const img = button.querySelector('img') as HTMLImageElement;
    const dpr = window.devicePixelRatio || 1;
    expect(img.getAttribute('src')).toBe(`/attachments/100/1/cat.png?ex=1&hm=2&width=${dpr >= 2 ? 800 : 400}`);
    expect(img.alt).toBe('A cat asleep');
    expect(button.querySelector('canvas')).not.toBeNull();
  });

  it('falls back to the filename for alt text and uses the original for animated images', () => {
    const el = render([att({ filename: 'dance.gif', content_type: 'image/gif', flags: 32, url: '/attachments/100/1/dance.gif?ex=1' })]);
    const img = el.querySelector('img') as HTMLImageElement;
    expect(img.alt).toBe('dance.gif');
    expect(img.getAttribute('src')).toBe('/attachments/100/1/dance.gif?ex=1');
  });

  it('shows a processing image as a box with its name and no download', () => {
    const el = render([att({ processing: true, width: undefined, height: undefined })]);
    const box = el.querySelector('.processing') as HTMLElement;
    expect(box.textContent).toContain('cat.png');
    expect(box.getAttribute('role')).toBe('status');
    expect(box.style.getPropertyValue('width')).toBe('320px');
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('a[href]')).toBeNull();
  });

  it('plays video and audio inline, loading only metadata', () => {
    const el = render([
      att({ id: 'v', filename: 'clip.mp4', content_type: 'video/mp4', url: '/attachments/100/v/clip.mp4', width: 1920, height: 1080 }),
      att({ id: 'a', filename: 'song.ogg', content_type: 'audio/ogg', url: '/attachments/100/a/song.ogg', width: undefined, height: undefined }),
    ]);
    const video = el.querySelector('video') as HTMLVideoElement;
    expect(video.getAttribute('src')).toBe('/attachments/100/v/clip.mp4');
    expect(video.getAttribute('preload')).toBe('metadata');
    expect(video.hasAttribute('controls')).toBe(true);
    expect(video.style.getPropertyValue('aspect-ratio')).toBe('400 / 225');
    const audio = el.querySelector('audio') as HTMLAudioElement;
    expect(audio.getAttribute('src')).toBe('/attachments/100/a/song.ogg');
    expect(audio.getAttribute('preload')).toBe('metadata');
    expect(el.textContent).toContain('song.ogg');
  });

  it('shows other files as a card with the name, size and a download link', () => {
    const el = render([att({ filename: 'report.pdf', content_type: 'application/pdf', size: 1536, url: '/attachments/100/1/report.pdf?ex=1' })]);
    const card = el.querySelector('.card') as HTMLElement;
    expect(card.textContent).toContain('report.pdf');
    expect(card.textContent).toContain('1.5 KB');
    const links = [...card.querySelectorAll('a[download]')] as HTMLAnchorElement[];
    expect(links.length).toBeGreaterThan(0);
    for (const a of links) {
      expect(a.getAttribute('href')).toBe('/attachments/100/1/report.pdf?ex=1');
      expect(a.getAttribute('download')).toBe('report.pdf');
    }
  });

  it('never links to an attachment address that is not http(s) or path-absolute', () => {
    const el = render([att({ filename: 'x.bin', content_type: 'application/octet-stream', url: 'javascript:alert(1)' })]);
    expect(el.querySelector('a')).toBeNull();
    expect(el.textContent).toContain('x.bin');
  });

  it('covers a spoiler until it is clicked, and the cover is a button', async () => {
    const el = render([att({ filename: 'SPOILER_cat.png', flags: 8 })]);
    const cover = el.querySelector('button.cover') as HTMLButtonElement;
    expect(cover.textContent).toContain('SPOILER');
    expect(cover.getAttribute('aria-label')).toContain('cat.png');
    const inner = el.querySelector('.inner') as HTMLElement;
    expect(inner.inert || inner.hasAttribute('inert')).toBe(true);
    cover.click();
    flushSync();
    await tick();
    await tick();
    expect(el.querySelector('button.cover')).toBeNull();
    expect(el.querySelector('.inner')?.hasAttribute('inert')).toBe(false);
    expect(document.activeElement).toBe(el.querySelector('button.image'));
  });

  it('opens the lightbox on the clicked image and steps through the message’s images with the arrows', async () => {
    const el = render([att({ id: 'a', filename: 'one.png' }), att({ id: 'f', filename: 'doc.pdf', content_type: 'application/pdf' }), att({ id: 'b', filename: 'two.png', url: '/attachments/100/b/two.png?ex=2' })]);
    const buttons = [...el.querySelectorAll('button.image')] as HTMLButtonElement[];
    buttons[1]!.focus();
    buttons[1]!.click();
    flushSync();
    await tick();
    const dialog = document.querySelector('dialog.lightbox') as HTMLDialogElement;
    expect(dialog).not.toBeNull();
    expect(dialog.getAttribute('aria-label')).toBe('Image: two.png');
    expect(dialog.textContent).toContain('2 / 2');
    const original = dialog.querySelector('a.original') as HTMLAnchorElement;
    expect(original.getAttribute('href')).toBe('/attachments/100/b/two.png?ex=2');
    expect(original.getAttribute('rel')).toBe('noopener noreferrer');
    expect(original.getAttribute('target')).toBe('_blank');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Close');
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    flushSync();
    expect(dialog.getAttribute('aria-label')).toBe('Image: one.png');
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
    flushSync();
    expect(dialog.getAttribute('aria-label')).toBe('Image: two.png');
    dialog.dispatchEvent(new Event('cancel', { cancelable: true }));
    flushSync();
    await tick();
    expect(document.querySelector('dialog.lightbox')).toBeNull();
    expect(document.activeElement).toBe(buttons[1]);
  });

  it('renders an embed card: colour bar through CSSOM, linked title, markdown description, fields, proxied images only', () => {
    const el = render(
      [],
      [
        {
          type: 'article',
          title: 'Hearth 1.0',
          url: 'https://example.com/post',
          description: 'A **bold** claim',
          color: 0x3366ff,
          provider: { name: 'Example', url: 'https://example.com' },
          author: { name: 'Ada', url: 'javascript:alert(1)', icon_url: 'https://tracker.example/a.png', proxy_icon_url: '/media-proxy/a.png' },
          fields: [{ name: 'Version', value: '`1.0`', inline: true }],
          image: { url: 'https://tracker.example/big.png', proxy_url: '/media-proxy/big.png', width: 1200, height: 600 },
          footer: { text: 'Example News' },
        },
      ],
    );
    const card = el.querySelector('.embed') as HTMLElement;
    expect(card.style.getPropertyValue('--embed-color')).toBe('#3366ff');
    const title = card.querySelector('a.title') as HTMLAnchorElement;
    expect(title.textContent).toBe('Hearth 1.0');
    expect(title.getAttribute('href')).toBe('https://example.com/post');
    expect(title.getAttribute('rel')).toBe('noopener noreferrer');
    expect(title.getAttribute('target')).toBe('_blank');
    expect(card.querySelector('.description strong')?.textContent).toBe('bold');
    expect(card.querySelector('.author-name')?.tagName).toBe('SPAN'); // its javascript: link dropped
    expect(card.querySelector('dt')?.textContent).toBe('Version');
    expect(card.querySelector('dd code')?.textContent).toBe('1.0');
    const srcs = [...card.querySelectorAll('img')].map((i) => i.getAttribute('src'));
    expect(srcs).toEqual(['/media-proxy/a.png', '/media-proxy/big.png']);
    expect(card.innerHTML).not.toContain('tracker.example');
    expect(card.textContent).toContain('Example News');
  });

  it('shows a video embed as its proxied thumbnail with a play badge linking out', () => {
    const el = render(
      [],
      [
        {
          type: 'video',
          title: 'A talk',
          url: 'https://video.example/watch?v=1',
          thumbnail: { url: 'https://video.example/t.jpg', proxy_url: '/media-proxy/t.jpg', width: 1280, height: 720 },
          video: { url: 'https://video.example/embed/1' },
        },
      ],
    );
    const link = el.querySelector('a.video') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('https://video.example/watch?v=1');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.querySelector('img')?.getAttribute('src')).toBe('/media-proxy/t.jpg');
    expect(link.querySelector('.play')).not.toBeNull();
    expect(el.querySelector('iframe, video')).toBeNull();
  });

  it('leaves out embed images that have no proxy address', () => {
    const el = render([], [{ type: 'link', title: 't', thumbnail: { url: 'https://tracker.example/t.png' } }]);
    expect(el.querySelector('img')).toBeNull();
  });
});
