/**
 * Accessibility audit: axe-core (WCAG 2.0/2.1 A and AA rules) over every main screen of the client,
 * in the light and the dark theme, at desktop (1280×800) and phone (390×844) size, against a real
 * server seeded through its API with a community that has categories, private channels with
 * overwrites, coloured hoisted roles, markdown messages, reactions, a reply and a pinned message.
 *
 * A screen fails on any `serious` or `critical` violation; each is printed with its rule, the
 * element's selector and axe's summary, so the failure says what to fix. Besides axe, every
 * interactive node in Chromium's own accessibility tree (what a screen reader gets) must have a name.
 *
 * axe's source is evaluated through the DevTools protocol (page.evaluate), which the page's CSP does
 * not govern, so the audit needs no script tag and the app still runs under its strict CSP (each page
 * is also checked for CSP violations and errors).
 *
 * A second part drives the keyboard: Tab order from the sign-in form through the shell, and every
 * overlay (dialogs, popovers, menus, phone drawers) takes focus, keeps it, and gives it back on Esc.
 *
 * Run from web/e2e: `node --test a11y.test.mjs` (after `npm run build` in web/). A11Y_ONLY=regex
 * audits only the matching "theme device screen" names; A11Y_SHOTS=dir keeps a screenshot of each.
 */
import { after, before, describe, it } from 'node:test';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { HearthServer } from './server.mjs';
import { launch, openUser } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PASSWORD = 'correct horse battery staple';
const TERMS = 'Be **kind**. No spam, no harassment.\n\n- Keep it legal\n- Respect privacy';

/** Roles of the accessibility tree that a person operates, so each needs a name to be announced. */
const NAMED_ROLES = new Set(['button', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'tab', 'switch', 'checkbox', 'radio', 'textbox', 'searchbox', 'combobox', 'listbox', 'option', 'slider', 'spinbutton', 'dialog']);

let server;
let browser;
const seed = {};

const enc = encodeURIComponent;

async function seedServer() {
  const owner = await server.api('POST', '/auth/register', null, { username: 'ada', password: PASSWORD });
  const t = owner.token;
  seed.token = t;
  await server.api('PATCH', '/admin/settings', t, { registration_mode: 'open', name: 'Hearth A11y', description: 'An instance for the accessibility audit.', terms: TERMS });
  const bob = await server.api('POST', '/auth/register', null, { username: 'bob', password: PASSWORD, accept_terms: true });
  const carol = await server.api('POST', '/auth/register', null, { username: 'carol', password: PASSWORD, accept_terms: true });
  await server.api('PATCH', '/users/@me', bob.token, { global_name: 'Bob Builder', bio: 'Builds things.', pronouns: 'he/him' });

  const g = await server.api('POST', '/guilds', t, { name: 'Audit Club', description: 'Where screens get checked.' });
  seed.guild = g;
  await server.api('POST', '/guilds', t, { name: 'Second Place' });
  const channels = await server.api('GET', `/guilds/${g.id}/channels`, t);
  const general = channels.find((c) => c.name === 'general');
  seed.general = general;
  const cat = await server.api('POST', `/guilds/${g.id}/channels`, t, { name: 'Projects', type: 4 });
  const staffCat = await server.api('POST', `/guilds/${g.id}/channels`, t, { name: 'Staff', type: 4 });
  const design = await server.api('POST', `/guilds/${g.id}/channels`, t, { name: 'design', parent_id: cat.id, topic: 'Pixels and type' });
  await server.api('POST', `/guilds/${g.id}/channels`, t, { name: 'backend', parent_id: cat.id });

  const mods = await server.api('POST', `/guilds/${g.id}/roles`, t, { name: 'Moderators', color: 0xe67e22, hoist: true, mentionable: true, permissions: String((1n << 13n) | (1n << 1n) | (1n << 40n)) });
  const helpers = await server.api('POST', `/guilds/${g.id}/roles`, t, { name: 'Helpers', color: 0x1abc9c, hoist: true });
  await server.api('POST', `/guilds/${g.id}/roles`, t, { name: 'Muted', color: 0x95a5a6 });
  // A private staff channel: hidden from @everyone, open to Moderators.
  const VIEW = String(1n << 10n);
  await server.api('POST', `/guilds/${g.id}/channels`, t, {
    name: 'mod-log',
    parent_id: staffCat.id,
    permission_overwrites: [
      { id: g.id, type: 0, allow: '0', deny: VIEW },
      { id: mods.id, type: 0, allow: VIEW, deny: '0' },
    ],
  });
  await server.api('PUT', `/channels/${general.id}/permissions/${helpers.id}`, t, { type: 0, allow: String(1n << 13n), deny: '0' });

  const invite = await server.api('POST', `/channels/${general.id}/invites`, t, { max_age: 0 });
  seed.invite = invite.code;
  for (const u of [bob, carol]) await server.api('POST', `/invites/${invite.code}`, u.token);
  await server.api('PUT', `/guilds/${g.id}/members/${bob.user.id}/roles/${mods.id}`, t);
  await server.api('PUT', `/guilds/${g.id}/members/${carol.user.id}/roles/${helpers.id}`, t);

  const post = (token, channel, content, extra = {}) => server.api('POST', `/channels/${channel}/messages`, token, { content, ...extra });
  const first = await post(t, general.id, 'Welcome to **Audit Club**! Read the _rules_ in <#' + design.id + '> and say hi.');
  await post(t, general.id, 'Some code: `npm test` and a block:\n```js\nconst answer = 42;\nconsole.log(answer);\n```');
  await post(bob.token, general.id, '> Quoting the welcome\nThanks <@' + owner.user.id + '>! Here is a ||spoiler|| and a link https://example.com');
  const q = await post(carol.token, general.id, 'Any plans for the <@&' + mods.id + '> meeting?\n- agenda\n- notes');
  await post(t, general.id, 'Tomorrow at 10, ~~maybe~~ surely.', { message_reference: { message_id: q.id } });
  for (const [token, emoji] of [
    [t, '👍'],
    [bob.token, '👍'],
    [carol.token, '🎉'],
  ])
    await server.api('PUT', `/channels/${general.id}/messages/${first.id}/reactions/${enc(emoji)}/@me`, token);
  await server.api('PUT', `/channels/${general.id}/pins/${first.id}`, t);
  await post(bob.token, design.id, 'New mockups are up, <@' + owner.user.id + '> please review.');
}

// ---------------------------------------------------------------------------------------------
// Auditing

/** axe's serious and critical violations on the page as it is now, plus unnamed controls. */
async function audit(page) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    // @ts-ignore axe is a global once its source ran.
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) =>
        v.nodes.map((n) => ({
          rule: v.id,
          impact: v.impact,
          target: n.target.join(' '),
          summary: (n.failureSummary ?? v.help).replace(/\s+/g, ' ').trim(),
          html: n.html.slice(0, 160),
        })),
      );
  }, AXE_TAGS);

  // Chromium's own accessibility tree: every control that is exposed must have a name.
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const unnamed = nodes
    .filter((n) => !n.ignored && NAMED_ROLES.has(n.role?.value) && !String(n.name?.value ?? '').trim())
    .map((n) => ({ rule: 'unnamed-control (Chromium AX tree)', impact: 'critical', target: `${n.role.value} (backend node ${n.backendDOMNodeId})`, summary: 'exposed without an accessible name', html: '' }));
  // Say which element an unnamed node is.
  for (const u of unnamed) {
    const id = Number(u.target.match(/node (\d+)/)[1]);
    const c2 = await page.context().newCDPSession(page);
    try {
      const { node } = await c2.send('DOM.describeNode', { backendNodeId: id });
      const cls = (node.attributes ?? []).reduce((s, v, i, a) => (i % 2 === 0 && v === 'class' ? a[i + 1] : s), '');
      u.html = `<${node.localName}${cls ? ` class="${cls}"` : ''}>`;
    } catch {
      /* gone */
    }
    await c2.detach();
  }
  return [...violations, ...unnamed];
}

function report(screen, found) {
  return found.map((v) => `  [${v.impact}] ${v.rule} @ ${v.target}\n      ${v.summary}\n      ${v.html}`).join('\n');
}

async function snapshot(page, name) {
  const dir = process.env.HEARTH_E2E_ARTIFACTS ?? join(tmpdir(), 'hearth-e2e-artifacts');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `a11y-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
  await page.screenshot({ path: file }).catch(() => {});
  return file;
}

// ---------------------------------------------------------------------------------------------
// Getting to each screen

const shellReady = (page) => page.getByRole('heading', { name: 'general', level: 1 }).waitFor();
const messageList = (page) => page.getByRole('list', { name: /^Messages in/ });

/** A fresh load of the app, signed in as the owner: the first community (Audit Club) opens on #general. */
async function openShell(page) {
  await page.evaluate((token) => localStorage.getItem('hearth.token') || localStorage.setItem('hearth.token', token), seed.token);
  await page.goto(server.url + '/');
  await shellReady(page);
  await messageList(page).getByRole('article').filter({ hasText: 'Tomorrow at 10' }).waitFor();
}

const isPhone = (page) => page.viewportSize().width <= 700;

/** On a phone the rail and channel list are a drawer: open it. */
async function ensureNav(page) {
  if (!isPhone(page)) return;
  const toggle = page.getByRole('button', { name: 'Open channels and communities' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.getByRole('navigation', { name: 'Communities' }).waitFor();
}

async function openGuildMenu(page) {
  await ensureNav(page);
  await page.locator('button[aria-haspopup="menu"]').filter({ hasText: 'Audit Club' }).click();
  await page.getByRole('menu').waitFor();
}

async function openSettingsSection(page, opener, dialogName, section) {
  await opener();
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.waitFor();
  const nav = dialog.getByRole('navigation');
  await nav.getByRole('button', { name: section, exact: true }).click();
  const heading = dialog.getByRole('heading', { name: section, level: 2, exact: true });
  await heading.waitFor();
  return dialog;
}

const userSettings = (page) => async () => {
  await ensureNav(page);
  await page.getByRole('button', { name: 'User settings' }).click();
};
const adminPanel = (page) => async () => {
  await ensureNav(page);
  await page.getByRole('button', { name: 'Instance administration' }).click();
};
const guildSettings = (page) => async () => {
  await openGuildMenu(page);
  await page.getByRole('menuitem', { name: 'Server settings' }).click();
};

/** Each screen: a name and how to get there from a fresh load. Signed-out screens say so. */
const SCREENS = [
  {
    name: 'sign in',
    signedOut: true,
    go: async (page) => {
      await page.goto(server.url + '/');
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    },
  },
  {
    name: 'register with terms',
    signedOut: true,
    go: async (page) => {
      await page.goto(server.url + '/');
      await page.getByRole('tab', { name: 'Register' }).click();
      await page.getByLabel(/accept the terms/i).waitFor();
    },
  },
  {
    name: 'register from an invite link',
    signedOut: true,
    go: async (page) => {
      await page.goto(`${server.url}/invite/${seed.invite}`);
      await page.getByText('You have been invited to join').waitFor();
    },
  },
  { name: 'shell with a channel', go: openShell },
  {
    name: 'shell with the navigation drawer (phone)',
    phoneOnly: true,
    go: async (page) => {
      await openShell(page);
      await ensureNav(page);
    },
  },
  {
    name: 'shell with the member list',
    go: async (page) => {
      await openShell(page);
      const show = page.getByRole('button', { name: 'Show the member list' });
      if (await show.count()) await show.click();
      await page.getByRole('complementary', { name: 'Members' }).getByRole('button').first().waitFor();
    },
  },
  {
    name: 'message hover toolbar',
    go: async (page) => {
      await openShell(page);
      const msg = messageList(page).getByRole('article').filter({ hasText: 'Tomorrow at 10' });
      await msg.hover();
      await msg.getByRole('group', { name: 'Message actions' }).getByRole('button', { name: 'Reply' }).waitFor({ state: 'visible' });
    },
  },
  {
    name: 'message menu',
    go: async (page) => {
      await openShell(page);
      const msg = messageList(page).getByRole('article').filter({ hasText: 'Tomorrow at 10' });
      await msg.hover();
      await msg.getByRole('button', { name: 'More' }).click();
      await page.getByRole('menu').waitFor();
    },
  },
  {
    name: 'emoji picker',
    go: async (page) => {
      await openShell(page);
      await page.getByRole('button', { name: 'Emoji', exact: true }).click();
      await page.getByRole('dialog', { name: 'Emoji picker' }).getByRole('option').first().waitFor();
    },
  },
  {
    name: 'reaction picker',
    go: async (page) => {
      await openShell(page);
      const msg = messageList(page).getByRole('article').filter({ hasText: 'Welcome to' });
      await msg.getByRole('group', { name: 'Reactions' }).getByRole('button', { name: 'Add reaction' }).click();
      await page.getByRole('dialog', { name: /add reaction|emoji picker/i }).first().waitFor();
    },
  },
  {
    name: 'pinned messages',
    go: async (page) => {
      await openShell(page);
      await page.getByRole('button', { name: 'Pinned messages' }).click();
      await page.getByRole('dialog', { name: 'Pinned messages' }).getByRole('listitem').first().waitFor();
    },
  },
  {
    name: 'quick switcher',
    go: async (page) => {
      await openShell(page);
      await page.keyboard.press('Control+k');
      const box = page.getByRole('combobox', { name: 'Search channels, communities and members' });
      await box.waitFor();
      await box.fill('de');
      await page.getByRole('dialog', { name: 'Quick switcher' }).getByRole('option').first().waitFor();
    },
  },
  ...['My account', 'Password', 'Devices', 'Appearance', 'Notifications'].map((section) => ({
    name: `user settings: ${section}`,
    go: async (page) => {
      await openShell(page);
      await openSettingsSection(page, userSettings(page), 'User settings', section);
    },
  })),
  {
    name: 'guild settings: Overview',
    go: async (page) => {
      await openShell(page);
      const d = await openSettingsSection(page, guildSettings(page), 'Audit Club settings', 'Overview');
      await d.getByLabel(/name/i).first().waitFor();
    },
  },
  {
    name: 'guild settings: Roles list',
    go: async (page) => {
      await openShell(page);
      const d = await openSettingsSection(page, guildSettings(page), 'Audit Club settings', 'Roles');
      await d.getByRole('list', { name: 'Roles, highest first' }).getByText('Moderators').waitFor();
    },
  },
  {
    name: 'guild settings: role display',
    go: async (page) => {
      await openShell(page);
      const d = await openSettingsSection(page, guildSettings(page), 'Audit Club settings', 'Roles');
      await d.getByRole('button', { name: 'Edit Moderators' }).click();
      await d.getByRole('tab', { name: 'Display' }).click();
      await d.getByLabel('Role name').waitFor();
    },
  },
  {
    name: 'guild settings: role permission editor',
    go: async (page) => {
      await openShell(page);
      const d = await openSettingsSection(page, guildSettings(page), 'Audit Club settings', 'Roles');
      await d.getByRole('button', { name: 'Edit Moderators' }).click();
      await d.getByRole('tab', { name: 'Permissions' }).click();
      await d.getByRole('switch').first().waitFor();
    },
  },
  {
    name: 'guild settings: Channels',
    go: async (page) => {
      await openShell(page);
      const d = await openSettingsSection(page, guildSettings(page), 'Audit Club settings', 'Channels');
      await d.getByRole('button', { name: /^Edit .*mod-log/ }).waitFor();
    },
  },
  {
    name: 'guild settings: channel overwrites',
    go: async (page) => {
      await openShell(page);
      const d = await openSettingsSection(page, guildSettings(page), 'Audit Club settings', 'Channels');
      await d.getByRole('button', { name: /^Edit .*mod-log/ }).click();
      await d.getByRole('tab', { name: 'Permissions' }).click();
      await d.getByRole('tabpanel').getByRole('radiogroup').first().waitFor();
    },
  },
  {
    name: 'guild settings: Audit log',
    go: async (page) => {
      await openShell(page);
      const d = await openSettingsSection(page, guildSettings(page), 'Audit Club settings', 'Audit log');
      await d.getByRole('list', { name: /Audit log entries/ }).getByRole('listitem').first().waitFor();
    },
  },
  {
    name: 'admin: Users',
    go: async (page) => {
      await openShell(page);
      const d = await openSettingsSection(page, adminPanel(page), 'Instance admin', 'Users');
      await d.getByRole('list', { name: 'Accounts' }).getByText('carol').first().waitFor();
    },
  },
  {
    name: 'admin: Overview (instance settings)',
    go: async (page) => {
      await openShell(page);
      const d = await openSettingsSection(page, adminPanel(page), 'Instance admin', 'Overview');
      await d.getByRole('radio', { name: /^Open/ }).waitFor();
    },
  },
  {
    name: 'member profile popover',
    go: async (page) => {
      await openShell(page);
      const show = page.getByRole('button', { name: 'Show the member list' });
      if (await show.count()) await show.click();
      await page.getByRole('complementary', { name: 'Members' }).getByRole('button', { name: /Bob Builder|bob/ }).first().click();
      await page.getByRole('dialog').filter({ has: page.getByRole('button', { name: 'Close profile' }) }).waitFor();
    },
  },
  {
    name: 'invite dialog',
    go: async (page) => {
      await openShell(page);
      await openGuildMenu(page);
      await page.getByRole('menuitem', { name: /invite people/i }).click();
      await page.waitForFunction(() => /\/invite\/[A-Za-z0-9_-]+$/.test(document.querySelector('#invite-link')?.value ?? ''));
    },
  },
];

/** A11Y_ONLY=regex runs only the screens whose "theme device screen" matches (for working on one). */
const ONLY = process.env.A11Y_ONLY ? new RegExp(process.env.A11Y_ONLY, 'i') : null;

const CONFIGS = [
  { theme: 'light', device: 'desktop', width: 1280, height: 800 },
  { theme: 'dark', device: 'desktop', width: 1280, height: 800 },
  { theme: 'light', device: 'phone', width: 390, height: 844 },
  { theme: 'dark', device: 'phone', width: 390, height: 844 },
];

before(async () => {
  server = new HearthServer();
  await server.start();
  browser = await launch();
  await seedServer();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

for (const cfg of CONFIGS) {
  describe(`accessibility, ${cfg.theme} theme, ${cfg.device} ${cfg.width}×${cfg.height}`, () => {
    let user;
    let signedIn = false;

    before(async () => {
      user = await openUser(browser, server.url, { width: cfg.width, height: cfg.height });
      user.context.setDefaultTimeout(10_000);
      await user.page.emulateMedia({ colorScheme: cfg.theme, reducedMotion: 'reduce' });
      await user.page.evaluate((theme) => localStorage.setItem('hearth.theme', theme), cfg.theme);
    });

    after(async () => {
      await user?.context.close();
    });

    for (const screen of SCREENS) {
      if (screen.phoneOnly && cfg.device !== 'phone') continue;
      if (ONLY && !ONLY.test(`${cfg.theme} ${cfg.device} ${screen.name}`)) continue;
      it(screen.name, async () => {
        const { page } = user;
        if (!screen.signedOut && !signedIn) {
          await page.evaluate((token) => localStorage.setItem('hearth.token', token), seed.token);
          signedIn = true;
        } else if (screen.signedOut && signedIn) {
          await page.evaluate(() => localStorage.removeItem('hearth.token'));
          signedIn = false;
        }
        const seen = user.problems.length;
        try {
          await screen.go(page);
          assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), cfg.theme, 'the chosen theme is applied');
          // A11Y_SHOTS=dir keeps a screenshot of every screen audited, to look at.
          if (process.env.A11Y_SHOTS) {
            mkdirSync(process.env.A11Y_SHOTS, { recursive: true });
            await page.screenshot({ path: join(process.env.A11Y_SHOTS, `${cfg.theme}-${cfg.device}-${screen.name}.png`.replace(/[^a-z0-9.]+/gi, '-').toLowerCase()) });
          }
          const found = await audit(page);
          assert.deepEqual(user.problems.slice(seen), [], 'no CSP violations or page errors');
          if (found.length) {
            const shot = await snapshot(page, `${cfg.theme}-${cfg.device}-${screen.name}`);
            assert.fail(`${found.length} accessibility violation(s) on "${screen.name}" (${cfg.theme}, ${cfg.device}); screenshot ${shot}\n${report(screen.name, found)}`);
          }
        } catch (e) {
          if (!(e instanceof assert.AssertionError)) await snapshot(page, `${cfg.theme}-${cfg.device}-${screen.name}`);
          throw e;
        }
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Keyboard: focus order through the shell, and every overlay takes focus, keeps it, and gives it back.

/** Where focus is, seen from `container`: 'in', 'out' (on an element outside it) or 'none' (body, or the browser's own UI). */
function focusWhere(page, container) {
  return container.evaluate((el) => {
    const a = document.activeElement;
    if (!a || a === document.body || a === document.documentElement) return 'none';
    return el.contains(a) ? 'in' : 'out';
  });
}

const describeFocus = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return 'nothing';
    return `<${a.tagName.toLowerCase()}${a.id ? '#' + a.id : ''}${a.className && typeof a.className === 'string' ? '.' + a.className.split(' ')[0] : ''}> "${(a.getAttribute('aria-label') ?? a.textContent ?? '').trim().slice(0, 50)}"`;
  });

/** Waits until `handle` has focus (focus moves in a microtask or an animation frame after a close). */
async function expectFocusOn(page, handle, what) {
  try {
    await page.waitForFunction((el) => document.activeElement === el, handle, { timeout: 3000 });
  } catch {
    assert.fail(`focus should return to ${what}, but it is on ${await describeFocus(page)}`);
  }
}

/**
 * Opens an overlay from `opener` with the keyboard and checks that focus moves into it; that Tab and
 * Shift+Tab keep focus inside (a modal), or close it (`dismissOnTabOut`: a popup that closes when focus
 * leaves, like a click outside); for a menu, that the arrow keys keep focus in it; and that Esc closes
 * it and puts focus back on `returnTo` (the opener unless said otherwise).
 */
async function checkOverlay(page, { opener, open, overlay, returnTo = opener, tabs = 14, dismissOnTabOut = false, menu = false }) {
  const back = await returnTo.elementHandle();
  const openIt = async () => {
    await opener.focus();
    await open();
    await overlay.waitFor();
    try {
      await page.waitForFunction((el) => el.contains(document.activeElement), await overlay.elementHandle(), { timeout: 3000 });
    } catch {
      assert.fail(`focus should move into the overlay when it opens, but it is on ${await describeFocus(page)}`);
    }
  };
  await openIt();
  if (menu) {
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowUp', 'End', 'Home']) {
      await page.keyboard.press(key);
      assert.equal(await focusWhere(page, overlay), 'in', `${key} in a menu keeps focus in it`);
    }
  } else {
    for (const key of [...Array(tabs).fill('Tab'), ...Array(Math.ceil(tabs / 2)).fill('Shift+Tab')]) {
      await page.keyboard.press(key);
      if (dismissOnTabOut && !(await overlay.isVisible())) break;
      const where = await focusWhere(page, overlay);
      assert.notEqual(where, 'out', `${key} moved focus out of the open overlay, to ${await describeFocus(page)}`);
    }
  }
  if (!(await overlay.isVisible())) await openIt();
  // Esc closes the innermost layer, from wherever focus is inside the overlay.
  if ((await focusWhere(page, overlay)) !== 'in') await overlay.focus().catch(() => {});
  await page.keyboard.press('Escape');
  await overlay.waitFor({ state: 'hidden' });
  await expectFocusOn(page, back, 'the control that opened the overlay');
}

describe('keyboard', () => {
  let user;
  let page;

  before(async () => {
    user = await openUser(browser, server.url, { width: 1280, height: 800 });
    user.context.setDefaultTimeout(10_000);
    page = user.page;
    await page.emulateMedia({ reducedMotion: 'reduce' });
  });

  after(async () => {
    await user?.context.close();
  });

  it('Tab goes from the sign-in form into the shell: rail, channels, messages, composer, members', async () => {
    await page.evaluate(() => localStorage.removeItem('hearth.token'));
    await page.goto(server.url + '/');
    const order = [];
    const username = page.getByLabel('Username');
    await username.waitFor();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim()));
    }
    // The tabs are one stop (arrow keys move between them), then the fields and the button.
    assert.deepEqual(order, ['tab-login', 'username', 'password', 'Sign in']);
    await username.fill('ada');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.keyboard.press('Enter');
    await shellReady(page);
    await messageList(page).getByRole('article').filter({ hasText: 'Tomorrow at 10' }).waitFor();

    // Walk the whole page with Tab and note the region of each stop.
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    const regions = [];
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const r = await page.evaluate(() => {
        const a = document.activeElement;
        if (!a || a === document.body) return 'none';
        if (a.closest('nav[aria-label=Communities]')) return 'rail';
        if (a.closest('nav.channels, section[aria-label="Your account"]')) return 'channels';
        if (a.closest('ol[aria-label^="Messages in"]')) return 'messages';
        if (a.closest('form.composer')) return 'composer';
        if (a.closest('aside[aria-label=Members]')) return 'members';
        if (a.closest('main')) return 'header';
        return 'other';
      });
      if (regions.at(-1) !== r) regions.push(r);
      if (r === 'members') break;
    }
    const main = regions.filter((r) => ['rail', 'channels', 'messages', 'composer', 'members'].includes(r));
    assert.deepEqual(main, ['rail', 'channels', 'messages', 'composer', 'members'], `regions in Tab order: ${regions.join(' → ')}`);
  });

  it('the guild menu: arrow keys inside, Esc returns focus to its button', async () => {
    await openShell(page);
    const button = page.locator('button[aria-haspopup="menu"]').filter({ hasText: 'Audit Club' });
    await checkOverlay(page, { opener: button, open: () => page.keyboard.press('Enter'), overlay: page.getByRole('menu'), menu: true });
  });

  for (const [name, section, dialogName] of [
    ['user settings', 'User settings', 'User settings'],
    ['admin panel', 'Instance administration', 'Instance admin'],
  ])
    it(`${name}: focus stays inside, Esc returns it`, async () => {
      await openShell(page);
      await checkOverlay(page, { opener: page.getByRole('button', { name: section }), open: () => page.keyboard.press('Enter'), overlay: page.getByRole('dialog', { name: dialogName }), tabs: 30 });
    });

  for (const [item, dialog] of [
    ['Server settings', { name: 'Audit Club settings' }],
    [/invite people/i, { name: /invite people/i }],
  ])
    it(`guild menu → ${item}: focus stays inside, Esc returns it to the menu button`, async () => {
      await openShell(page);
      const button = page.locator('button[aria-haspopup="menu"]').filter({ hasText: 'Audit Club' });
      await checkOverlay(page, {
        opener: button,
        open: async () => {
          await page.keyboard.press('Enter');
          await page.getByRole('menuitem', { name: item }).waitFor();
          await page.getByRole('menuitem', { name: item }).focus();
          await page.keyboard.press('Enter');
        },
        overlay: page.getByRole('dialog', dialog),
        tabs: 20,
      });
    });

  it('quick switcher (Ctrl+K) and shortcuts help (Ctrl+/) from the composer', async () => {
    await openShell(page);
    const composer = page.getByRole('combobox', { name: /^Message #/ });
    await checkOverlay(page, { opener: composer, open: () => page.keyboard.press('Control+k'), overlay: page.getByRole('dialog', { name: 'Quick switcher' }), tabs: 6 });
    await checkOverlay(page, { opener: composer, open: () => page.keyboard.press('Control+/'), overlay: page.getByRole('dialog', { name: 'Keyboard shortcuts' }), tabs: 6 });
  });

  it('create a community and join dialogs from the rail', async () => {
    await openShell(page);
    for (const name of ['Create a community', 'Join with an invite'])
      await checkOverlay(page, { opener: page.getByRole('button', { name }), open: () => page.keyboard.press('Enter'), overlay: page.getByRole('dialog', { name: name === 'Create a community' ? 'Create a community' : 'Join a community' }), tabs: 8 });
  });

  it('member profile popover', async () => {
    await openShell(page);
    const member = page.getByRole('complementary', { name: 'Members' }).getByRole('button', { name: /Bob Builder/ });
    await checkOverlay(page, { opener: member, open: () => page.keyboard.press('Enter'), overlay: page.getByRole('dialog').filter({ has: page.getByRole('button', { name: 'Close profile' }) }), tabs: 10 });
  });

  it('emoji picker from the composer', async () => {
    await openShell(page);
    // Closing it puts focus in the message box, where the emoji went (Discord's behaviour), rather than on the button.
    await checkOverlay(page, {
      opener: page.getByRole('button', { name: 'Emoji', exact: true }),
      open: () => page.keyboard.press('Enter'),
      overlay: page.getByRole('dialog', { name: 'Emoji picker' }),
      returnTo: page.getByRole('combobox', { name: /^Message #/ }),
      tabs: 14,
      dismissOnTabOut: true,
    });
  });

  it('pinned messages', async () => {
    await openShell(page);
    await checkOverlay(page, { opener: page.getByRole('button', { name: 'Pinned messages' }), open: () => page.keyboard.press('Enter'), overlay: page.getByRole('dialog', { name: 'Pinned messages' }), tabs: 8, dismissOnTabOut: true });
  });

  it('a message: its More menu and the reaction picker', async () => {
    await openShell(page);
    const msg = messageList(page).getByRole('article').filter({ hasText: 'Tomorrow at 10' });
    await msg.focus();
    await checkOverlay(page, { opener: msg.getByRole('button', { name: 'More' }), open: () => page.keyboard.press('Enter'), overlay: page.getByRole('menu'), menu: true });
    await msg.focus();
    await checkOverlay(page, { opener: msg.getByRole('group', { name: 'Message actions' }).getByRole('button', { name: 'Add reaction' }), open: () => page.keyboard.press('Enter'), overlay: page.getByRole('dialog', { name: /add reaction|emoji picker/i }).first(), tabs: 10, dismissOnTabOut: true });
  });

  it('phone: the navigation and member drawers keep focus while open and give it back', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await openShell(page);
      await checkOverlay(page, {
        opener: page.getByRole('button', { name: 'Open channels and communities' }),
        open: () => page.keyboard.press('Enter'),
        overlay: page.locator('.nav.open'),
        tabs: 16,
      });
      await checkOverlay(page, {
        opener: page.getByRole('button', { name: 'Show the member list' }),
        open: () => page.keyboard.press('Enter'),
        overlay: page.getByRole('complementary', { name: 'Members' }),
        returnTo: page.getByRole('button', { name: /member list/ }),
        tabs: 8,
      });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('ran without CSP violations or page errors', () => {
    assert.deepEqual(user.problems, []);
  });
});
