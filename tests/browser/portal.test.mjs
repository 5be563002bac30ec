// The portal pages of the web UI against the real suite: an admin registers a webhook to a
// receiver on loopback (tests/e2e/webhook_receiver.mjs, which verifies signatures on its own;
// tests/browser/run.sh starts the assessment service with the allow-private switch), copies its
// secret from the one screen that shows it, sends a test event and sees it delivered in the
// log; a viewer is told webhooks are an admin's; on an assessment's results, a share link is
// made, its embed snippet shows a radar that loads without a key, and revoking it stops it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, signInWithKey } from './chromium.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BASE = process.env.SOCM_UI_URL;
const OPERATOR = process.env.SOCM_UI_OPERATOR;
const SHOTS = join(HERE, 'screenshots');
const skipAll = !BASE || !OPERATOR ? 'SOCM_UI_URL and SOCM_UI_OPERATOR are not set: run tests/browser/run.sh' : false;

const problems = [];
const state = {};
let context;
let page;
let receiver;

async function rest(method, path, { body, key = state.admin } = {}) {
  const headers = { Authorization: `Bearer ${key}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

function startReceiver() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, '..', 'e2e', 'webhook_receiver.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    child.stdout.once('data', (line) => {
      try {
        resolve({ child, port: JSON.parse(line).http_port });
      } catch (err) { reject(err); }
    });
    child.once('error', reject);
  });
}

const signIn = (p, key) => signInWithKey(p, BASE, key);

before(async () => {
  if (skipAll) return;
  await mkdir(SHOTS, { recursive: true });
  receiver = await startReceiver();
  const tenant = await rest('POST', '/v1/tenants', { key: OPERATOR, body: { displayName: 'Portal tenant' } });
  state.tenant = tenant.id;
  state.admin = (await rest('POST', `/v1/tenants/${tenant.id}/apiKeys`, { key: OPERATOR, body: { role: 'admin' } })).key;
  state.viewer = (await rest('POST', `/v1/tenants/${tenant.id}/apiKeys`, { body: { role: 'viewer' } })).key;
  const org = await rest('POST', '/v1/organizations', { body: { displayName: 'Aoba Bank', industry: 'finance' } });
  const a = await rest('POST', `/v1/organizations/${org.id}/assessments`,
    { body: { catalogueId: 'isogj-soc-csirt', title: 'FY2026', assessedOn: '2026-11-01' } });
  await rest('POST', `/v1/organizations/${org.id}/assessments/${a.id}/answers:batchUpdate`, { body: { answers: [
    { roleCode: 'A-1', inSource: 4 }, { roleCode: 'B-1', inSource: 3 }, { roleCode: 'C-1', inSource: 2 },
    { roleCode: 'D-1', inSource: 5 }, { roleCode: 'E-1', inSource: 1 }] } });
  state.org = org.id;
  state.assessment = a.id;
  context = await launchChromium({ locale: 'en-GB' });
  context.setDefaultTimeout(15000);
  page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // Refusals the steps meet on purpose: the viewer's webhook list (403) and the results page's
    // peer benchmark with no organisation approved (412).
    if (msg.type() !== 'error') return;
    const url = msg.location()?.url || '';
    if (/status of 403/.test(msg.text()) && /\/v1\/webhooks/.test(url)) return;
    if (/status of 412/.test(msg.text()) && /\/v1\/benchmark\?/.test(url)) return;
    problems.push(`console: ${msg.text()} ${url}`);
  });
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto(`${BASE}/`);
  await page.evaluate(() => localStorage.setItem('socm.lang', 'en'));
});

after(async () => {
  if (context) await context.close();
  if (receiver) receiver.child.kill();
});

test('an admin registers a webhook, keeps its secret and sees a test event delivered', { skip: skipAll }, async () => {
  await signIn(page, state.admin);
  await page.locator('#sections a[href="#/webhooks"]').click();
  await page.waitForURL(/#\/webhooks$/);
  await page.locator('#wh-empty').waitFor();
  const url = `http://127.0.0.1:${receiver.port}/portal-hook`;
  await page.locator('#wh-url').fill(url);
  await page.locator('#wh-register').click();
  const secret = await page.locator('#webhook-secret code').innerText();
  assert.match(secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
  await page.locator(`#webhook-list a.url-cell:text("${url}")`).waitFor();
  await page.screenshot({ path: join(SHOTS, 'webhooks.png'), fullPage: true });
  // The receiver checks signatures with the secret the screen showed.
  await fetch(`http://127.0.0.1:${receiver.port}/control`, { method: 'POST',
    body: JSON.stringify({ path: '/portal-hook', secret }) });
  const listed = await rest('GET', '/v1/webhooks');
  assert.equal(listed.webhooks.length, 1);
  assert.equal(listed.webhooks[0].secret, undefined, 'the list never shows a secret');

  await page.locator('#webhook-list a.btn').click();
  await page.waitForURL(/#\/webhooks\/wh_/);
  await page.locator('#wh-log-empty').waitFor();
  await page.locator('#wh-send-test').click();
  await page.locator('#delivery-log tr[data-status="DELIVERED"]').waitFor();
  const row = page.locator('#delivery-log tr[data-status="DELIVERED"]').first();
  assert.match(await row.innerText(), /webhook\.test/);
  assert.match(await row.innerText(), /200/);
  const got = await (await fetch(`http://127.0.0.1:${receiver.port}/control/received`)).json();
  const mine = got.filter((r) => r.path === '/portal-hook');
  assert.equal(mine.length, 1);
  assert.equal(mine[0].verified, 'ok');
  await page.screenshot({ path: join(SHOTS, 'webhook-deliveries.png'), fullPage: true });
});

test('a viewer is told webhooks are an admin\'s', { skip: skipAll }, async () => {
  const viewerPage = await context.newPage();
  viewerPage.on('pageerror', (err) => problems.push(`viewer page error: ${err.message}`));
  await signIn(viewerPage, state.viewer);
  await viewerPage.goto(`${BASE}/#/webhooks`);
  await viewerPage.locator('main .alert, main [role="alert"], main .error-box').first().waitFor();
  assert.match(await viewerPage.locator('main').innerText(), /tenant-wide admin/);
  await viewerPage.close();
});

test('a share link embeds the radar without a key until it is revoked', { skip: skipAll }, async () => {
  await page.goto(`${BASE}/#/orgs/${state.org}/assessments/${state.assessment}/results`);
  await page.locator('#share-empty').waitFor();
  await page.locator('#share-create').click();
  const snippet = await page.locator('#share-snippet code').innerText();
  const radar = snippet.match(/<img src="([^"]+)"/)[1];
  assert.match(radar, /\/share\/shr_[0-9a-f]{64}\/radar\.svg\?lang=en$/);
  assert.match(snippet, /<iframe src="[^"]+\/share\/shr_[0-9a-f]{64}\/report\?format=html&amp;lang=en"/);
  await page.locator('#share-links tbody tr').first().waitFor();
  assert.equal(await page.locator('#share-links tbody tr').count(), 1);
  assert.ok(!(await page.locator('#share-links').innerText()).includes('shr_'), 'the list never shows a token');
  await page.locator('#share').screenshot({ path: join(SHOTS, 'share-link.png') });

  const shown = await fetch(radar);
  assert.equal(shown.status, 200);
  assert.match(shown.headers.get('content-type'), /^image\/svg\+xml/);
  await page.locator('#share-links button.btn-danger').click();
  await page.locator('#share-empty').waitFor();
  assert.equal((await fetch(radar)).status, 404);
});

test('no page error or unexpected console error on the portal pages', { skip: skipAll }, () => {
  assert.deepEqual(problems, []);
});
