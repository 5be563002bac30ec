// The input sheet: every role of the catalogue grouped by function, with one
// level per dimension of the catalogue (ISOG-J: in-source and out-source; a
// model with one rating per role: one), a target and a note, all on the
// catalogue's scale. Each change is saved at once (PUT …/answers/{role} with
// If-Match); a stale etag stops all saving and asks for a reload, so another
// person's change is never overwritten. The Excel card (excel.js) downloads
// the workbook and imports a filled one after a preview. Each role opens its
// discussion (comments and evidence, discussion.js).
import { api, session } from './api.js';
import { h } from './dom.js';
import { errorTitle, showError } from './errors.js';
import { getLang, localized, policyLabel, t } from './i18n.js';
import { orgHref, resultsHref } from './nav.js';
import { learnAdmin, learnNotAdmin } from './session.js';
import { statusBadge } from './badges.js';
import { excelCard, importNotice, takeImportNotice } from './excel.js';
import { discussionToggle } from './discussion.js';
import { savesSettled, trackSaves } from './saves.js';
import { IN_SOURCE, OUT_SOURCE, answerLevel, dimensionsOf, hasOwnLabels, scaleOf, speaksDimensions } from './shape.js';

// The select of one dimension keeps the ids the ISOG-J sheet always had.
function levelSelectId(dim, roleCode) {
  if (dim.code === IN_SOURCE) return `in-${roleCode}`;
  if (dim.code === OUT_SOURCE) return `out-${roleCode}`;
  return `lvl-${dim.code}-${roleCode}`;
}

// A level's text in a dimension, else the scale's label for it.
function levelText(dim, scale, n) {
  return dim.texts.get(n) || scale.labels.get(n) || '';
}

// Options for the scale's levels; a saved value off the scale (a catalogue
// edited since) is kept as an option of its own, so that it is not lost.
function levelOptions(scale, value, text) {
  const levels = scale.levels.slice();
  if (Number.isInteger(value) && !levels.includes(value)) levels.push(value);
  return levels.map((n) => {
    const label = text(n);
    return h('option', { value: String(n) }, label && label !== String(n) ? `${n} — ${label}` : String(n));
  });
}

function setValue(select, value) {
  select.value = value === undefined || value === null ? '' : String(value);
}

function levelSelect(id, label, dim, scale, value) {
  const select = h('select', { id, class: 'level-select', 'aria-label': label, dataset: { dimension: dim.code } },
    h('option', { value: '' }, t('sheet.unanswered')),
    levelOptions(scale, value, (n) => levelText(dim, scale, n)));
  setValue(select, value);
  return select;
}

// The full text of the chosen level under its select (the select is narrow).
function levelCaption(select, dim, scale) {
  const caption = h('p', { class: 'level-text', 'aria-hidden': 'true' });
  const sync = () => {
    const text = select.value === '' ? '' : levelText(dim, scale, Number(select.value));
    caption.textContent = text;
    select.title = text;
  };
  sync();
  select.addEventListener('change', sync);
  return caption;
}

// What each level of the scale means in each dimension.
function levelGuide(dims, scale) {
  const labelled = hasOwnLabels(scale);
  return h('details', { class: 'card guide', id: 'level-guide' },
    h('summary', {}, t('sheet.levelsTitle')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', class: 'num' }, t('sheet.level')),
        labelled ? h('th', { scope: 'col' }, t('sheet.scaleLabel')) : null,
        dims.map((d) => h('th', { scope: 'col', dataset: { dimension: d.code } }, d.name)))),
      h('tbody', {}, scale.levels.map((n) => h('tr', { dataset: { level: String(n) } },
        h('th', { scope: 'row', class: 'num' }, String(n)),
        labelled ? h('td', { class: 'scale-label' }, scale.labels.get(n) || '') : null,
        dims.map((d) => h('td', {}, d.texts.get(n) || ''))))))));
}

export async function sheetView(ctx) {
  const [orgId, asId] = ctx.params;
  const lang = getLang();
  await savesSettled();
  const [org, assessment] = await Promise.all([api.getOrganization(orgId), api.getAssessment(orgId, asId)]);
  const cat = await api.getCatalogue(assessment.catalogueId, assessment.catalogueVersion, lang);
  ctx.crumbs([{ label: t('nav.orgs'), href: '#/orgs' }, { label: org.displayName || org.id, href: orgHref(orgId) },
    { label: assessment.title || assessment.id }]);

  const state = {
    etag: assessment.etag,
    status: assessment.status,
    submittedBy: assessment.submittedBy || '',
    conflict: false,
    pending: 0,
    chain: Promise.resolve(),
  };
  const answers = new Map((assessment.answers || []).map((a) => [a.roleCode, a]));
  const rows = new Map();
  const functionParts = [];
  const scale = scaleOf(cat, lang);
  const dims = dimensionsOf(cat, lang);
  // An older server knows only the short forms inSource/outSource.
  const sendLevels = speaksDimensions(cat);

  const live = h('p', { class: 'save-status', role: 'status', 'aria-live': 'polite' });
  const conflictSlot = h('div', { class: 'conflict-slot' });
  const transitionSlot = h('div', { class: 'transition-slot' });
  const readOnlyNote = h('div', { class: 'alert alert-info', role: 'status' });
  const overallProgress = h('progress', { max: '1', value: '0', 'aria-labelledby': 'overall-progress-label' });
  const overallText = h('span', { class: 'progress-text', id: 'overall-progress-label' });
  const badgeSlot = h('span', {});
  const buttons = h('div', { class: 'button-row' });
  const root = h('section', { class: 'page sheet', dataset: { pending: '0' } });

  const editable = () => state.status === 'DRAFT' && !state.conflict;
  const isAnswered = (row) => row.levelSels.some((sel) => sel.value !== '');

  function readRow(row) {
    const body = {};
    const levels = {};
    row.levelSels.forEach((sel, i) => {
      if (sel.value !== '') levels[dims[i].code] = Number(sel.value);
    });
    if (!sendLevels) Object.assign(body, levels);
    else if (Object.keys(levels).length) body.levels = levels;
    if (row.targetSel.value !== '') body.target = Number(row.targetSel.value);
    if (row.note.value !== '') body.note = row.note.value;
    return body;
  }

  function updateProgress() {
    let answered = 0;
    let total = 0;
    for (const part of functionParts) {
      const n = part.rows.filter(isAnswered).length;
      part.progress.max = part.rows.length || 1;
      part.progress.value = n;
      part.text.textContent = t('sheet.answeredOf', { n, total: part.rows.length });
      part.chip.textContent = `${part.code} ${n}/${part.rows.length}`;
      part.chip.setAttribute('aria-label', `${part.code} ${part.name} ${n}/${part.rows.length}`);
      part.chip.classList.toggle('done', n === part.rows.length);
      answered += n;
      total += part.rows.length;
    }
    overallProgress.max = total || 1;
    overallProgress.value = answered;
    overallText.textContent = t('sheet.overallProgress', { n: answered, total });
    root.dataset.answered = String(answered);
  }

  function setPending(delta) {
    state.pending += delta;
    root.dataset.pending = String(state.pending);
    if (state.pending > 0) live.textContent = t('sheet.saving');
  }

  function setRowState(row, kind, message) {
    row.tr.dataset.save = kind;
    row.statusEl.replaceChildren();
    if (kind === 'saving') row.statusEl.append(h('span', { class: 'row-saving' }, t('sheet.rowSaving')));
    else if (kind === 'saved') row.statusEl.append(h('span', { class: 'row-saved' }, t('sheet.rowSaved')));
    else if (kind === 'unsaved') row.statusEl.append(h('span', { class: 'row-unsaved' }, t('sheet.rowUnsaved')));
    else if (kind === 'error') row.statusEl.append(message);
  }

  function applyEditable() {
    const on = editable();
    for (const row of rows.values()) {
      for (const c of [...row.levelSels, row.targetSel, row.note]) c.disabled = !on;
    }
    root.dataset.readonly = on ? 'false' : 'true';
    excel.setEditable(on);
    readOnlyNote.hidden = state.status === 'DRAFT';
    readOnlyNote.textContent = state.status === 'DRAFT' ? '' : t('sheet.readOnly', { status: t(`status.${state.status}`) });
    badgeSlot.replaceChildren(statusBadge(state.status));
    renderButtons();
  }

  // Stops editing and asks for a reload: after a stale etag (409), or when the
  // assessment left DRAFT in the meantime (412, with the API's message).
  function showConflict(code, stateError) {
    if (state.conflict) return;
    state.conflict = true;
    let body = code ? t('sheet.conflictBody', { code }) : t('sheet.conflictBodyGeneric');
    if (stateError) body = `${t('sheet.stateChanged', { code })} ${stateError.apiMessage || ''}`.trim();
    conflictSlot.replaceChildren(h('div', { class: 'alert alert-warning conflict', role: 'alert' },
      h('p', { class: 'alert-title' }, t('sheet.conflictTitle')),
      h('p', {}, body),
      h('button', { type: 'button', class: 'btn btn-primary', id: 'conflict-reload', onclick: () => ctx.reload() },
        t('sheet.reload'))));
    live.textContent = t('sheet.conflictTitle');
    applyEditable();
  }

  // Saves run one after another: each needs the etag the previous one returned.
  function save(row) {
    setPending(1);
    setRowState(row, 'saving');
    state.chain = state.chain.then(async () => {
      if (state.conflict || state.status !== 'DRAFT') {
        setRowState(row, 'unsaved');
        return;
      }
      const body = readRow(row);
      const text = JSON.stringify(body);
      if (text === row.savedText) {
        setRowState(row, 'saved');
        return;
      }
      try {
        const updated = await api.putAnswer(orgId, asId, row.code, body, state.etag);
        state.etag = updated.etag;
        row.savedText = text;
        setRowState(row, 'saved');
        live.textContent = t('sheet.savedRole', { code: row.code });
      } catch (err) {
        if (err.status === 409) {
          setRowState(row, 'unsaved');
          showConflict(row.code);
        } else if (err.status === 412) {
          setRowState(row, 'unsaved');
          showConflict(row.code, err);
        } else {
          setRowState(row, 'error', h('span', { class: 'row-error', role: 'alert' },
            `${t('sheet.rowUnsaved')}: ${err.apiMessage || errorTitle(err)}`));
          if (err.status === 403) learnNotAdmin();
        }
      }
    }).finally(() => {
      setPending(-1);
      if (state.pending === 0 && !state.conflict && live.textContent === t('sheet.saving')) {
        live.textContent = t('sheet.allSaved');
      }
    });
    trackSaves(state.chain);
    return state.chain;
  }

  async function transition(action) {
    showError(transitionSlot, null);
    for (const b of buttons.querySelectorAll('button')) b.disabled = true;
    try {
      await state.chain;
      if (state.conflict) return;
      const updated = await api.transition(orgId, asId, action, state.etag);
      state.etag = updated.etag;
      state.status = updated.status;
      state.submittedBy = updated.submittedBy || '';
      if (action === 'approve') learnAdmin();
      live.textContent = t(`sheet.done.${action}`);
    } catch (err) {
      if (err.status === 409) showConflict('');
      else {
        // Separation of duties: the submitter's refusal says so; an assessor's says the role.
        const ownSubmit = /separation of duties/.test(err.apiMessage || '');
        if (err.status === 403 && action === 'approve' && ownSubmit) {
          err.apiMessage = `${t('sheet.approveBySomeoneElse')} ${err.apiMessage || ''}`.trim();
        } else if (err.status === 403 && action === 'approve') {
          learnNotAdmin();
          err.apiMessage = `${t('sheet.approveNeedsAdmin')} ${err.apiMessage || ''}`.trim();
        } else if (err.status === 403 && action === 'reopen') {
          err.apiMessage = `${t('sheet.reopenNeedsAdmin')} ${err.apiMessage || ''}`.trim();
        }
        showError(transitionSlot, err);
      }
    } finally {
      applyEditable();
    }
  }

  function renderButtons() {
    const list = [];
    const add = (action, primary) => list.push(h('button', {
      type: 'button', class: primary ? 'btn btn-primary' : 'btn', id: `action-${action}`,
      disabled: state.conflict, onclick: () => transition(action),
    }, t(`sheet.${action}`)));
    if (state.status === 'DRAFT') add('submit', true);
    if (state.status === 'SUBMITTED') add('approve', true);
    // Whoever submitted cannot approve: said before the click, and the server refuses it anyway.
    const mine = state.submittedBy && session.role && state.submittedBy === session.role.keyId;
    if (state.status === 'SUBMITTED' && mine) {
      list.push(h('span', { class: 'hint', id: 'approve-hint' }, t('sheet.approveBySomeoneElse')));
    }
    if (state.status === 'SUBMITTED' || state.status === 'APPROVED') add('reopen', false);
    list.push(h('a', { class: 'btn', href: resultsHref(orgId, asId), id: 'to-results' }, t('nav.results')));
    buttons.replaceChildren(...list);
  }

  function roleRow(fn, role) {
    const answer = answers.get(role.code) || {};
    const name = localized(role.name, lang);
    const label = (what) => `${role.code} ${name}: ${what}`;
    const row = { code: role.code };
    row.levelSels = dims.map((dim) => levelSelect(levelSelectId(dim, role.code), label(dim.name), dim, scale,
      answerLevel(answer, dim.code)));
    row.targetSel = h('select', { id: `target-${role.code}`, class: 'target-select', 'aria-label': label(t('sheet.target')) },
      h('option', { value: '' }, '—'), levelOptions(scale, answer.target, (n) => String(n)));
    setValue(row.targetSel, answer.target);
    row.note = h('textarea', { id: `note-${role.code}`, rows: '2', maxlength: '2000', 'aria-label': label(t('sheet.note')) });
    row.note.value = answer.note || '';
    row.savedText = JSON.stringify(readRow(row));
    row.statusEl = h('div', { class: 'row-status' });
    const description = localized(role.description, lang);
    row.tr = h('tr', { id: `role-${role.code}`, dataset: { role: role.code } },
      h('th', { scope: 'row', class: 'role-cell' },
        h('div', { class: 'role-head' }, h('span', { class: 'role-code' }, role.code), ' ', h('span', { class: 'role-name' }, name),
          role.area ? h('span', { class: 'area-chip' }, t('sheet.area', { area: role.area })) : null),
        description ? h('p', { class: 'role-desc' }, description) : null,
        h('div', { class: 'role-tools' }, discussionToggle({ orgId, asId, roleCode: role.code, label: `${role.code} ${name}`,
          status: () => state.status, colspan: dims.length + 4 }))),
      row.levelSels.map((sel, i) => h('td', {}, sel, levelCaption(sel, dims[i], scale))),
      h('td', {}, row.targetSel),
      h('td', {}, row.note),
      h('td', {}, row.statusEl));
    for (const c of [...row.levelSels, row.targetSel]) {
      c.addEventListener('change', () => { updateProgress(); save(row); });
    }
    let timer = 0;
    row.note.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => save(row), 1500);
    });
    row.note.addEventListener('change', () => { clearTimeout(timer); save(row); });
    rows.set(role.code, row);
    return row;
  }

  const targets = assessment.functionTargets || {};
  const chips = h('ul', { class: 'fn-chips' });
  const sections = (cat.functions || []).map((fn) => {
    const fnName = localized(fn.name, lang);
    const headingId = `fn-${fn.code}`;
    const part = {
      code: fn.code,
      name: fnName,
      rows: (fn.roles || []).map((role) => roleRow(fn, role)),
      progress: h('progress', { max: '1', value: '0', 'aria-label': t('sheet.fnProgress', { name: fnName }) }),
      text: h('span', { class: 'progress-text' }),
      chip: h('button', { type: 'button', class: 'chip', title: fnName }),
    };
    functionParts.push(part);
    const heading = h('h2', { id: headingId, tabindex: '-1' }, h('span', { class: 'fn-code' }, fn.code), ' ', fnName);
    part.chip.addEventListener('click', () => {
      heading.scrollIntoView({ behavior: 'smooth', block: 'start' });
      heading.focus({ preventScroll: true });
    });
    chips.append(h('li', {}, part.chip));
    return h('section', { class: 'card fn-card', 'aria-labelledby': headingId },
      h('div', { class: 'fn-head' }, heading,
        h('div', { class: 'fn-progress' },
          targets[fn.code] !== undefined ? h('span', { class: 'target-chip' }, t('sheet.fnTarget', { n: targets[fn.code] })) : null,
          part.text, part.progress)),
      fn.description ? h('p', { class: 'fn-desc' }, localized(fn.description, lang)) : null,
      h('div', { class: 'table-wrap' }, h('table', { class: `table sheet-table dims-${dims.length}` },
        h('caption', { class: 'visually-hidden' }, `${fn.code} ${fnName}`),
        h('colgroup', {}, h('col', { class: 'col-role' }), dims.map(() => h('col', { class: 'col-level' })),
          h('col', { class: 'col-target' }), h('col', { class: 'col-note' }), h('col', { class: 'col-status' })),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('sheet.role')),
          dims.map((d) => h('th', { scope: 'col', dataset: { dimension: d.code } }, d.name)),
          h('th', { scope: 'col' }, t('sheet.target')),
          h('th', { scope: 'col' }, t('sheet.note')),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('sheet.saveState'))))),
        h('tbody', {}, part.rows.map((r) => r.tr)))));
  });

  const beforeUnload = (event) => {
    if (state.pending > 0) {
      event.preventDefault();
      event.returnValue = '';
    }
  };
  window.addEventListener('beforeunload', beforeUnload);
  ctx.onLeave(() => window.removeEventListener('beforeunload', beforeUnload));

  // The workbook to fill offline and its import; "current" is what is saved.
  const excel = excelCard({
    orgId, asId, assessment, cat, dims, scale, lang,
    savedAnswers: () => new Map(Array.from(rows, ([code, row]) => [code, JSON.parse(row.savedText)])),
    etag: () => state.etag,
    settle: () => state.chain.catch(() => {}),
    onConflict: () => showConflict(''),
    reload: () => ctx.reload(),
  });
  const imported = takeImportNotice(asId);

  const guidance = localized(cat.ratingGuidance, lang) || t('sheet.guidanceFallback');
  root.append(
    h('div', { class: 'page-head' },
      h('div', { class: 'title-row' }, h('h1', {}, assessment.title || assessment.id), badgeSlot),
      h('p', { class: 'meta' },
        [org.displayName, assessment.assessedOn, `${localized(cat.name, lang)} ${assessment.catalogueVersion}`,
          policyLabel(assessment.scoringPolicy)].filter(Boolean).join(' · ')),
      buttons, transitionSlot),
    conflictSlot,
    ...(imported ? [importNotice(imported)] : []),
    readOnlyNote,
    h('aside', { class: 'alert alert-hint', 'aria-label': t('sheet.guidanceLabel') },
      h('p', { class: 'alert-title' }, t('sheet.guidanceTitle')), h('p', {}, guidance)),
    levelGuide(dims, scale),
    excel.node,
    h('div', { class: 'progress-bar card' },
      h('div', { class: 'overall' }, overallText, overallProgress),
      h('nav', { 'aria-label': t('sheet.jump') }, chips),
      live),
    ...sections);
  updateProgress();
  applyEditable();
  return root;
}

