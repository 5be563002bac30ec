// The Excel path of the input sheet: the blank and the filled self-check
// workbook to download, and the import of a filled one. An upload is first
// read with dryRun=true and shown role by role beside the current answers
// (what changes, what becomes unanswered, the workbook's problems with their
// cells); only "Confirm import" writes, with the sheet's etag, in one revision.
import { XLSX_TYPE, api } from './api.js';
import { append, clear, h } from './dom.js';
import { showError } from './errors.js';
import { saveResponse } from './files.js';
import { localized, t } from './i18n.js';
import { answerLevel } from './shape.js';

// The gateway refuses a larger body (413); checked here before uploading.
const MAX_BYTES = 5 * 1024 * 1024;

// The message of a finished import, shown by the sheet drawn after it.
let notice = null;

export function takeImportNotice(asId) {
  const taken = notice && notice.asId === asId ? notice : null;
  notice = null;
  return taken;
}

export function importNotice(n) {
  return h('div', { class: 'alert alert-hint import-done', id: 'import-done', role: 'status' },
    h('p', { class: 'alert-title' }, t('excel.importedTitle')),
    h('p', {}, t('excel.imported', { sheet: n.sheet, name: n.name, changed: n.changed, cleared: n.cleared })));
}

const isInt = (x) => Number.isInteger(x);
const norm = (x) => (x === undefined || x === null ? '' : String(x));

// Every role of the catalogue in its order, with its function.
function rolesOf(cat, lang) {
  const out = [];
  for (const fn of cat.functions || []) {
    for (const role of fn.roles || []) out.push({ code: role.code, name: localized(role.name, lang), fn: fn.code });
  }
  return out;
}

// One role compared: a field per dimension, the target and the note, each
// {key, kind, before, after, changed}; the row is "same", "changed" or
// "cleared" (answered now, unanswered after the import).
function compare(role, before, after, dims) {
  const fields = [
    ...dims.map((d) => ({ key: d.code, kind: 'level', dim: d, before: answerLevel(before, d.code), after: answerLevel(after, d.code) })),
    { key: 'target', kind: 'target', before: before.target, after: after.target },
    { key: 'note', kind: 'note', before: before.note, after: after.note },
  ].map((f) => ({ ...f, changed: norm(f.before) !== norm(f.after) }));
  const answered = (a) => dims.some((d) => isInt(answerLevel(a, d.code)));
  let change = 'same';
  if (fields.some((f) => f.changed)) change = answered(before) && !answered(after) ? 'cleared' : 'changed';
  return { role, fields, change };
}

function summaryText(counts, hasProblems) {
  const summary = counts.changed + counts.cleared ? t('excel.summary', counts) : t('excel.noChanges');
  return hasProblems ? t('excel.summaryAsRead', { summary }) : summary;
}

export function excelCard({ orgId, asId, assessment, cat, dims, scale, lang, savedAnswers, etag, settle,
  onConflict, reload }) {
  const roles = rolesOf(cat, lang);
  const ui = { editable: false, busy: false, preview: null };

  const status = h('p', { class: 'excel-status', id: 'excel-status', role: 'status', 'aria-live': 'polite' });
  const errorSlot = h('div', { class: 'excel-error' });
  const previewSlot = h('div', { class: 'import-preview', id: 'import-preview', hidden: true });
  const input = h('input', {
    type: 'file', id: 'excel-file', class: 'visually-hidden file-input', accept: `.xlsx,${XLSX_TYPE}`,
  });
  const uploadLabel = h('label', { for: 'excel-file', class: 'btn btn-primary file-button', id: 'excel-upload' },
    t('excel.upload'));
  const uploadOff = h('p', { class: 'help', id: 'excel-upload-off' }, t('excel.uploadOff'));
  const card = h('section', { class: 'card excel-card no-print', id: 'excel', 'aria-labelledby': 'excel-title', dataset: { state: 'idle' } });

  function setState(state) { card.dataset.state = state; }

  function syncControls() {
    const on = ui.editable && !ui.busy;
    uploadLabel.hidden = !ui.editable;
    input.hidden = !ui.editable;
    input.disabled = !on;
    uploadLabel.classList.toggle('disabled', !on);
    uploadOff.hidden = ui.editable;
    if (ui.busy) card.setAttribute('aria-busy', 'true');
    else card.removeAttribute('aria-busy');
    for (const b of card.querySelectorAll('.excel-downloads button')) b.disabled = ui.busy;
    const confirm = previewSlot.querySelector('#import-confirm');
    if (confirm) confirm.disabled = !on || !ui.preview || ui.preview.problems.length > 0;
    const cancel = previewSlot.querySelector('#import-cancel');
    if (cancel) cancel.disabled = ui.busy;
  }

  function setBusy(on) {
    ui.busy = on;
    syncControls();
  }

  function download(id, label, fetchFile, fallback) {
    return h('button', {
      type: 'button', class: 'btn', id,
      onclick: async () => {
        showError(errorSlot, null);
        status.textContent = t('excel.preparing', { label });
        setBusy(true);
        try {
          const name = await saveResponse(await fetchFile(), fallback);
          status.textContent = t('excel.downloaded', { name });
        } catch (err) {
          status.textContent = '';
          showError(errorSlot, err);
        } finally {
          setBusy(false);
        }
      },
    }, t(`excel.${id === 'excel-blank' ? 'blank' : 'filled'}`));
  }

  function closePreview() {
    ui.preview = null;
    previewSlot.hidden = true;
    previewSlot.replaceChildren();
    setState('idle');
    syncControls();
  }

  function valueCell(field, side) {
    const value = side === 'current' ? field.before : field.after;
    const empty = norm(value) === '';
    let text = empty ? '—' : String(value);
    let title = null;
    if (field.kind === 'level' && !empty) title = field.dim.texts.get(value) || scale.labels.get(value) || null;
    if (field.kind === 'level' && empty) title = t('sheet.unanswered');
    if (field.kind === 'note' && !empty) title = text;
    if (field.kind === 'note' && !empty) text = h('span', { class: 'note-text' }, text);
    return h('td', {
      class: ['import-value', field.kind === 'note' ? 'note-cell' : 'num', side === 'sheet' ? 'side-sheet' : 'side-current',
        field.changed ? 'diff' : '', empty ? 'none' : ''],
      dataset: { field: field.key, side },
      title,
    }, text);
  }

  function problemList(problems, rowIds) {
    const items = problems.map((p) => {
      const rowId = p.roleCode && rowIds.has(p.roleCode) ? rowIds.get(p.roleCode) : '';
      const cell = rowId
        ? h('button', {
          type: 'button', class: 'link-button', title: t('excel.showRow', { code: p.roleCode }),
          onclick: () => {
            const row = document.getElementById(rowId);
            if (!row) return;
            row.hidden = false;
            row.scrollIntoView({ behavior: 'smooth', block: 'center' });
            row.focus({ preventScroll: true });
          },
        }, h('code', {}, p.cell || ''))
        : h('code', {}, p.cell || '');
      return h('li', { dataset: { cell: p.cell || '', role: p.roleCode || '' } },
        cell, p.roleCode ? h('span', { class: 'problem-role' }, t('excel.problemRole', { code: p.roleCode })) : null,
        h('span', { class: 'problem-message' }, p.message || ''));
    });
    return h('div', { class: 'alert alert-error import-problems', id: 'import-problems', role: 'alert' },
      h('p', { class: 'alert-title' }, t(problems.length === 1 ? 'excel.problemTitle' : 'excel.problemsTitle', { n: problems.length })),
      h('p', {}, t('excel.problemsHelp')),
      h('ul', { class: 'problem-list' }, items));
  }

  function renderPreview(p, note) {
    const current = savedAnswers();
    const fromSheet = new Map((p.answers || []).map((a) => [a.roleCode, a]));
    const problemsOf = new Map();
    for (const problem of p.problems) {
      if (!problem.roleCode) continue;
      if (!problemsOf.has(problem.roleCode)) problemsOf.set(problem.roleCode, []);
      problemsOf.get(problem.roleCode).push(problem);
    }
    const compared = roles.map((role) => compare(role, current.get(role.code) || {}, fromSheet.get(role.code) || {}, dims));
    const counts = { changed: 0, cleared: 0, same: 0 };
    for (const c of compared) counts[c.change] += 1;
    p.counts = counts;
    const rowIds = new Map(roles.map((r) => [r.code, `import-row-${r.code}`]));

    const onlyChanges = h('input', { type: 'checkbox', id: 'import-only-changes', checked: counts.changed + counts.cleared > 0 });
    const rows = compared.map((c) => {
      const problems = problemsOf.get(c.role.code) || [];
      const chip = c.change === 'same' ? null
        : h('span', { class: `change-chip change-${c.change}` }, t(c.change === 'cleared' ? 'excel.becomesUnanswered' : 'excel.changes'));
      return h('tr', {
        id: rowIds.get(c.role.code), tabindex: '-1',
        class: [`change-${c.change}`, problems.length ? 'has-problem' : ''],
        dataset: { role: c.role.code, change: c.change },
      },
      h('th', { scope: 'row', class: 'role-cell' },
        h('span', { class: 'role-code' }, c.role.code), ' ', h('span', { class: 'role-name' }, c.role.name), ' ', chip,
        problems.length ? h('ul', { class: 'row-problems' }, problems.map((x) => h('li', {}, h('code', {}, x.cell), ' ', x.message))) : null),
      c.fields.map((f) => [valueCell(f, 'current'), valueCell(f, 'sheet')]));
    });
    const filter = () => {
      for (const row of rows) row.hidden = onlyChanges.checked && row.dataset.change === 'same' && !row.classList.contains('has-problem');
    };
    onlyChanges.addEventListener('change', filter);
    filter();

    const columns = [...dims.map((d) => ({ key: d.code, name: d.name })),
      { key: 'target', name: t('sheet.target') }, { key: 'note', name: t('sheet.note') }];
    const table = h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact import-table', id: 'import-table' },
      h('caption', { class: 'visually-hidden' }, t('excel.previewTitle')),
      h('colgroup', {}, h('col', { class: 'col-role' })),
      columns.map((col) => {
        const kind = col.key === 'note' ? 'col-note' : 'col-value';
        return h('colgroup', {}, h('col', { class: kind }), h('col', { class: kind }));
      }),
      h('thead', {},
        h('tr', {}, h('th', { scope: 'col', rowspan: '2' }, t('sheet.role')),
          columns.map((col) => h('th', { scope: 'colgroup', colspan: '2', class: 'group-head', dataset: { field: col.key } }, col.name))),
        h('tr', {}, columns.map(() => [
          h('th', { scope: 'col', class: 'side-current' }, t('excel.current')),
          h('th', { scope: 'col', class: 'side-sheet' }, t('excel.fromSheet'))]))),
      h('tbody', {}, rows)));

    const heading = h('h3', { id: 'import-preview-title', tabindex: '-1' }, t('excel.previewTitle'));
    const hasProblems = p.problems.length > 0;
    clear(previewSlot);
    append(previewSlot, [
      heading,
      h('p', { class: 'meta', id: 'import-source' }, t('excel.source', { sheet: p.sheetName || '?', name: p.name }),
        p.sha256 ? h('span', { class: 'sha', title: `SHA-256 ${p.sha256}` }, ` · SHA-256 ${p.sha256.slice(0, 12)}…`) : null),
      note ? h('div', { class: 'alert alert-warning', role: 'alert' }, h('p', {}, note)) : null,
      hasProblems ? problemList(p.problems, rowIds) : null,
      h('p', { class: 'import-summary', id: 'import-summary', dataset: counts },
        summaryText(counts, hasProblems)),
      h('div', { class: 'field-inline' }, onlyChanges, h('label', { for: 'import-only-changes' }, t('excel.onlyChanges'))),
      table,
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'btn btn-primary', id: 'import-confirm', onclick: confirmImport }, t('excel.confirm')),
        h('button', {
          type: 'button', class: 'btn', id: 'import-cancel',
          onclick: () => { closePreview(); status.textContent = t('excel.cancelled'); },
        }, t('excel.cancel')),
        hasProblems ? h('span', { class: 'help' }, t('excel.fixFirst')) : null)]);
    previewSlot.hidden = false;
    setState(hasProblems ? 'problems' : 'preview');
    syncControls();
    heading.scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  }

  async function readFile(file) {
    closePreview();
    showError(errorSlot, null);
    status.textContent = '';
    if (file.size > MAX_BYTES) {
      errorSlot.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' },
        h('p', { class: 'alert-title' }, t('err.413')),
        h('p', {}, t('excel.tooLarge', { name: file.name, size: (file.size / 1024 / 1024).toFixed(1) }))));
      setState('error');
      return;
    }
    setBusy(true);
    setState('reading');
    status.textContent = t('excel.reading', { name: file.name });
    try {
      await settle();
      if (!ui.editable) {
        status.textContent = '';
        setState('idle');
        return;
      }
      const at = etag();
      let data;
      try {
        data = await api.importSheet(orgId, asId, file, { dryRun: true, etag: at });
      } catch (err) {
        const body = err && err.status === 400 && err.body;
        if (!body || !Array.isArray(body.problems) || !body.problems.length) throw err;
        data = body;
      }
      status.textContent = '';
      ui.preview = { file, name: file.name, etag: at, answers: data.answers || [], problems: data.problems || [],
        sheetName: data.sheetName || '', sha256: data.sha256 || '' };
      renderPreview(ui.preview);
    } catch (err) {
      status.textContent = '';
      setState('error');
      if (err.status === 409) onConflict();
      else showError(errorSlot, err, { extra: err.status === 400 || err.status === 415 ? h('p', {}, t('excel.notWorkbook')) : null });
    } finally {
      setBusy(false);
    }
  }

  async function confirmImport() {
    const p = ui.preview;
    if (!p || p.problems.length) return;
    showError(errorSlot, null);
    setBusy(true);
    setState('importing');
    status.textContent = t('excel.importing');
    try {
      await settle();
      if (!ui.editable) {
        status.textContent = '';
        setState('preview');
        return;
      }
      // Saved from the sheet meanwhile: compare again with what is there now.
      if (etag() !== p.etag) {
        p.etag = etag();
        status.textContent = '';
        renderPreview(p, t('excel.changedSince'));
        return;
      }
      const result = await api.importSheet(orgId, asId, p.file, { dryRun: false, etag: p.etag });
      notice = { asId, sheet: result.sheetName || p.sheetName, name: p.name, ...p.counts };
      setState('imported');
      reload();
    } catch (err) {
      status.textContent = '';
      setState('error');
      if (err.status === 409) onConflict();
      else showError(errorSlot, err);
    } finally {
      setBusy(false);
    }
  }

  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    input.value = ''; // the same file may be chosen again after correcting it
    if (file) readFile(file);
  });

  card.append(
    h('h2', { id: 'excel-title' }, t('excel.title')),
    h('p', { class: 'help' }, t('excel.help')),
    h('div', { class: 'button-row excel-downloads' },
      download('excel-blank', t('excel.blankLabel'), () => api.blankSheet(assessment.catalogueId, assessment.catalogueVersion, lang),
        `${assessment.catalogueId}-sheet.xlsx`),
      download('excel-filled', t('excel.filledLabel'), async () => { await settle(); return api.filledSheet(orgId, asId, lang); },
        `${asId}-sheet.xlsx`),
      input, uploadLabel),
    uploadOff, status, errorSlot, previewSlot);

  return {
    node: card,
    setEditable(on) {
      ui.editable = on;
      syncControls();
    },
  };
}
