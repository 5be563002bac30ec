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
