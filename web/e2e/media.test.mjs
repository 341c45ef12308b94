/**
 * Files in messages against a real server: A attaches an image through the attach button, it shows
 * in A's and B's views once processed (a real thumbnail, loaded), and the lightbox opens on it,
 * closes with Esc and gives focus back. A text file shows as a card whose link downloads it; a file
 * over the instance's limit is refused before anything is sent. Every page must run without CSP
 * violations or errors.
 */
import { after, before, describe, it } from 'node:test';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { HearthServer } from './server.mjs';
import { launch, openUser } from './browser.mjs';

const PASSWORD = 'correct horse battery staple';
/** Small, so the refusal step needs no large buffer; the gradient PNG and the text file fit. */
const MAX_FILE_BYTES = 1024 * 1024;
const NOTES = 'Minutes of the media club\n- bring snacks\n';
let server;
let browser;
let a;
let b;

/** A real PNG (a colour gradient), so the server can decode it and make thumbnails. */
function gradientPng(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = Math.round((255 * x) / width);
      raw[row + 2 + x * 3] = 120;
      raw[row + 3 + x * 3] = Math.round((255 * y) / height);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function signedIn(token) {
  const u = await openUser(browser, server.url);
  await u.page.evaluate((t) => localStorage.setItem('hearth.token', t), token);
  await u.page.reload();
  await u.page.getByRole('heading', { name: 'general', level: 1 }).waitFor();
  return u;
}

const messages = (page) => page.getByRole('list', { name: /^Messages in/ });

before(async () => {
  server = new HearthServer({ env: { HEARTH_MEDIA__MAX_FILE_BYTES: String(MAX_FILE_BYTES) } });
  await server.start();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

async function snapshot(name) {
  const dir = process.env.HEARTH_E2E_ARTIFACTS ?? join(tmpdir(), 'hearth-e2e-artifacts');
  mkdirSync(dir, { recursive: true });
  const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  for (const [who, u] of [['a', a], ['b', b]]) {
    if (!u) continue;
    await u.page.screenshot({ path: join(dir, `media-${slug}-${who}.png`) }).catch(() => {});
    if (u.problems.length) console.log(`${who}: ${u.problems.join('\n')}`);
  }
  console.log(`screenshots in ${dir}`);
}

function step(name, fn) {
  it(name, async () => {
    try {
      await fn();
    } catch (e) {
      await snapshot(name);
      throw e;
    }
  });
}

describe('files in messages', () => {
  step('two people in a community (set up through the API)', async () => {
    const alice = await server.api('POST', '/auth/register', null, { username: 'alice', password: PASSWORD, accept_terms: true });
    await server.api('PATCH', '/admin/settings', alice.token, { registration_mode: 'open' });
    const bob = await server.api('POST', '/auth/register', null, { username: 'bob', password: PASSWORD, accept_terms: true });
    const guild = await server.api('POST', '/guilds', alice.token, { name: 'Media Club' });
    const general = (await server.api('GET', `/guilds/${guild.id}/channels`, alice.token)).find((c) => c.name === 'general');
    const invite = await server.api('POST', `/channels/${general.id}/invites`, alice.token, {});
    await server.api('POST', `/invites/${invite.code}`, bob.token);
    a = await signedIn(alice.token);
    b = await signedIn(bob.token);
  });

  step('A attaches an image with the attach button and sends it with text', async () => {
    const [chooser] = await Promise.all([a.page.waitForEvent('filechooser'), a.page.getByRole('button', { name: 'Attach files' }).click()]);
    await chooser.setFiles({ name: 'gradient.png', mimeType: 'image/png', buffer: gradientPng(640, 360) });
    const tray = a.page.getByRole('list', { name: 'Files to send' });
    await tray.getByText('gradient.png').waitFor();
    const box = a.page.getByRole('combobox', { name: /^Message #/ });
    await box.fill('a gradient');
    await box.press('Enter');
    await tray.waitFor({ state: 'detached', timeout: 20_000 });
  });

  step('both see the image, loaded from its thumbnail', async () => {
    for (const u of [a, b]) {
      const img = messages(u.page).getByRole('article').filter({ hasText: 'a gradient' }).getByRole('img', { name: 'gradient.png' });
      await img.waitFor({ timeout: 30_000 });
      await u.page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), { timeout: 15_000 });
      assert.match(await img.getAttribute('src'), /width=(160|400|800|1600)/);
    }
  });

  step('B opens the lightbox; Esc closes it and focus returns to the image', async () => {
    const opener = messages(b.page).getByRole('article').filter({ hasText: 'a gradient' }).getByRole('button', { name: 'gradient.png' });
    await opener.click();
    const viewer = b.page.getByRole('dialog', { name: 'Image: gradient.png' });
    await viewer.waitFor();
    assert.match(await viewer.getByRole('link', { name: 'Open original' }).getAttribute('href'), /^\/attachments\//);
    await b.page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    assert.equal(await opener.evaluate((el) => el === document.activeElement), true);
  });

  step('a text file shows as a card for both, and its link downloads it', async () => {
    const [chooser] = await Promise.all([a.page.waitForEvent('filechooser'), a.page.getByRole('button', { name: 'Attach files' }).click()]);
    await chooser.setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(NOTES) });
    const tray = a.page.getByRole('list', { name: 'Files to send' });
    await tray.getByText('notes.txt').waitFor();
    const box = a.page.getByRole('combobox', { name: /^Message #/ });
    await box.fill('the minutes');
    await box.press('Enter');
    await tray.waitFor({ state: 'detached', timeout: 20_000 });
    for (const u of [a, b]) {
      const card = messages(u.page).getByRole('article').filter({ hasText: 'the minutes' });
      const link = card.getByRole('link', { name: 'Download notes.txt' });
      await link.waitFor({ timeout: 15_000 });
      const href = await link.getAttribute('href');
      assert.match(href, /^\/attachments\/\d+\/\d+\/notes\.txt\?/);
      const got = await u.page.evaluate(async (url) => {
        const r = await fetch(url);
        return { status: r.status, body: await r.text() };
      }, href);
      assert.deepEqual(got, { status: 200, body: NOTES });
    }
  });

  step('a file over the instance limit is refused in the composer, before sending', async () => {
    const posts = [];
    const onRequest = (r) => r.method() === 'POST' && /\/messages$/.test(new URL(r.url()).pathname) && posts.push(r.url());
    a.page.on('request', onRequest);
    const [chooser] = await Promise.all([a.page.waitForEvent('filechooser'), a.page.getByRole('button', { name: 'Attach files' }).click()]);
    await chooser.setFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(MAX_FILE_BYTES * 1.5) });
    const alert = a.page.getByRole('alert').filter({ hasText: 'huge.bin' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /“huge\.bin” is 1\.5 MB; files can be at most 1 MB\./);
    assert.equal(await a.page.getByRole('list', { name: 'Files to send' }).count(), 0);
    a.page.off('request', onRequest);
    assert.deepEqual(posts, []);
  });

  step('no CSP violations or page errors', async () => {
    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
  });
});
