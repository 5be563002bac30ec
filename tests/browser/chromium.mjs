// Debian's chromium for the browser tests, started as this machine needs it:
// headless, no sandbox (root), and none of the background connections a
// closed network refuses. A fresh profile each time.
import { chromium } from 'playwright-core';

export function launchChromium(options = {}) {
  return chromium.launchPersistentContext('', {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    ...options,
  });
}

// Signs `page` in through the sign-in form with an API key and waits for the organisations.
export async function signInWithKey(page, base, key) {
  await page.goto(`${base}/`);
  await page.locator('#api-key').fill(key);
  await page.locator('#signin-key button[type=submit]').click();
  await page.waitForURL(/#\/orgs$/);
  await page.locator('main h1').waitFor();
}
