// Sign in with an API key. The key is checked, then kept in sessionStorage.
import { api, session } from './api.js';
import { h } from './dom.js';
import { clearFormErrors, showFormErrors } from './errors.js';
import { t } from './i18n.js';
import { go } from './nav.js';
import { probeRole, takeSignInNotice } from './session.js';

export async function signInView(ctx) {
  ctx.crumbs([{ label: t('signin.title') }]);
  const notice = takeSignInNotice();
  const slot = h('div', { class: 'form-alert' });
  const input = h('input', {
    id: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    'data-field': 'key', 'aria-describedby': 'api-key-help',
  });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, t('signin.submit'));
  const form = h('form', { class: 'form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'api-key' }, t('signin.key')),
      input,
      h('p', { class: 'help', id: 'api-key-help' }, t('signin.help'))),
    slot,
    h('div', { class: 'actions' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const key = input.value.trim();
    if (!key) {
      showFormErrors(form, slot, { status: 400, code: 'INVALID_ARGUMENT', apiMessage: t('signin.empty'),
        details: [{ field: 'key', description: t('signin.empty') }] });
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      await api.checkKey(key);
      session.signIn(key);
      await probeRole();
      go('#/orgs');
    } catch (err) {
      showFormErrors(form, slot, err.status === 401 ? { ...err, apiMessage: t('signin.rejected') } : err);
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { class: 'page page-narrow' },
    h('div', { class: 'card signin-card' },
      h('h1', {}, t('signin.title')),
      h('p', { class: 'lead' }, t('signin.lead')),
      notice ? h('div', { class: 'alert alert-info', role: 'status' }, t(notice)) : null,
      form));
}
