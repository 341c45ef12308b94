/**
 * Two people in two browser contexts against one real server: A creates a community and an invite,
 * B joins through the link, they chat in real time, A edits and deletes and B sees both, a private
 * channel stays hidden from B, a role edit in A's settings changes what B can do at once, and both
 * clients recover after the server restarts. Every page must run without CSP violations or errors.
 */
import { after, before, describe, it } from 'node:test';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { HearthServer } from './server.mjs';
import { launch, openUser } from './browser.mjs';

const PASSWORD = 'correct horse battery staple';
let server;
let browser;
let a;
let b;

async function register(page, username) {
  await page.getByRole('tab', { name: 'Register' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  const terms = page.getByLabel(/accept the terms/i);
  if (await terms.count()) await terms.check();
  await page.getByRole('button', { name: /create account|register/i }).click();
  await page.getByRole('navigation', { name: 'Communities' }).waitFor();
}

const messages = (page) => page.getByRole('list', { name: /^Messages in/ });

async function send(page, text) {
  const box = page.getByRole('combobox', { name: /^Message #/ });
  await box.fill(text);
  await box.press('Enter');
}

before(async () => {
  server = new HearthServer();
  await server.start();
  browser = await launch();
});

// A failing step leaves screenshots of both people's pages behind (HEARTH_E2E_ARTIFACTS, or a
// folder under the system's temporary directory) so CI failures can be read.
async function snapshot(name) {
  const dir = process.env.HEARTH_E2E_ARTIFACTS ?? join(tmpdir(), 'hearth-e2e-artifacts');
  mkdirSync(dir, { recursive: true });
  const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  for (const [who, u] of [['a', a], ['b', b]]) {
    if (!u) continue;
    await u.page.screenshot({ path: join(dir, `${slug}-${who}.png`) }).catch(() => {});
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

after(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('two people in a community', () => {
  let inviteLink = '';

  step('A registers, creates a community and an invite link', async () => {
    a = await openUser(browser, server.url);
    await register(a.page, 'alice');
    await a.page.getByRole('button', { name: 'Create a community' }).click();
    await a.page.getByLabel(/community name|name/i).first().fill('E2E Club');
    await a.page.getByRole('button', { name: /^create$/i }).click();
    await a.page.getByRole('button', { name: 'E2E Club', exact: true }).first().waitFor();
    await a.page.getByRole('heading', { name: 'general', level: 1 }).waitFor();

    await a.page.locator('button[aria-haspopup="menu"]').filter({ hasText: 'E2E Club' }).click();
    await a.page.getByRole('menuitem', { name: /invite people/i }).click();
    const link = a.page.getByRole('textbox', { name: /invite link/i });
    await link.waitFor();
    await a.page.waitForFunction(() => /\/invite\/[A-Za-z0-9_-]+$/.test(document.querySelector('#invite-link')?.value ?? ''));
    inviteLink = await link.inputValue();
    assert.match(inviteLink, new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]+$`));
    await a.page.keyboard.press('Escape');
  });

  step('A, the instance owner, opens registration in the admin panel', async () => {
    await a.page.getByRole('button', { name: 'Instance administration' }).click();
    const panel = a.page.getByRole('dialog');
    await panel.getByRole('radio', { name: /^Open/ }).check();
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByRole('button', { name: 'Save' }).waitFor({ state: 'detached' });
    assert.equal((await server.api('GET', '/instance')).registration_mode, 'open');
    await a.page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  step('B opens the link, registers and joins', async () => {
    b = await openUser(browser, inviteLink);
    await register(b.page, 'bob');
    await b.page.getByRole('dialog').getByRole('button', { name: 'Join', exact: true }).click();
    await b.page.getByRole('heading', { name: 'general', level: 1 }).waitFor();
    assert.equal(new URL(b.page.url()).pathname, '/');
  });

  step('they chat in real time', async () => {
    await send(a.page, 'hello bob');
    await messages(b.page).getByText('hello bob').waitFor();
    await send(b.page, 'hi alice');
    await messages(a.page).getByText('hi alice').waitFor();
  });

  step('A edits and deletes; B sees both', async () => {
    const mine = messages(a.page).getByRole('article').filter({ hasText: 'hello bob' });
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    const editor = a.page.getByRole('textbox', { name: /edit message/i });
    await editor.fill('hello bob, edited');
    await editor.press('Enter');
    await messages(b.page).getByText('hello bob, edited').waitFor();
    await messages(b.page).getByRole('article').filter({ hasText: 'hello bob, edited' }).getByText('(edited)').waitFor();

    // Deleting your own message is in its menu (Discord's placement), behind a confirmation.
    const edited = messages(a.page).getByRole('article').filter({ hasText: 'hello bob, edited' });
    await edited.hover();
    await edited.getByRole('button', { name: 'More' }).click();
    await a.page.getByRole('menuitem', { name: /Delete Message/ }).click();
    await a.page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await messages(b.page).getByText('hello bob, edited').waitFor({ state: 'detached' });
    assert.equal(await messages(a.page).getByText('hello bob, edited').count(), 0);
  });

  step('a private channel stays hidden from B', async () => {
    const token = await a.page.evaluate(() => localStorage.getItem('hearth.token'));
    const guildId = (await server.api('GET', '/users/@me/guilds', token))[0].id;
    await server.api('POST', `/guilds/${guildId}/channels`, token, {
      name: 'staff-room',
      permission_overwrites: [{ id: guildId, type: 0, deny: String(1 << 10) }],
    });
    const nav = (page) => page.getByRole('navigation', { name: 'E2E Club channels' });
    // The owner sees it appear at once; B does not, live or after a reload.
    await nav(a.page).getByText('staff-room').waitFor();
    await send(a.page, 'staff-room exists now');
    await messages(b.page).getByText('staff-room exists now').waitFor();
    assert.equal(await nav(b.page).getByText('staff-room').count(), 0);
    await b.page.reload();
    await b.page.getByRole('heading', { name: 'general', level: 1 }).waitFor();
    assert.equal(await nav(b.page).getByText('staff-room').count(), 0);
    // Nor can B reach it through the quick switcher.
    await b.page.keyboard.press('Control+k');
    const switcher = b.page.getByRole('dialog');
    await switcher.getByRole('combobox').fill('staff');
    await switcher.getByText('Nothing matches.').waitFor();
    await b.page.keyboard.press('Escape');
  });

  step('a role edit in settings changes what B can do at once', async () => {
    const composerB = b.page.getByRole('combobox', { name: /^Message #/ });
    await composerB.waitFor();
    const openEveryone = async () => {
      await a.page.locator('button[aria-haspopup="menu"]').filter({ hasText: 'E2E Club' }).click();
      await a.page.getByRole('menuitem', { name: /server settings|community settings|settings/i }).click();
      const settings = a.page.getByRole('dialog');
      await settings.getByRole('button', { name: 'Roles', exact: true }).click();
      await settings.getByRole('button', { name: 'Edit @everyone' }).click();
      await settings.getByRole('tab', { name: 'Permissions' }).click();
      return settings;
    };
    const toggleSend = async (settings, on) => {
      const toggle = settings.getByRole('switch', { name: 'Send messages', exact: true });
      assert.equal(await toggle.getAttribute('aria-checked'), on ? 'false' : 'true');
      await toggle.click();
      await settings.getByRole('button', { name: 'Save' }).click();
      await settings.getByRole('button', { name: 'Save' }).waitFor({ state: 'detached' });
    };

    let settings = await openEveryone();
    await toggleSend(settings, false);
    await b.page.getByText('You do not have permission to send messages in this channel.').waitFor();
    assert.equal(await composerB.count(), 0);

    await toggleSend(settings, true);
    await composerB.waitFor();
    await a.page.keyboard.press('Escape');
    await settings.waitFor({ state: 'detached' });
    await send(b.page, 'I can talk again');
    await messages(a.page).getByText('I can talk again').waitFor();
  });

  step('both recover after the server restarts', async () => {
    await server.stop();
    await a.page.getByRole('status').filter({ hasText: /reconnect|offline|connecting/i }).first().waitFor();
    await server.start();
    await a.page.getByRole('status').filter({ hasText: /reconnect|offline|connecting/i }).waitFor({ state: 'detached', timeout: 60_000 });
    await b.page.getByRole('status').filter({ hasText: /reconnect|offline|connecting/i }).waitFor({ state: 'detached', timeout: 60_000 });
    await send(a.page, 'after the restart');
    await messages(b.page).getByText('after the restart').waitFor();
    await send(b.page, 'still here');
    await messages(a.page).getByText('still here').waitFor();
  });

  step('neither page had a CSP violation or an error', async () => {
    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
  });
});
