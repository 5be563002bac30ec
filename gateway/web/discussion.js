// The discussion of one role on the sheet: its comments and its evidence files.
// Loaded when opened (a sheet has 54 roles; most are never discussed), shown in
// a row under the role's. Comments can be added in any status; evidence is
// uploaded until the assessment is approved and removed only from a draft, as
// the server rules.
import { api } from './api.js';
import { h } from './dom.js';
import { showError } from './errors.js';
import { t } from './i18n.js';
import { saveResponse } from './files.js';

const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function formatTime(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString(document.documentElement.lang === 'ja' ? 'ja-JP' : 'en-GB',
    { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function commentList(comments) {
  if (!comments.length) return h('p', { class: 'empty' }, t('disc.noComments'));
  return h('ol', { class: 'comments' }, comments.map((c) => h('li', { class: 'comment', dataset: { comment: c.id } },
    h('p', { class: 'comment-head' }, h('span', { class: 'comment-author' }, c.author || '—'), ' · ',
      h('time', { datetime: c.createTime || '' }, formatTime(c.createTime))),
    h('p', { class: 'comment-body' }, c.body))));
}

// panel({orgId, asId, roleCode, label, status()}) → {node, load()}.
function panel({ orgId, asId, roleCode, label, status }) {
  const commentsSlot = h('div', { class: 'comments-slot', 'aria-busy': 'true' });
  const evidenceSlot = h('div', { class: 'evidence-slot', 'aria-busy': 'true' });
  const commentError = h('div', {});
  const evidenceError = h('div', {});
  const text = h('textarea', { id: `comment-${roleCode}`, rows: '2', maxlength: '10000',
    'aria-label': `${label}: ${t('disc.newComment')}` });
  const post = h('button', { type: 'submit', class: 'btn btn-small', id: `comment-add-${roleCode}` }, t('disc.addComment'));
  const file = h('input', { type: 'file', id: `evidence-file-${roleCode}`, 'aria-label': `${label}: ${t('disc.file')}` });
  const upload = h('button', { type: 'submit', class: 'btn btn-small', id: `evidence-add-${roleCode}` }, t('disc.upload'));
  const counts = { comments: 0, evidence: 0 };
  let onCounts = () => {};

  async function loadComments() {
    try {
      const list = await api.listComments(orgId, asId, roleCode);
      counts.comments = list.length;
      commentsSlot.replaceChildren(commentList(list));
    } catch (err) {
      showError(commentsSlot, err);
    } finally {
      commentsSlot.removeAttribute('aria-busy');
      onCounts(counts);
    }
  }

  // One item per file: its name and size, then its hash, author and time, then the actions.
  function evidenceList(list) {
    if (!list.length) return h('p', { class: 'empty' }, t('disc.noEvidence'));
    const draft = status() === 'DRAFT';
    return h('ul', { class: 'evidence-list', 'aria-label': `${label}: ${t('disc.evidence')}` }, list.map((e) => h('li', {
      class: 'evidence', dataset: { evidence: e.id },
    },
    h('div', { class: 'evidence-main' },
      h('p', { class: 'file-name' }, e.filename, h('span', { class: 'muted' }, ` · ${formatBytes(Number(e.size) || 0)}`)),
      h('p', { class: 'evidence-meta' }, 'SHA-256 ', h('code', { title: e.sha256 }, `${(e.sha256 || '').slice(0, 16)}…`),
        ` · ${e.author || '—'} · `, h('time', { datetime: e.createTime || '' }, formatTime(e.createTime)))),
    h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => download(e) }, t('disc.download')),
      draft ? h('button', { type: 'button', class: 'btn btn-small btn-danger', onclick: () => remove(e) },
        t('disc.delete')) : null))));
  }

  async function loadEvidence() {
    try {
      const list = await api.listEvidence(orgId, asId, roleCode);
      counts.evidence = list.length;
      evidenceSlot.replaceChildren(evidenceList(list));
    } catch (err) {
      showError(evidenceSlot, err);
    } finally {
      evidenceSlot.removeAttribute('aria-busy');
      onCounts(counts);
    }
  }

  async function download(e) {
    showError(evidenceError, null);
    try {
      await saveResponse(await api.downloadEvidence(orgId, asId, roleCode, e.id), e.filename);
    } catch (err) {
      showError(evidenceError, err);
    }
  }

  async function remove(e) {
    if (!window.confirm(t('disc.confirmDelete', { name: e.filename }))) return;
    showError(evidenceError, null);
    try {
      await api.deleteEvidence(orgId, asId, roleCode, e.id);
      await loadEvidence();
    } catch (err) {
      showError(evidenceError, err);
    }
  }

  const commentForm = h('form', { class: 'comment-form' }, text, post);
  commentForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(commentError, null);
    if (!text.value.trim()) return;
    post.disabled = true;
    try {
      await api.addComment(orgId, asId, roleCode, text.value);
      text.value = '';
      await loadComments();
    } catch (err) {
      showError(commentError, err);
    } finally {
      post.disabled = false;
    }
  });

  const uploadForm = h('form', { class: 'evidence-form', hidden: status() === 'APPROVED' }, file, upload,
    h('span', { class: 'help' }, t('disc.limit')));
  uploadForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(evidenceError, null);
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    if (chosen.size > MAX_EVIDENCE_BYTES) {
      showError(evidenceError, { status: 413, apiMessage: t('disc.tooLarge', { name: chosen.name }) });
      return;
    }
    upload.disabled = true;
    try {
      await api.uploadEvidence(orgId, asId, roleCode, chosen);
      file.value = '';
      await loadEvidence();
    } catch (err) {
      showError(evidenceError, err);
    } finally {
      upload.disabled = false;
    }
  });

  const node = h('div', { class: 'discussion', id: `discussion-${roleCode}` },
    h('section', { class: 'disc-part' }, h('h3', {}, t('disc.comments')), commentsSlot, commentForm, commentError),
    h('section', { class: 'disc-part' }, h('h3', {}, t('disc.evidence')), evidenceSlot, uploadForm, evidenceError));
  return {
    node,
    load: () => Promise.all([loadComments(), loadEvidence()]),
    onCounts: (fn) => { onCounts = fn; },
  };
}

// The toggle in a role's row; opening it the first time loads the panel into
// a row of its own, `colspan` wide, under `tr`.
export function discussionToggle({ orgId, asId, roleCode, label, status, colspan }) {
  const button = h('button', { type: 'button', class: 'btn btn-small disc-toggle', id: `disc-${roleCode}`,
    'aria-expanded': 'false', 'aria-controls': `discussion-${roleCode}`, title: `${label}: ${t('disc.title')}` },
  t('disc.title'));
  let row = null;
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    if (!row) {
      const p = panel({ orgId, asId, roleCode, label, status });
      p.onCounts((c) => {
        button.textContent = t('disc.titleCounts', { c: c.comments, e: c.evidence });
      });
      row = h('tr', { class: 'discussion-row' }, h('td', { colspan: String(colspan) }, p.node));
      button.closest('tr').after(row);
      p.load();
    }
    row.hidden = !open;
  });
  return button;
}
