// The first run and the operator's and admin's screens, in Chromium: the operator opens the
// one-time link the gateway wrote at start (as deploy/local/run.sh prints it), lands on the
// tenants, creates one and issues its first admin key (shown once); the link is spent. The
// admin signs in with that key, issues a key pinned to a customer and revokes it, and reads
// the audit log, which names those changes and whose chain checks out.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, signInWithKey } from './chromium.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const API = process.env.SOCM_UI_URL;
const LINK_FILE = process.env.SOCM_UI_OPERATOR_LINK_FILE;
const SHOTS = join(HERE, 'screenshots');
const skipAll = !API || !LINK_FILE ? 'SOCM_UI_URL and SOCM_UI_OPERATOR_LINK_FILE are not set: run tests/browser/run.sh' : false;
// The link names localhost, as the gateway's --public-url says (a secure context for cookies).
const BASE = API ? API.replace('127.0.0.1', 'localhost') : '';

const state = {};
let context;

before(async () => {
  if (skipAll) return;
  await mkdir(SHOTS, { recursive: true });
  context = await launchChromium();
});

after(async () => {
  if (context) await context.close();
});

test('the operator signs in with the one-time link, creates a tenant and its first admin key', { skip: skipAll }, async () => {
  const link = (await readFile(LINK_FILE, 'utf8')).trim();
  assert.ok(link.startsWith(`${BASE}/#operator=`), link);
  const page = await context.newPage();
  await page.goto(link);
  await page.waitForURL(`${BASE}/#/tenants`);
  await page.locator('#tenant-form').waitFor();
  // The code left the address bar and the history; the session is the operator's, in an
  // HttpOnly cookie.
  assert.doesNotMatch(page.url(), /operator=/);
  await page.goBack();
  await page.goForward();
  assert.doesNotMatch(page.url(), /operator=/);
  await page.locator('#tenant-form').waitFor();
  const cookies = await context.cookies(BASE);
  assert.equal(cookies.find((c) => c.name === '__Host-socm_session').httpOnly, true);
  assert.match(await page.locator('#who').innerText(), /operator|オペレーター/);
  // Only the operator's section is offered.
  assert.equal(await page.locator('#sections a[href="#/tenants"]').isVisible(), true);
  assert.equal(await page.locator('#sections a[href="#/orgs"]').isVisible(), false);

  await page.locator('#tenant-name').fill('Kitsune MSSP');
  await page.locator('#tenant-new-slug').fill('kitsune');
  await page.screenshot({ path: join(SHOTS, 'tenants.png'), fullPage: true });
  await page.locator('#tenant-create').click();
  await page.waitForURL(/#\/tenants\/[^/]+\/keys$/);
  state.tenant = decodeURIComponent(page.url().split('/').slice(-2)[0]);
  await page.locator('#key-form').waitFor();
  assert.equal(await page.locator('#key-role').inputValue(), 'admin', 'the first key offered is an admin key');
  await page.locator('#key-description').fill('Kitsune administrator');
  await page.locator('#key-issue').click();
  await page.locator('#new-key').waitFor();
  state.admin = (await page.locator('#new-key-value').innerText()).trim();
  assert.ok(state.admin.length >= 32, state.admin);
  await page.locator('#key-list tbody tr').first().waitFor();
  assert.match(await page.locator('#key-list').innerText(), /Kitsune administrator/);
  assert.doesNotMatch(await page.locator('#key-list').innerText(), new RegExp(state.admin), 'the list never shows a key');
  await page.screenshot({ path: join(SHOTS, 'tenant-keys.png'), fullPage: true });
  await page.locator('[data-lang=ja]').click();
  await page.locator('main h1', { hasText: 'のAPIキー' }).waitFor();
  await page.screenshot({ path: join(SHOTS, 'tenant-keys-ja.png'), fullPage: true });

  // Back on the tenants, the new one is listed with its short name.
  await page.goto(`${BASE}/#/tenants`);
  await page.locator(`#tenant-list tr[data-tenant="${state.tenant}"]`).waitFor();
  assert.match(await page.locator(`#tenant-list tr[data-tenant="${state.tenant}"]`).innerText(), /kitsune/);
  await page.screenshot({ path: join(SHOTS, 'tenants-ja.png'), fullPage: true });
  await page.locator('[data-lang=en]').click();
  await page.locator('main h1', { hasText: 'Tenants' }).waitFor();

  // The link was for one use.
  const again = await fetch(`${API}/auth/operator`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: link.split('#operator=')[1] }),
  });
  assert.equal(again.status, 401);
  await page.locator('#signout').click();
  await page.waitForURL(`${BASE}/#/signin`);

  // A link pasted into a tab that already runs the UI is taken too; a spent one says so.
  await page.evaluate((code) => { location.hash = `#operator=${code}`; }, link.split('#operator=')[1]);
  await page.locator('main .alert-info', { hasText: /link is unknown, used or expired/ }).waitFor();
  assert.doesNotMatch(page.url(), /operator=/);
  await page.close();
});

test('the admin issues a pinned key, revokes it, and reads the audit log', { skip: skipAll }, async () => {
  assert.ok(state.admin, 'the operator test issued the admin key');
  const org = await (await fetch(`${API}/v1/organizations`, {
    method: 'POST', headers: { Authorization: `Bearer ${state.admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ displayName: 'Inari Securities' }),
  })).json();
  const page = await context.newPage();
  await signInWithKey(page, BASE, state.admin);
  await page.locator('#sections a[href="#/keys"]').click();
  await page.locator('#key-form').waitFor();
  // The admin's own key is marked as this browser's.
  await page.locator('#key-list tbody tr').first().waitFor();
  assert.match(await page.locator('#key-list').innerText(), /Kitsune administrator/);

  await page.locator('#key-role').selectOption('viewer');
  await page.locator('#key-org').selectOption(org.id);
  await page.locator('#key-description').fill('Inari portal');
  await page.locator('#key-issue').click();
  await page.locator('#new-key').waitFor();
  const pinned = (await page.locator('#new-key-value').innerText()).trim();
  const me = await (await fetch(`${API}/v1/me`, { headers: { Authorization: `Bearer ${pinned}` } })).json();
  assert.equal(me.role, 'viewer');
  assert.equal(me.organizationId, org.id);
  const row = page.locator('#key-list tbody tr', { hasText: 'Inari portal' });
  await row.waitFor();
  assert.match(await row.innerText(), /Inari Securities/);
  await page.screenshot({ path: join(SHOTS, 'keys.png'), fullPage: true });

  page.once('dialog', (dialog) => dialog.accept());
  await row.locator('button.btn-danger').click();
  await page.locator('#key-list tbody tr.row-muted', { hasText: 'Inari portal' }).waitFor();
  // Refused once the gateway's key cache lets it go (--key-cache-ms, 5 s by default).
  let status = 0;
  for (let i = 0; i < 40 && status !== 401; i += 1) {
    status = (await fetch(`${API}/v1/me`, { headers: { Authorization: `Bearer ${pinned}` } })).status;
    if (status !== 401) await new Promise((resolve) => { setTimeout(resolve, 250); });
  }
  assert.equal(status, 401, 'a revoked key is refused');

  await page.locator('#sections a[href="#/audit"]').click();
  await page.locator('#audit-list tbody tr').first().waitFor();
  const log = await page.locator('#audit-list').innerText();
  assert.match(log, /apiKey\.revoke/);
  assert.match(log, /apiKey\.create/);
  assert.match(log, /organization\.create/);
  assert.match(log, /Inari Securities/);
  await page.locator('#audit-verify').click();
  await page.locator('#audit-verify-result .alert-success').waitFor();
  assert.match(await page.locator('#audit-list').innerText(), /key “Kitsune administrator”/);
  await page.screenshot({ path: join(SHOTS, 'audit.png'), fullPage: true });
  // In Japanese, as the customers' staff read it.
  await page.locator('[data-lang=ja]').click();
  await page.locator('main h1', { hasText: '監査ログ' }).waitFor();
  await page.screenshot({ path: join(SHOTS, 'audit-ja.png'), fullPage: true });
  await page.locator('#sections a[href="#/keys"]').click();
  await page.locator('main h1', { hasText: 'APIキー' }).waitFor();
  await page.locator('#key-list tbody tr').first().waitFor();
  await page.screenshot({ path: join(SHOTS, 'keys-ja.png'), fullPage: true });
  await page.close();
});
