// The API reference page at /docs (Redoc, reading /openapi.json) in Debian's
// chromium: it renders every operation of the document, under its own
// Content-Security-Policy, with no console error (a CSP violation is one).
// Run through tests/browser/run.sh, which sets SOCM_UI_URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';

const BASE = process.env.SOCM_UI_URL;
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const skip = !BASE ? 'SOCM_UI_URL is not set: run tests/browser/run.sh' : false;

let context;
const problems = [];
// Redoc's menu asks for its maker's logo from a CDN; the policy blocks that on
// purpose (reading our docs tells no third party), and Chromium reports it.
const BLOCKED_ON_PURPOSE = /^Loading the image 'https:\/\/cdn\.redoc\.ly\/[^']+' violates the following Content Security Policy directive: "img-src 'self' data:"/;

before(async () => {
  if (skip) return;
  await mkdir(SHOTS, { recursive: true });
  context = await launchChromium();
  context.setDefaultTimeout(20000);
});

after(async () => {
  if (context) await context.close();
});

test('the reference page renders the whole document under its CSP', { skip }, async () => {
  const page = context.pages()[0] || (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !BLOCKED_ON_PURPOSE.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));

  const response = await page.goto(`${BASE}/docs`);
  assert.equal(response.status(), 200);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self';/);

  const doc = await (await fetch(`${BASE}/openapi.json`)).json();
  await page.locator('h1', { hasText: doc.info.title }).waitFor();
  // Every operation is in the menu, by its summary.
  const summaries = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.summary));
  const menu = await page.locator('[role=menuitem], .menu-content label').allInnerTexts();
  const menuText = menu.join('\n');
  for (const summary of summaries) assert.ok(menuText.includes(summary), `missing from the page: ${summary}`);

  await page.locator('h2', { hasText: 'Set one role' }).first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'docs.png') });
  assert.deepEqual(problems, []);
});
