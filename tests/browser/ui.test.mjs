// Browser tests of the web UI against the real suite, driven through Debian's
// chromium with playwright-core. Run through tests/browser/run.sh, which
// starts the suite and sets SOCM_UI_URL and SOCM_UI_KEY (an admin key of a
// fresh tenant). The steps share one browser and run in order.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';

const BASE = process.env.SOCM_UI_URL;
const KEY = process.env.SOCM_UI_KEY;
const TENANT = process.env.SOCM_UI_TENANT; // optional: lets a step make an assessor key
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const skipAll = !BASE || !KEY ? 'SOCM_UI_URL and SOCM_UI_KEY are not set: run tests/browser/run.sh' : false;

// Chromium logs every HTTP error response of a fetch as a console error. These
// are the refusals the steps provoke on purpose; any other console error fails.
const EXPECTED_HTTP_ERRORS = [
  { status: 401, path: /\/v1\/organizations\?pageSize=1$/ }, // the wrong key at sign-in
  { status: 403, path: /\/v1\/organizations$/ }, // an assessor key adding an organisation
  { status: 403, path: /\/auditLog\?/ }, // the role probe of an assessor key
  { status: 412, path: /\/v1\/benchmark\?/ }, // fewer than five organisations
  { status: 409, path: /\/answers\/[^/]+$/ }, // the provoked etag conflict
  { status: 501, path: /\/(radar\.svg|report)\?/ }, // reporting not implemented yet
];

const problems = [];
const seenHttpErrors = [];
let context;
let page;
const state = {};

function watch(p, name) {
  p.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const url = (msg.location() && msg.location().url) || '';
    const m = text.match(/^Failed to load resource: the server responded with a status of (\d{3})/);
    if (m && EXPECTED_HTTP_ERRORS.some((e) => e.status === Number(m[1]) && e.path.test(url))) {
      seenHttpErrors.push(`${m[1]} ${url}`);
      return;
    }
    problems.push(`${name}: console error: ${text} ${url}`);
  });
  p.on('pageerror', (err) => problems.push(`${name}: page error: ${err.message}`));
}

async function newPage(name) {
  const p = await context.newPage();
  watch(p, name);
  return p;
}

async function signIn(p, key = KEY) {
  await p.goto(`${BASE}/`);
  await p.locator('#api-key').fill(key);
  await p.locator('form button[type=submit]').click();
  await p.waitForURL(/#\/orgs$/);
  await p.locator('main h1').waitFor();
}

async function waitSaved(p) {
  await p.waitForFunction(() => {
    const root = document.querySelector('section.sheet');
    return root && root.dataset.pending === '0';
  }, null, { timeout: 30000 });
}

const sheetValues = (p) => p.evaluate(() => Object.fromEntries(
  Array.from(document.querySelectorAll('tr[data-role]'), (tr) => [tr.dataset.role, {
    in: tr.querySelector('select[id^="in-"]').value,
    out: tr.querySelector('select[id^="out-"]').value,
  }])));

// Whether the reporting service answered 501 UNIMPLEMENTED in this slot (the
// UI then shows the API error). Until reporting lands, those steps are skipped;
// SOCM_UI_REQUIRE_REPORTING=1 makes them fail instead.
async function notImplemented(slot) {
  const alert = slot.locator('.alert');
  const unimplemented = (await alert.count()) > 0 && (await alert.innerText()).includes('UNIMPLEMENTED');
  assert.ok(!unimplemented || process.env.SOCM_UI_REQUIRE_REPORTING !== '1', 'the reporting service answers 501');
  return unimplemented;
}

before(async () => {
  if (skipAll) return;
  await mkdir(SHOTS, { recursive: true });
  context = await launchChromium({ locale: 'en-GB', acceptDownloads: true });
  context.setDefaultTimeout(15000);
  page = context.pages()[0] || (await context.newPage());
  watch(page, 'page 1');
});

after(async () => {
  if (context) await context.close();
});

test('signs in with an API key kept out of the URL', { skip: skipAll }, async () => {
  await page.goto(`${BASE}/`);
  await page.waitForURL(/#\/signin$/);
  await page.locator('[data-lang="ja"]').click();
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  await page.locator('#api-key').fill('socm_not_a_key');
  await page.locator('form button[type=submit]').click();
  await page.locator('.form-alert [role=alert]').waitFor();
  assert.match(await page.locator('.form-alert').innerText(), /APIキー/);

  await page.locator('#api-key').fill(KEY);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(/#\/orgs$/);
  await page.locator('#signout').waitFor();
  assert.match(await page.locator('#who').innerText(), /サインイン中/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('socm.apiKey')), KEY);
  assert.ok(!page.url().includes(KEY));
});

test('creates an organisation (its name shown as text, never as markup)', { skip: skipAll }, async () => {
  state.orgName = `UI test <img src=x onerror=alert(1)> ${Date.now()}`;
  await page.locator('#org-name').fill(state.orgName);
  await page.locator('#org-industry').fill('finance');
  await page.locator('#org-employees').fill('1200');
  await page.getByRole('button', { name: '組織を追加' }).click();
  await page.waitForURL(/#\/orgs\/[^/]+$/);
  await page.locator('main h1', { hasText: state.orgName }).waitFor();
  await page.locator('#as-title').waitFor();
  assert.equal(await page.locator('main img, #crumbs img').count(), 0);
  state.orgUrl = page.url();
});

test('an assessor key gets a readable message when adding an organisation', { skip: skipAll || !TENANT }, async () => {
  const res = await fetch(`${BASE}/v1/tenants/${TENANT}/apiKeys`, {
    method: 'POST', headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'assessor', description: 'browser test' }),
  });
  assert.ok(res.ok, await res.clone().text());
  const { key } = await res.json();
  const other = await newPage('assessor page');
  await signIn(other, key);
  await other.locator('#who', { hasText: '評価者または閲覧者' }).waitFor();
  await other.locator('#org-name').fill('not allowed');
  await other.getByRole('button', { name: '組織を追加' }).click();
  const alert = other.locator('.form-alert [role=alert]');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /管理者キーだけ/);
  assert.match(text, /PERMISSION_DENIED/);
  await other.close();
});

test('creates an assessment with a function target', { skip: skipAll }, async () => {
  await page.locator('#as-target-A').waitFor();
  await page.locator('#as-title').fill('FY2026 UI');
  await page.locator('#as-date').fill('2026-11-26');
  await page.locator('#as-policy').selectOption('COUNT_DECIDED_NOT_TO_AS_ZERO');
  await page.locator('#as-target-A').selectOption('4');
  await page.locator('#as-target-C').selectOption('3');
  await page.getByRole('button', { name: '評価を作成' }).click();
  await page.waitForURL(/\/assessments\/[^/]+$/);
  await page.locator('tr[data-role]').first().waitFor();
  assert.equal(await page.locator('tr[data-role]').count(), 54);
  assert.equal(await page.locator('section.fn-card').count(), 9);
  state.sheetUrl = page.url();
  // The ISOG-J guidance is shown, and every control has a name for screen readers.
  assert.match(await page.locator('.alert-hint').innerText(), /1/);
  const unnamed = await page.evaluate(() => Array.from(document.querySelectorAll('main select, main textarea, main input'))
    .filter((el) => !el.getAttribute('aria-label') && !(el.id && document.querySelector(`label[for="${el.id}"]`)))
    .map((el) => el.id || el.outerHTML.slice(0, 60)));
  assert.deepEqual(unnamed, []);
});

test('answers all 54 roles through the sheet, with autosave', { skip: skipAll }, async () => {
  const codes = await page.locator('tr[data-role]').evaluateAll((rows) => rows.map((r) => r.dataset.role));
  const expected = {};
  let fn = -1;
  let last = '';
  codes.forEach((code, i) => {
    const f = code.split('-')[0];
    if (f !== last) { fn += 1; last = f; }
    expected[code] = { in: String(1 + ((fn * 2 + i) % 5)), out: i % 3 === 0 ? String(1 + (i % 4)) : '' };
  });
  for (const code of codes) {
    await page.locator(`#in-${code}`).selectOption(expected[code].in);
    if (expected[code].out) await page.locator(`#out-${code}`).selectOption(expected[code].out);
  }
  await page.locator('#target-A-1').selectOption('5');
  await page.locator('#note-A-1').fill('documented, approved by the CISO');
  await page.locator('#note-A-1').press('Tab');
  // Keyboard only: arrow keys pick a level, Tab moves on, typing fills the note.
  await page.locator('#target-A-2').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'note-A-2');
  await page.keyboard.type('entered with the keyboard');
  await page.keyboard.press('Tab');
  await waitSaved(page);
  assert.equal(await page.locator('section.sheet').getAttribute('data-answered'), '54');
  assert.equal(await page.locator('tr[data-save="saved"]').count(), 54);
  assert.equal(await page.locator('tr[data-save="error"], tr[data-save="unsaved"]').count(), 0);
  assert.match(await page.locator('#overall-progress-label').innerText(), /54/);
  state.expected = expected;
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'sheet.png') });
  await page.screenshot({ path: join(SHOTS, 'sheet-full.png'), fullPage: true });
});

test('keeps the answers after a reload', { skip: skipAll }, async () => {
  await page.reload();
  await page.locator('tr[data-role]').first().waitFor();
  assert.deepEqual(await sheetValues(page), state.expected);
  assert.equal(await page.locator('#target-A-1').inputValue(), '5');
  assert.equal(await page.locator('#note-A-1').inputValue(), 'documented, approved by the CISO');
  assert.equal(await page.locator('#target-A-2').inputValue(), '1');
  assert.equal(await page.locator('#note-A-2').inputValue(), 'entered with the keyboard');
});

test('an etag conflict is reported and does not overwrite the other change', { skip: skipAll }, async () => {
  const other = await newPage('page 2');
  await signIn(other);
  await other.goto(state.sheetUrl);
  await other.locator('#in-A-2').waitFor();
  const theirs = state.expected['A-2'].in === '5' ? '4' : '5';
  await other.locator('#in-A-2').selectOption(theirs);
  await waitSaved(other);
  assert.equal(await other.locator('#role-A-2').getAttribute('data-save'), 'saved');

  // Page 1 still holds the etag from before page 2's write.
  const mine = state.expected['B-1'].in === '2' ? '3' : '2';
  await page.locator('#in-B-1').selectOption(mine);
  const alert = page.locator('.conflict[role=alert]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /他の人がこの評価を変更しました/);
  assert.equal(await page.locator('#role-B-1').getAttribute('data-save'), 'unsaved');
  assert.ok(await page.locator('#in-C-1').isDisabled());
  await page.screenshot({ path: join(SHOTS, 'conflict.png') });

  await page.locator('#conflict-reload').click();
  await page.locator('#in-A-2').waitFor();
  await page.waitForFunction(() => !document.querySelector('.conflict'));
  assert.equal(await page.locator('#in-A-2').inputValue(), theirs);
  assert.equal(await page.locator('#in-B-1').inputValue(), state.expected['B-1'].in);
  state.expected['A-2'].in = theirs;
  await other.close();
});

test('submit, approve and reopen; read-only while submitted or approved', { skip: skipAll }, async () => {
  const badge = page.locator('.page-head .badge');
  await page.locator('#action-submit').click();
  await badge.filter({ hasText: '提出済み' }).waitFor();
  assert.ok(await page.locator('#in-A-1').isDisabled());
  assert.ok(await page.locator('#note-I-5').isDisabled());
  await page.locator('#action-approve').click();
  await badge.filter({ hasText: '承認済み' }).waitFor();
  assert.ok(await page.locator('#in-A-1').isDisabled());
  assert.equal(await page.locator('#action-approve').count(), 0);
  await page.locator('#action-reopen').click();
  await badge.filter({ hasText: '下書き' }).waitFor();
  assert.ok(await page.locator('#in-A-1').isEnabled());
  await page.locator('#note-B-2').fill('reopened and edited');
  await page.locator('#note-B-2').press('Tab');
  await waitSaved(page);
  assert.equal(await page.locator('#role-B-2').getAttribute('data-save'), 'saved');
});

test('shows the results: radar, strengths and weaknesses', { skip: skipAll }, async (t) => {
  await page.locator('#to-results').click();
  await page.waitForURL(/\/results$/);
  await page.locator('#strengths li').first().waitFor();
  assert.equal(await page.locator('#strengths li').count(), 2);
  assert.equal(await page.locator('#weaknesses li').count(), 2);
  for (const name of await page.locator('#strengths .fn-name').allInnerTexts()) assert.ok(name.trim().length > 0);
  assert.equal(await page.locator('#function-table tbody tr').count(), 9);
  await page.locator('#trend svg circle').first().waitFor();
  await page.locator('#benchmark .alert, #benchmark svg').first().waitFor();
  const slot = page.locator('.radar-slot');
  await page.waitForFunction(() => !document.querySelector('.radar-slot[aria-busy]'));
  await page.screenshot({ path: join(SHOTS, 'results.png'), fullPage: true });
  if (await notImplemented(slot)) {
    t.skip('the reporting service answers 501 UNIMPLEMENTED: the radar is not rendered yet (the UI shows the error)');
    return;
  }
  const img = page.locator('#radar-img');
  await img.waitFor();
  assert.match(await img.getAttribute('src'), /^blob:/);
  const size = await img.evaluate(async (el) => { await el.decode(); return el.naturalWidth; });
  assert.ok(size > 0, 'the radar image has loaded');
});

test('switches to English and remembers it', { skip: skipAll }, async () => {
  await page.locator('[data-lang="en"]').click();
  await page.locator('main h1', { hasText: 'Results' }).waitFor();
  await page.locator('#strengths h3', { hasText: 'Strengths' }).waitFor();
  await page.locator('#function-table', { hasText: 'SOC/CSIRT management' }).waitFor();
  assert.equal(await page.locator('#signout').innerText(), 'Sign out');
  assert.equal(await page.evaluate(() => localStorage.getItem('socm.lang')), 'en');
  await page.reload();
  await page.locator('#weaknesses h3', { hasText: 'Weaknesses' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.waitForFunction(() => !document.querySelector('.radar-slot[aria-busy]'));
  await page.screenshot({ path: join(SHOTS, 'results-en.png'), fullPage: true });
});

test('downloads the PDF report', { skip: skipAll }, async (t) => {
  const status = page.locator('.download-status');
  const downloaded = page.waitForEvent('download', { timeout: 20000 }).catch(() => null);
  await page.locator('#download-pdf').click();
  await page.waitForFunction(() => {
    const s = document.querySelector('.download-status');
    return s && s.textContent && !s.textContent.startsWith('Preparing');
  }, null, { timeout: 20000 });
  if (await notImplemented(status)) {
    t.skip('the reporting service answers 501 UNIMPLEMENTED: no PDF yet (the UI shows the error)');
    return;
  }
  const download = await downloaded;
  assert.ok(download, `a download started; the page says: ${await status.innerText()}`);
  assert.match(download.suggestedFilename(), /\.pdf$/);
  const bytes = await readFile(await download.path());
  assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');
  // The other formats download the same way.
  for (const format of ['html', 'csv', 'xlsx', 'json']) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`#download-${format}`).click()]);
    assert.match(file.suggestedFilename(), new RegExp(`\\.${format}$`));
  }
});

test('signs out', { skip: skipAll }, async () => {
  await page.locator('#signout').click();
  await page.waitForURL(/#\/signin$/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('socm.apiKey')), null);
});

test('no console error and no page error occurred', { skip: skipAll }, (t) => {
  t.diagnostic(`HTTP refusals provoked on purpose: ${seenHttpErrors.join(', ') || 'none'}`);
  assert.deepEqual(problems, []);
});
