/**
 * Debian's Chromium driven by playwright-core. Every page records CSP violations, uncaught errors and
 * console errors, so each test can assert that the app ran clean under the server's strict CSP.
 */
import { chromium } from 'playwright-core';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

export async function openUser(browser, url, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    // A failed request is reported by the app itself (and some tests cause them on purpose).
    if (m.type() === 'error' && !/Failed to load resource|WebSocket connection to/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample ?? ''}`);
    });
  });
  await page.goto(url);
  return { context, page, problems };
}
