/**
 * Figures for the web client, not a test (nothing here is asserted): the initial JavaScript and CSS
 * size (raw and gzip -9) of web/dist, and the time from navigation to a usable channel on loopback —
 * a signed-in user opens the app and the composer of a channel with 50 messages of history is
 * ready. Run: `node e2e/perf.mjs` from web/ after `npm run build` (needs the debug or release binary;
 * HEARTH_BIN picks one).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HearthServer } from './server.mjs';
import { launch } from './browser.mjs';

const dist = resolve(import.meta.dirname, '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let raw = 0;
let gz = 0;
for (const f of initial) {
  const bytes = readFileSync(join(dist, f));
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
  console.log(`initial  ${f}: ${bytes.length} B, ${gzipSync(bytes, { level: 9 }).length} B gzip`);
}
const lazy = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js') && !initial.includes(`assets/${f}`));
for (const f of lazy) {
  const bytes = readFileSync(join(dist, 'assets', f));
  console.log(`lazy     assets/${f}: ${bytes.length} B, ${gzipSync(bytes, { level: 9 }).length} B gzip`);
}
console.log(`initial total: ${raw} B, ${gz} B gzip -9`);

const server = new HearthServer();
await server.start();
const browser = await launch();
try {
  const password = 'perf-password-123';
  const { token } = await server.api('POST', '/auth/register', null, { username: 'perf', password });
  const guild = await server.api('POST', '/guilds', token, { name: 'Perf' });
  const channels = await server.api('GET', `/guilds/${guild.id}/channels`, token);
  const general = channels.find((c) => c.type === 0);
  for (let i = 0; i < 50; i++) await server.api('POST', `/channels/${general.id}/messages`, token, { content: `message ${i} with **some** _markdown_ and \`code\`` });

  const runs = [];
  for (let i = 0; i < 7; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript((t) => {
      localStorage.setItem('hearth.token', t);
      // Stamp the moment the newest message and the composer are both in the DOM.
      new MutationObserver((_, obs) => {
        const composer = document.querySelector('textarea');
        if (composer && document.body.textContent?.includes('message 49 with')) {
          window.__usable = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true, characterData: true });
    }, token);
    const page = await context.newPage();
    const start = Date.now();
    await page.goto(server.url);
    await page.getByText('message 49 with').waitFor();
    await page.getByRole('combobox', { name: /^Message #/ }).waitFor();
    const ms = await page.evaluate(() => Math.round(window.__usable ?? NaN));
    runs.push({ wall: Date.now() - start, sincenav: ms });
    await context.close();
  }
  // The first run pays the cold caches of a fresh server; report the rest.
  const warm = runs.slice(1).map((r) => r.sincenav).sort((x, y) => x - y);
  console.log(`navigation → usable channel (performance.now() when the DOM has both), warm runs: ${warm.join(', ')} ms; median ${warm[Math.floor(warm.length / 2)]} ms; first (cold) ${runs[0].sincenav} ms`);
} finally {
  await browser.close();
  await server.dispose();
}
