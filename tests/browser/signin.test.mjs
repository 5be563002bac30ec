// Signing in to the web UI through a real OpenID provider (tests/oidc/provider.mjs, oidc-provider
// from npm) in Chromium: the tenant's admin sets the provider up over the API, Bob (an analyst
// whom the provider gives two of the tenant's three customers) signs in with his company
// account from the sign-in page, goes through the provider's own login and consent screens,
// lands on the organisations and sees only his two, and signs out; afterwards his session
// cookie is worth nothing. The UI runs at http://localhost (a secure context, so the
// __Host- cookies hold over plain http), as tests/browser/run.sh gives the gateway its
// --public-url.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const API = process.env.SOCM_UI_URL;
const OPERATOR = process.env.SOCM_UI_OPERATOR;
const SHOTS = join(HERE, 'screenshots');
const skipAll = !API || !OPERATOR ? 'SOCM_UI_URL and SOCM_UI_OPERATOR are not set: run tests/browser/run.sh' : false;
// The browser's address of the same gateway: localhost, as its --public-url says.
const BASE = API ? API.replace('127.0.0.1', 'localhost') : '';

const state = {};
let context;
let provider;

async function rest(method, path, { body, key = state.admin } = {}) {
  const headers = { Authorization: `Bearer ${key}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${API}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

function startProvider(customers) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, '..', 'oidc', 'provider.mjs'), '--port', '0',
      '--redirect', `${BASE}/auth/callback`, '--customers', `bob=${customers.join(',')}`],
    { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    child.stdout.once('data', (line) => {
      try {
        resolve({ child, issuer: JSON.parse(line).issuer });
      } catch (err) { reject(err); }
    });
    child.once('error', reject);
  });
}

before(async () => {
  if (skipAll) return;
  await mkdir(SHOTS, { recursive: true });
  const tenant = await rest('POST', '/v1/tenants', {
    key: OPERATOR, body: { displayName: 'Acme SOC (browser)', slug: 'acme-browser' },
  });
  state.admin = (await rest('POST', `/v1/tenants/${tenant.id}/apiKeys`, { key: OPERATOR, body: { role: 'admin' } })).key;
  state.orgs = [];
  for (const displayName of ['Hikari Bank', 'Sakura Insurance', 'Tsubame Rail']) {
    state.orgs.push((await rest('POST', '/v1/organizations', { body: { displayName } })).id);
  }
  provider = await startProvider(state.orgs.slice(0, 2));
  await rest('PUT', '/v1/identityProvider', {
    body: {
      issuer: provider.issuer,
      clientId: 'soc-maturity',
      clientSecret: 'soc-maturity-test-secret',
      scopes: ['email', 'profile', 'soc'],
      claimMapping: {
        roleClaim: 'groups',
        roles: { 'soc-admins': 'admin', 'soc-analysts': 'assessor' },
        organizationClaim: 'soc_customers',
      },
    },
  });
  context = await launchChromium();
});

after(async () => {
  if (context) await context.close();
  if (provider) provider.child.kill('SIGTERM');
});

test('a person signs in through the provider, sees only their customers, and signs out', { skip: skipAll }, async () => {
  const page = await context.newPage();
  await page.goto(`${BASE}/#/signin`);
  await page.locator('#tenant-slug').fill('acme-browser');
  await page.screenshot({ path: join(SHOTS, 'signin-provider.png') });
  await page.locator('#signin-provider button[type=submit]').click();

  // The provider's own screens: its login form, then its consent form.
  await page.waitForURL((url) => url.href.startsWith(provider.issuer));
  await page.locator('input[name=login]').fill('bob');
  await page.locator('input[name=password]').fill('any');
  await page.screenshot({ path: join(SHOTS, 'signin-provider-login.png') });
  await page.locator('button[type=submit]').click();
  // The consent screen follows the login screen.
  await page.locator('input[name=login]').waitFor({ state: 'detached' });
  await page.locator('button[type=submit]').click();

  // Back at the gateway, signed in, on the organisations.
  await page.waitForURL(`${BASE}/#/orgs`);
  const rows = page.locator('main table tbody tr');
  await rows.first().waitFor();
  const names = await page.locator('main table tbody').innerText();
  assert.match(names, /Hikari Bank/);
  assert.match(names, /Sakura Insurance/);
  assert.doesNotMatch(names, /Tsubame Rail/, 'a customer outside Bob\'s scope is not listed');
  await page.locator('main h2', { hasText: /Your organisations \(2\)|担当の組織\(2\)/ }).waitFor();
  await page.locator('#who').filter({ hasText: /./ }).waitFor();
  await page.screenshot({ path: join(SHOTS, 'signin-person-orgs.png') });

  const cookies = await context.cookies(BASE);
  const session = cookies.find((c) => c.name === '__Host-socm_session');
  assert.ok(session, 'the session cookie is kept');
  assert.equal(session.httpOnly, true);
  assert.equal(session.secure, true);
  assert.equal(session.sameSite, 'Lax');
  // The page cannot read the session, only its CSRF token.
  const readable = await page.evaluate(() => document.cookie);
  assert.doesNotMatch(readable, /socm_session/);
  assert.match(readable, /__Host-socm_csrf=/);

  // Who the page says is signed in, and a direct call outside the scope.
  const me = await page.evaluate(async () => (await fetch('/v1/me', { credentials: 'same-origin' })).json());
  assert.equal(me.kind, 'person');
  assert.equal(me.role, 'assessor');
  assert.deepEqual([...me.organizationIds].sort(), state.orgs.slice(0, 2).sort());
  const outside = await page.evaluate(async (id) => (await fetch(`/v1/organizations/${id}`)).status, state.orgs[2]);
  assert.equal(outside, 404);

  await page.locator('#signout').click();
  await page.waitForURL(`${BASE}/#/signin`);
  await page.locator('#tenant-slug').waitFor();
  const after = await context.cookies(BASE);
  assert.equal(after.find((c) => c.name === '__Host-socm_session'), undefined, 'the session cookie is gone');
  // The old session is ended at the server, not only forgotten by the browser.
  const res = await fetch(`${API}/v1/me`, { headers: { Cookie: `__Host-socm_session=${session.value}` } });
  assert.equal(res.status, 401);
  await page.close();
});

test('the admin sees who signed in, with their scope, and the provider settings', { skip: skipAll }, async () => {
  const page = await context.newPage();
  await page.goto(`${BASE}/#/signin`);
  await page.locator('#api-key').fill(state.admin);
  await page.locator('#signin-key button[type=submit]').click();
  await page.waitForURL(/#\/orgs$/);
  await page.goto(`${BASE}/#/people`);
  const row = page.locator('#people-list tbody tr').first();
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /Bob Analyst/);
  assert.match(text, /Hikari Bank/);
  assert.match(text, /Sakura Insurance/);
  assert.equal(await page.locator('#idp-issuer').inputValue(), provider.issuer);
  assert.equal(await page.locator('#idp-secret').inputValue(), '', 'the secret is never shown');
  await page.screenshot({ path: join(SHOTS, 'people.png'), fullPage: true });

  // The admin narrows Bob to one customer: the page shows it, and the server keeps it.
  await row.locator('button').click();
  const editor = page.locator('#people-list tr.edit-row');
  await editor.waitFor();
  assert.equal(await editor.locator('input[id^=every-]').isChecked(), false);
  await editor.locator('label', { hasText: 'Sakura Insurance' }).locator('input').uncheck();
  await editor.locator('button.btn-primary').click();
  await page.locator('#people-list tbody tr').first().filter({ hasNotText: 'Sakura Insurance' }).waitFor();
  assert.match(await page.locator('#people-list tbody tr').first().innerText(), /set|admin/i);
  const people = await rest('GET', '/v1/people');
  assert.deepEqual(people.people[0].organizationIds, [state.orgs[0]]);
  assert.equal(people.people[0].setByAdmin, true);
  await page.close();
});
