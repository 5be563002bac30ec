// Turns API errors into readable messages placed next to what caused them.
import { h } from './dom.js';
import { t } from './i18n.js';

const KNOWN = [0, 400, 401, 403, 404, 409, 412, 413, 429, 501, 503, 504];

export function errorTitle(err) {
  const status = err && typeof err.status === 'number' ? err.status : -1;
  if (KNOWN.includes(status)) return t(`err.${status}`);
  if (status >= 500) return t('err.5xx');
  return t('err.other');
}

function explain(err) {
  if (!err || typeof err.status !== 'number') return t('err.unexpected');
  if (err.status === 0) return t('err.network');
  if (err.status === 501 && !err.apiMessage) return t('err.notYet');
  if (err.status === 429 && err.retryAfter) return t('err.retryAfter', { s: err.retryAfter });
  return err.apiMessage || '';
}

// A self-contained error block: a title, the API's message and its field details.
export function errorBox(err, { extra, tone = 'error' } = {}) {
  const details = (err && Array.isArray(err.details) ? err.details : [])
    .filter((d) => d && (d.field || d.description));
  const code = err && err.code ? `${err.code}${err.status ? ` (HTTP ${err.status})` : ''}` : '';
  return h('div', { class: `alert alert-${tone}`, role: tone === 'error' ? 'alert' : 'status' },
    h('p', { class: 'alert-title' }, errorTitle(err)),
    explain(err) ? h('p', {}, explain(err)) : null,
    details.length ? h('ul', { class: 'alert-details' },
      details.map((d) => h('li', {}, d.field ? h('code', {}, d.field) : null, d.field ? ': ' : '', d.description || ''))) : null,
    extra || null,
    code ? h('p', { class: 'alert-code' }, code) : null);
}

// Shows an error inside `slot` (replacing what was there); null clears it.
export function showError(slot, err, options) {
  slot.replaceChildren(err ? errorBox(err, options) : '');
}

// Clears earlier messages of a form.
export function clearFormErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
  }
}

// Puts each field's message under its input (matched by data-field), and the
// whole error in the form's alert slot.
export function showFormErrors(form, slot, err) {
  clearFormErrors(form);
  for (const d of (err && err.details) || []) {
    if (!d || !d.field) continue;
    const input = form.querySelector(`[data-field="${CSS.escape(d.field)}"]`);
    if (!input) continue;
    const id = `${input.id || 'field'}-error`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.closest('.field')?.append(h('p', { class: 'field-error', id }, d.description || ''));
  }
  showError(slot, err);
}
