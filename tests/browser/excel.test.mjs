// The Excel path of the web UI against the real suite: the blank and the
// filled self-check workbook downloaded from the sheet page, a filled one
// uploaded into another assessment (the dry run's preview role by role, then
// the import), a workbook with problems (listed with their cells, nothing to
// confirm), a file that is no workbook, a stale etag, and a read-only
// assessment. Run through tests/browser/run.sh, which sets SOCM_UI_URL and
// SOCM_UI_KEY (an admin key of a fresh tenant). The steps share one browser,
// in Japanese, and run in order.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';

const BASE = process.env.SOCM_UI_URL;
const KEY = process.env.SOCM_UI_KEY;
const HERE = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(HERE, 'screenshots');
const MAKE_SHEETS = join(HERE, '..', 'sheets', 'make_sheets.py');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CATALOGUE = 'isogj-soc-csirt';
const skipAll = !BASE || !KEY ? 'SOCM_UI_URL and SOCM_UI_KEY are not set: run tests/browser/run.sh' : false;

// The refusals the steps provoke on purpose; any other console error fails.
const EXPECTED_HTTP_ERRORS = [
  { status: 400, path: /\/answers:import\?dryRun=true$/ }, // the workbook with problems, the file that is none
  { status: 409, path: /\/answers:import\?dryRun=false$/ }, // the provoked stale etag
  { status: 412, path: /\/v1\/benchmark\?/ }, // the role probe at sign-in: fewer than five organisations
];

const problems = [];
const seenHttpErrors = [];
let context;
let page;
let work;
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

// The REST API straight from the test, for what the steps only prepare.
async function rest(method, path, { body, etag } = {}) {
  const headers = { Authorization: `Bearer ${KEY}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (etag) headers['If-Match'] = etag;
  const res = await fetch(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function newAssessment(title) {
  return rest('POST', `/v1/organizations/${state.orgId}/assessments`,
    { body: { catalogueId: CATALOGUE, title, assessedOn: '2026-12-01' } });
}

// Sets answers one by one (each write needs the etag of the previous one).
async function putAnswers(assessment, answers) {
  let { etag } = assessment;
  for (const [code, body] of Object.entries(answers)) {
    const updated = await rest('PUT', `/v1/organizations/${state.orgId}/assessments/${assessment.id}/answers/${code}`,
      { body, etag });
    etag = updated.etag;
  }
  return etag;
}

const sheetUrl = (id) => `${BASE}/#/orgs/${state.orgId}/assessments/${id}`;

// Opens a sheet and waits for it, not for the page shown before (another sheet).
async function openSheet(id) {
  await page.evaluate(() => { for (const el of document.querySelectorAll('#app > *')) el.dataset.stale = '1'; });
  await page.goto(sheetUrl(id));
  await page.locator('#app > section.sheet:not([data-stale]) tr[data-role]').first().waitFor();
  await page.locator('#excel').waitFor();
}

const preview = () => page.locator('#import-preview');

async function upload(file) {
  await page.locator('#excel-file').setInputFiles(file);
  await page.waitForFunction(() => {
    const card = document.getElementById('excel');
    return card && !card.hasAttribute('aria-busy') && card.dataset.state !== 'reading';
  });
}

// What a preview row shows: {field: [current, from the sheet]}, and its kind of change.
const previewRow = (code) => page.locator(`#import-row-${code}`).evaluate((tr) => ({
  change: tr.dataset.change,
  hidden: tr.hidden,
  cells: Object.fromEntries(['inSource', 'outSource', 'target', 'note'].map((f) => [f,
    ['current', 'sheet'].map((side) => tr.querySelector(`td[data-field="${f}"][data-side="${side}"]`).textContent)])),
}));

before(async () => {
  if (skipAll) return;
  await mkdir(SHOTS, { recursive: true });
  work = await mkdtemp(join(tmpdir(), 'socm-excel-'));
  context = await launchChromium({ locale: 'ja-JP', acceptDownloads: true });
  context.setDefaultTimeout(15000);
  page = context.pages()[0] || (await context.newPage());
  watch(page, 'page');
});

after(async () => {
  if (context) await context.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('prepares an organisation, an assessment with answers and one to import into', { skip: skipAll }, async () => {
  state.orgId = (await rest('POST', '/v1/organizations', { body: { displayName: `Excel UI ${Date.now()}` } })).id;
  const cat = await rest('GET', `/v1/catalogues/${CATALOGUE}?lang=ja`);
  const codes = cat.functions.flatMap((f) => f.roles.map((r) => r.code));
  assert.equal(codes.length, 54);
  // The source: the first ten roles answered, one with a target, one with a note.
  const answers = {};
  for (let i = 0; i < 10; i += 1) {
    const levels = { inSource: i % 6 };
    if (i % 3 === 0) levels.outSource = (i + 2) % 6;
    answers[codes[i]] = { levels };
  }
  answers[codes[0]].target = 5;
  answers[codes[1]].note = '手順書あり <b>not markup</b>';
  const source = await newAssessment('Excel source');
  await putAnswers(source, answers);
  // The target: three roles as the source has them, one otherwise, and three
  // the source leaves unanswered (they become unanswered).
  const target = await newAssessment('Excel target');
  const theirs = {
    [codes[0]]: answers[codes[0]], [codes[1]]: answers[codes[1]], [codes[2]]: answers[codes[2]],
    [codes[3]]: { levels: { inSource: 4 }, note: 'before the import' },
    [codes[51]]: { levels: { inSource: 2 } }, [codes[52]]: { levels: { outSource: 1 } }, [codes[53]]: { levels: { inSource: 0 }, target: 3 },
  };
  const targetEtag = await putAnswers(target, theirs);
  Object.assign(state, { codes, answers, source, target, targetEtag });
});

test('signs in and downloads the blank and the filled sheet from the sheet page', { skip: skipAll }, async () => {
  await page.goto(`${BASE}/`);
  await page.locator('#api-key').fill(KEY);
  await page.locator('#signin-key button[type=submit]').click();
  await page.waitForURL(/#\/orgs$/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');

  await openSheet(state.source.id);
  assert.equal(await page.locator('#excel h2').innerText(), 'Excelシート');
  assert.ok(await page.locator('#excel-upload').isVisible(), 'a draft offers the upload');
  assert.ok(await page.locator('#excel-upload-off').isHidden());

  const [blank] = await Promise.all([page.waitForEvent('download'), page.locator('#excel-blank').click()]);
  assert.match(blank.suggestedFilename(), /\.xlsx$/);
  assert.equal((await readFile(await blank.path())).subarray(0, 2).toString('latin1'), 'PK');
  await page.locator('#excel-status', { hasText: blank.suggestedFilename() }).waitFor();

  const [filled] = await Promise.all([page.waitForEvent('download'), page.locator('#excel-filled').click()]);
  assert.match(filled.suggestedFilename(), /\.xlsx$/);
  state.filled = await readFile(await filled.path());
  assert.equal(state.filled.subarray(0, 2).toString('latin1'), 'PK', 'the filled sheet is a ZIP (an XLSX workbook)');
  assert.ok(state.filled.length > 2000);
});

test('previews an upload role by role before anything is written', { skip: skipAll }, async () => {
  const { codes } = state;
  await openSheet(state.target.id);
  assert.equal(await page.locator(`#in-${codes[3]}`).inputValue(), '4');
  await upload({ name: 'filled.xlsx', mimeType: XLSX, buffer: state.filled });
  await preview().waitFor();
  assert.equal(await page.locator('#excel').getAttribute('data-state'), 'preview');
  assert.match(await page.locator('#import-source').innerText(), /filled\.xlsx のシート「入力シート」/);
  const summary = page.locator('#import-summary');
  assert.deepEqual(await summary.evaluate((el) => ({ ...el.dataset })), { changed: '7', cleared: '3', same: '44' });
  assert.equal(await summary.innerText(), '7件の役割が変わり、3件が未回答になります。44件は変わりません。');
  assert.equal(await page.locator('#import-problems').count(), 0);
  assert.doesNotMatch(await preview().innerText(), /null|undefined/);

  // Only the roles that change are shown; every role is there.
  assert.equal(await page.locator('#import-table tbody tr').count(), 54);
  assert.ok(await page.locator('#import-only-changes').isChecked());
  assert.equal(await page.locator('#import-table tbody tr:visible').count(), 10);
  const same = await previewRow(codes[1]);
  assert.equal(same.change, 'same');
  assert.ok(same.hidden);
  assert.deepEqual(same.cells.note, ['手順書あり <b>not markup</b>', '手順書あり <b>not markup</b>']);
  assert.equal(await page.locator('#import-table b').count(), 0, 'a note is text, never markup');

  assert.deepEqual(await previewRow(codes[3]), {
    change: 'changed', hidden: false,
    cells: { inSource: ['4', '3'], outSource: ['—', '5'], target: ['—', '—'], note: ['before the import', '—'] },
  });
  assert.deepEqual((await previewRow(codes[6])).cells.inSource, ['—', '0']);
  assert.deepEqual(await previewRow(codes[53]), {
    change: 'cleared', hidden: false,
    cells: { inSource: ['0', '—'], outSource: ['—', '—'], target: ['3', '—'], note: ['—', '—'] },
  });
  assert.match(await page.locator(`#import-row-${codes[52]} .change-chip`).innerText(), /未回答になる/);
  assert.equal(await page.locator(`#import-row-${codes[3]} td.side-sheet.diff`).count(), 3);

  // Nothing was written yet.
  const stored = await rest('GET', `/v1/organizations/${state.orgId}/assessments/${state.target.id}`);
  assert.equal(stored.etag, state.targetEtag);
  assert.equal(stored.answers.find((a) => a.roleCode === codes[3]).levels.inSource, 4);

  assert.ok(await page.locator('#import-confirm').isEnabled());
  await page.locator('#excel').screenshot({ path: join(SHOTS, 'import-preview.png') });

  await page.locator('#import-only-changes').uncheck();
  assert.equal(await page.locator('#import-table tbody tr:visible').count(), 54);
});

test('confirms the import; the sheet then shows the imported answers', { skip: skipAll }, async () => {
  const { codes, answers } = state;
  await page.locator('#import-confirm').click();
  const done = page.locator('#import-done');
  await done.waitFor();
  assert.match(await done.innerText(), /シート「入力シート」の回答をインポートしました。7件の役割が変わり、3件が未回答になりました。/);
  assert.equal(await page.locator('#import-preview').isVisible(), false);
  for (let i = 0; i < 10; i += 1) {
    const { levels } = answers[codes[i]];
    assert.equal(await page.locator(`#in-${codes[i]}`).inputValue(), String(levels.inSource), `in-source of ${codes[i]}`);
    assert.equal(await page.locator(`#out-${codes[i]}`).inputValue(), levels.outSource === undefined ? '' : String(levels.outSource),
      `out-source of ${codes[i]}`);
  }
  assert.equal(await page.locator(`#target-${codes[0]}`).inputValue(), '5');
  assert.equal(await page.locator(`#note-${codes[1]}`).inputValue(), '手順書あり <b>not markup</b>');
  assert.equal(await page.locator(`#note-${codes[3]}`).inputValue(), '');
  for (const code of codes.slice(51)) {
    assert.equal(await page.locator(`#in-${code}`).inputValue(), '', `${code} is unanswered`);
    assert.equal(await page.locator(`#out-${code}`).inputValue(), '');
  }
  assert.equal(await page.locator(`#target-${codes[53]}`).inputValue(), '');
  assert.equal(await page.locator('section.sheet').getAttribute('data-answered'), '10');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'import-done.png') });

  // The same sheet again: nothing would change.
  await upload({ name: 'filled.xlsx', mimeType: XLSX, buffer: state.filled });
  await preview().waitFor();
  assert.equal(await page.locator('#import-summary').innerText(), 'シートの内容は現在の回答と同じです。変わるものはありません。');
  await page.locator('#import-cancel').click();
  assert.equal(await preview().isVisible(), false);
  await page.locator('#excel-status', { hasText: '何も書き込まれていません' }).waitFor();
});

test('a workbook with problems lists them by cell and cannot be confirmed', { skip: skipAll }, async () => {
  const out = join(work, 'problems.xlsx');
  execFileSync('/usr/bin/python3', [MAKE_SHEETS, 'problems', out]);
  const before = (await rest('GET', `/v1/organizations/${state.orgId}/assessments/${state.target.id}`)).etag;
  await upload({ name: 'problems.xlsx', mimeType: XLSX, buffer: await readFile(out) });
  await page.locator('#import-problems').waitFor();
  assert.equal(await page.locator('#excel').getAttribute('data-state'), 'problems');
  assert.match(await page.locator('#import-problems .alert-title').innerText(), /シートに6件の問題があります/);
  const listed = await page.locator('#import-problems li').evaluateAll((lis) => lis.map((li) => [li.dataset.cell, li.dataset.role]));
  assert.deepEqual(listed, [['入力シート!G3', 'A-1'], ['入力シート!E4', 'A-2'], ['入力シート!B5', 'A-1'],
    ['入力シート!B6', 'A-99'], ['入力シート!R7', 'A-3'], ['入力シート!E8', 'A-4']]);
  assert.match(await page.locator('#import-problems li').first().innerText(), /入力シート!G3\s*役割 A-1\s*"△" is not a mark/);
  assert.ok(await page.locator('#import-confirm').isDisabled());
  assert.match(await page.locator('#import-summary').innerText(), /^読み取れた範囲では、\d+件の役割が変わり/);
  assert.doesNotMatch(await preview().innerText(), /null|undefined/);
  // A role of the catalogue links to its row (shown, even when unchanged); A-99 is none of its roles.
  assert.equal(await page.locator('#import-problems li[data-role="A-99"] button').count(), 0);
  await page.locator('#import-problems li[data-cell="入力シート!R7"] button').click();
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'import-row-A-3');
  assert.ok(await page.locator('#import-row-A-3').isVisible());
  assert.match(await page.locator('#import-row-A-3 .row-problems').innerText(), /R7/);
  assert.ok(await page.locator('#import-row-A-3').evaluate((tr) => tr.classList.contains('has-problem')));
  await page.locator('#import-preview-title').scrollIntoViewIfNeeded();
  await page.locator('#excel').screenshot({ path: join(SHOTS, 'import-problems.png') });
  await page.locator('#import-cancel').click();
  assert.equal((await rest('GET', `/v1/organizations/${state.orgId}/assessments/${state.target.id}`)).etag, before,
    'nothing was written');
});

test('a file that is no workbook shows the error, and no preview', { skip: skipAll }, async () => {
  await upload({ name: 'x.xlsx', mimeType: XLSX, buffer: Buffer.from('this is plain text, not a workbook\n') });
  const alert = page.locator('#excel .excel-error [role=alert]');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /入力内容を確認してください/);
  assert.match(text, /not an XLSX workbook/);
  assert.match(text, /\.xlsx ファイルをアップロードしてください/);
  assert.match(text, /INVALID_ARGUMENT/);
  assert.equal(await preview().isVisible(), false);
  await alert.screenshot({ path: join(SHOTS, 'import-error.png') });
});

test('a stale etag at the import is reported as a conflict; nothing is overwritten', { skip: skipAll }, async () => {
  const { codes } = state;
  await upload({ name: 'filled.xlsx', mimeType: XLSX, buffer: state.filled });
  await preview().waitFor();
  // Someone else answers meanwhile.
  const path = `/v1/organizations/${state.orgId}/assessments/${state.target.id}`;
  const now = await rest('GET', path);
  await rest('PUT', `${path}/answers/${codes[40]}`, { body: { levels: { inSource: 5 } }, etag: now.etag });
  await page.locator('#import-confirm').click();
  const conflict = page.locator('.conflict[role=alert]');
  await conflict.waitFor();
  assert.match(await conflict.innerText(), /他の人がこの評価を変更しました/);
  assert.ok(await page.locator('#import-confirm').isDisabled());
  assert.ok(await page.locator('#excel-upload').isHidden());
  const after = await rest('GET', path);
  assert.equal(after.answers.find((a) => a.roleCode === codes[40]).levels.inSource, 5, 'their answer is kept');
  await page.locator('#conflict-reload').click();
  await page.waitForFunction(() => !document.querySelector('.conflict'));
  assert.equal(await page.locator(`#in-${codes[40]}`).inputValue(), '5');
});

test('a submitted assessment offers the downloads but no upload; English texts', { skip: skipAll }, async () => {
  await page.locator('#action-submit').click();
  await page.locator('.page-head .badge', { hasText: '提出済み' }).waitFor();
  assert.ok(await page.locator('#excel-upload').isHidden());
  assert.ok(await page.locator('#excel-upload-off').isVisible());
  assert.ok(await page.locator('#excel-filled').isEnabled());
  await page.locator('[data-lang="en"]').click();
  await page.locator('#excel h2', { hasText: 'Excel sheet' }).waitFor();
  assert.equal(await page.locator('#excel-blank').innerText(), 'Download the blank sheet');
  assert.match(await page.locator('#excel-upload-off').innerText(), /only while this assessment is a draft/);
  const [filled] = await Promise.all([page.waitForEvent('download'), page.locator('#excel-filled').click()]);
  assert.equal((await readFile(await filled.path())).subarray(0, 2).toString('latin1'), 'PK');
});

test('no console error and no page error occurred', { skip: skipAll }, (t) => {
  t.diagnostic(`HTTP refusals provoked on purpose: ${seenHttpErrors.join(', ') || 'none'}`);
  assert.deepEqual(problems, []);
});
