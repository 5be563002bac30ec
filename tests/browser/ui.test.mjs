// Browser tests of the web UI against the real suite, driven through Debian's
// chromium with playwright-core. Run through tests/browser/run.sh, which
// starts the suite and sets SOCM_UI_URL and SOCM_UI_KEY (an admin key of a
// fresh tenant). The steps share one browser and run in order.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, signInWithKey } from './chromium.mjs';

const BASE = process.env.SOCM_UI_URL;
const KEY = process.env.SOCM_UI_KEY;
const TENANT = process.env.SOCM_UI_TENANT; // optional: lets a step make an assessor key
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const skipAll = !BASE || !KEY ? 'SOCM_UI_URL and SOCM_UI_KEY are not set: run tests/browser/run.sh' : false;

// Chromium logs every HTTP error response of a fetch as a console error. These
// are the refusals the steps provoke on purpose; any other console error fails.
const EXPECTED_HTTP_ERRORS = [
  { status: 401, path: /\/v1\/me$/ }, // the wrong key at sign-in
  { status: 403, path: /\/v1\/organizations$/ }, // an assessor key adding an organisation
  { status: 403, path: /\/auditLog\?/ }, // the role probe of an assessor key
  { status: 412, path: /\/v1\/benchmark\?/ }, // fewer than five organisations
  { status: 409, path: /\/answers\/[^/]+$/ }, // the provoked etag conflict
  { status: 403, path: /:approve$/ }, // the submitter's own approval (separation of duties)
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

const signIn = (p, key = KEY) => signInWithKey(p, BASE, key);

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

// The level selects of each role of the sheet: {role: [{id, dimension, options}]}.
const levelSelects = (p) => p.evaluate(() => Object.fromEntries(
  Array.from(document.querySelectorAll('tr[data-role]'), (tr) => [tr.dataset.role,
    Array.from(tr.querySelectorAll('select.level-select'), (s) => ({
      id: s.id, dimension: s.dataset.dimension, options: Array.from(s.options, (o) => o.value),
    }))])));

// Starts an assessment of a catalogue version from the organisation page and
// waits for its sheet. The target selects show once that catalogue has loaded.
async function createAssessment(p, { catalogue, version, title }) {
  await p.goto(state.orgUrl);
  await p.locator('#as-title').waitFor();
  assert.ok(await p.locator(`#as-catalogue option[value="${catalogue}"]`).count(),
    `the catalogue ${catalogue} is offered when starting an assessment`);
  await p.locator('#as-catalogue').selectOption(catalogue);
  await p.locator('#as-version').selectOption(version);
  await p.locator(`.targets-grid[data-catalogue="${catalogue}@${version}"] select`).first().waitFor();
  await p.locator('#as-title').fill(title);
  await p.locator('form:has(#as-title) button[type=submit]').click();
  await p.waitForURL(/\/assessments\/[^/]+$/);
  await p.locator('tr[data-role]').first().waitFor();
}

// The counts and levels shown on the results page, once it has loaded.
async function openResults(p) {
  await p.locator('#to-results').click();
  await p.waitForURL(/\/results$/);
  await p.locator('#function-table tbody tr').first().waitFor();
  await p.waitForFunction(() => !document.querySelector('.radar-slot[aria-busy]'));
}

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
  await page.locator('#signin-key button[type=submit]').click();
  await page.locator('#signin-key .form-alert [role=alert]').waitFor();
  assert.match(await page.locator('#signin-key .form-alert').innerText(), /APIキー/);

  await page.locator('#api-key').fill(KEY);
  await page.locator('#signin-key button[type=submit]').click();
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
  // Other built-in catalogues (SIM3) are offered too: pick ISOG-J's.
  await page.locator('#as-title').waitFor();
  if (await page.locator('#as-catalogue').inputValue() !== 'isogj-soc-csirt') {
    await page.locator('#as-catalogue').selectOption('isogj-soc-csirt');
  }
  await page.locator('.targets-grid[data-catalogue^="isogj-soc-csirt@"] #as-target-A').waitFor();
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
  // Separation of duties: the key that submitted is told someone else approves, and the
  // server refuses it if tried.
  await page.locator('#approve-hint').waitFor();
  await page.locator('#action-approve').click();
  await page.getByRole('alert').filter({ hasText: '別の担当者' }).first().waitFor();
  assert.equal(await badge.filter({ hasText: '提出済み' }).count(), 1);
  assert.ok(TENANT, 'run.sh sets SOCM_UI_TENANT');
  {
    // A second admin approves.
    const res = await fetch(`${BASE}/v1/tenants/${TENANT}/apiKeys`, {
      method: 'POST', headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'admin', description: 'browser test reviewer' }),
    });
    assert.ok(res.ok, await res.clone().text());
    const { key } = await res.json();
    await page.locator('#signout').click();
    await page.locator('#api-key').waitFor();
    await signIn(page, key);
    await page.goto(state.sheetUrl);
    await page.locator('#in-A-1').waitFor();
    assert.equal(await page.locator('#approve-hint').count(), 0);
  }
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

test('the function table of an ISOG-J assessment shows its sourcing', { skip: skipAll }, async () => {
  // Still the ISOG-J results, in English: a level is out of 5, and the table
  // gains the sourcing columns, explained below it.
  assert.match(await page.locator('.stats').innerText(), /Level \d \/ 5/);
  await page.locator('#sourcing-head', { hasText: 'Sourcing' }).waitFor();
  const head = await page.locator('#function-table thead').innerText();
  for (const name of ['Out-sourced roles', 'In-source only', 'Dependency']) assert.ok(head.includes(name), name);
  assert.match(await page.locator('#sourcing-help').innerText(), /owes its providers/);
  assert.match(await page.locator('#function-table th', { hasText: 'Dependency' }).getAttribute('title'), /owes its providers/);
  // A role is out-sourced when its out-source level is higher (a tie goes to in-source).
  const outSourced = {};
  for (const [code, v] of Object.entries(state.expected)) {
    const fn = code.split('-')[0];
    outSourced[fn] = (outSourced[fn] || 0) + (v.out !== '' && Number(v.out) > Number(v.in) ? 1 : 0);
  }
  const shown = await page.locator('#function-table tbody tr').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [
    r.dataset.code, { n: Number(r.querySelector('.out-sourced').textContent), dependency: r.querySelector('.dependency').textContent }])));
  assert.equal(Object.keys(shown).length, 9);
  for (const [fn, n] of Object.entries(outSourced)) {
    assert.equal(shown[fn].n, n, `out-sourced roles of ${fn}`);
    assert.match(shown[fn].dependency, n ? /^\+\d\.\d$/ : /^(0\.0|—)$/, `dependency of ${fn}`);
  }
  await page.locator('#function-table').scrollIntoViewIfNeeded();
  await page.locator('#function-table').screenshot({ path: join(SHOTS, 'results-sourcing.png') });
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

test('a SIM3 assessment has one level per role, on the scale 0..4', { skip: skipAll }, async () => {
  await createAssessment(page, { catalogue: 'sim3', version: '1', title: 'SIM3 UI' });
  state.sim3SheetUrl = page.url();
  const selects = await levelSelects(page);
  const codes = Object.keys(selects);
  assert.ok(codes.length > 0);
  for (const code of codes) {
    assert.equal(selects[code].length, 1, `one level select for ${code}`);
    assert.equal(selects[code][0].dimension, 'level');
    assert.equal(selects[code][0].id, `lvl-level-${code}`);
    assert.deepEqual(selects[code][0].options, ['', '0', '1', '2', '3', '4']);
  }
  assert.equal(await page.locator('select[id^="in-"], select[id^="out-"]').count(), 0);
  assert.deepEqual(await page.locator(`#target-${codes[0]} option`).evaluateAll((os) => os.map((o) => o.value)),
    ['', '0', '1', '2', '3', '4']);
  assert.equal(await page.locator('#level-guide tbody tr').count(), 5);

  const chosen = codes.slice(0, 6);
  for (const [i, code] of chosen.entries()) await page.locator(`#lvl-level-${code}`).selectOption(String(i % 5));
  await page.locator(`#target-${chosen[0]}`).selectOption('4');
  await waitSaved(page);
  assert.equal(await page.locator('section.sheet').getAttribute('data-answered'), String(chosen.length));
  assert.equal(await page.locator('tr[data-save="error"], tr[data-save="unsaved"]').count(), 0);
  await page.reload();
  await page.locator('tr[data-role]').first().waitFor();
  for (const [i, code] of chosen.entries()) assert.equal(await page.locator(`#lvl-level-${code}`).inputValue(), String(i % 5));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'sim3-sheet.png') });

  await openResults(page);
  const stats = await page.locator('.stats').innerText();
  assert.match(stats, /Level \d \/ 4/);
  assert.doesNotMatch(stats, /\/ 5/);
  for (const chip of await page.locator('.highlight .level-chip').allInnerTexts()) assert.match(chip, /\/4$/);
  for (const level of await page.locator('#function-table .level-pill').evaluateAll((ps) => ps.map((p) => Number(p.dataset.level)))) {
    assert.ok(level >= 0 && level <= 4, `level ${level} on the scale`);
  }
  assert.equal(await page.locator('#sourcing-head, #function-table .dependency').count(), 0, 'no sourcing view for SIM3');
  await page.locator('#trend svg circle').first().waitFor();
  assert.deepEqual(await page.locator('#trend svg text.tick[text-anchor=end]').evaluateAll((ts) => ts.map((x) => x.textContent)),
    ['0', '1', '2', '3', '4'], 'the trend axis runs 0..4');
  await page.screenshot({ path: join(SHOTS, 'sim3-results.png'), fullPage: true });
});

test('a tenant catalogue on the scale 1..3 offers only its levels', { skip: skipAll }, async () => {
  const text = (en, ja) => ({ en, ja });
  const fn = (code, en, ja, roles) => ({
    code, name: text(en, ja), description: text(`What ${en} covers.`, `${ja}の範囲。`),
    narrative: { achieved: text(`${en} is in place.`, `${ja}が整っています。`), missing: text(`${en} is missing.`, `${ja}が不足しています。`) },
    roles: roles.map(([rc, ren, rja]) => ({ code: rc, name: text(ren, rja), description: text(`${ren}, done reliably.`, `${rja}を確実に行う。`) })),
  });
  const catalogue = {
    id: 'three-level',
    version: '1',
    name: text('Three-level check', '三段階チェック'),
    description: text('A small model with one rating per role on 1..3.', '役割ごとに1..3で1つ評価する小さなモデル。'),
    publishedOn: '2026-01-15',
    ratingGuidance: text('If unsure, choose the lower level.', '迷ったら低い方のレベルを選んでください。'),
    scale: {
      lowest: 1,
      highest: 3,
      levels: [
        { level: 1, label: text('Initial', '初期') },
        { level: 2, label: text('Managed', '管理') },
        { level: 3, label: text('Optimised', '最適化') },
      ],
    },
    dimensions: [{
      code: 'level',
      name: text('Level', 'レベル'),
      levels: [
        { level: 1, text: text('Done ad hoc, by whoever is at hand', 'その場で手の空いた人が行う') },
        { level: 2, text: text('Done to a written procedure with an owner', '担当者と手順書が決まっている') },
        { level: 3, text: text('Measured and improved regularly', '定期的に測定し改善している') },
      ],
    }],
    combine: 'MAX',
    levelAdvice: [
      { minLevel: 1, maxLevel: 2, advice: text('Write the procedure down and name an owner.', '手順を文書化し、担当者を決めてください。') },
      { minLevel: 3, maxLevel: 3, advice: text('Keep measuring and improving.', '測定と改善を続けてください。') },
    ],
    functions: [
      fn('X', 'Exposure', '露出管理', [['X-1', 'Asset inventory', '資産の把握'], ['X-2', 'Patch tracking', 'パッチの追跡']]),
      fn('Y', 'Yield of alerts', 'アラートの成果', [['Y-1', 'Alert triage', 'アラートの選別']]),
      fn('Z', 'Zero-day readiness', 'ゼロデイへの備え', [['Z-1', 'Emergency change', '緊急変更'], ['Z-2', 'Vendor contacts', 'ベンダー連絡']]),
    ],
  };
  const res = await fetch(`${BASE}/v1/catalogues`, {
    method: 'POST', headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(catalogue),
  });
  // 409: published by an earlier run against the same suite (versions are immutable).
  assert.ok(res.ok || res.status === 409, `${res.status} ${await res.clone().text()}`);

  await createAssessment(page, { catalogue: 'three-level', version: '1', title: 'Three levels UI' });
  const selects = await levelSelects(page);
  assert.deepEqual(Object.keys(selects), ['X-1', 'X-2', 'Y-1', 'Z-1', 'Z-2']);
  for (const [code, list] of Object.entries(selects)) {
    assert.deepEqual(list.map((s) => s.id), [`lvl-level-${code}`]);
    assert.deepEqual(list[0].options, ['', '1', '2', '3'], `the levels of ${code}`);
  }
  assert.deepEqual(await page.locator('#target-X-1 option').evaluateAll((os) => os.map((o) => o.value)), ['', '1', '2', '3']);
  assert.match(await page.locator('#lvl-level-X-1 option[value="2"]').innerText(), /written procedure/);
  assert.deepEqual(await page.locator('#level-guide tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.level)), ['1', '2', '3']);
  assert.match(await page.locator('#level-guide').textContent(), /Optimised/);
  assert.equal(await page.locator('section.fn-card').count(), 3);

  await page.locator('#lvl-level-X-1').selectOption('3');
  await page.locator('#lvl-level-X-2').selectOption('2');
  await page.locator('#lvl-level-Y-1').selectOption('1');
  await waitSaved(page);
  assert.equal(await page.locator('section.sheet').getAttribute('data-answered'), '3');
  assert.equal(await page.locator('tr[data-save="error"], tr[data-save="unsaved"]').count(), 0);
  await page.locator('#level-guide summary').click();
  await page.locator('#level-guide td.scale-label', { hasText: 'Optimised' }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'three-level-sheet.png') });

  await openResults(page);
  assert.match(await page.locator('.stats').innerText(), /Level \d \/ 3/);
  assert.equal(await page.locator('#function-table tbody tr').count(), 3);
  await page.screenshot({ path: join(SHOTS, 'three-level-results.png'), fullPage: true });
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
