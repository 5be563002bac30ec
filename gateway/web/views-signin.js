// Sign in through the tenant's identity provider (the gateway's /auth/login, found by the
// tenant's short name), or with an API key, which is checked, then kept in sessionStorage.
import { api, session } from './api.js';
import { h } from './dom.js';
import { clearFormErrors, showFormErrors } from './errors.js';
import { t } from './i18n.js';
import { go } from './nav.js';
import { probeRole, takeSignInNotice } from './session.js';

const TENANT_NAME = 'socm.tenantSlug';

// The organisation's account: the browser goes to the provider and comes back signed in.
function providerForm() {
  const slug = h('input', {
    id: 'tenant-slug', type: 'text', autocomplete: 'organization', spellcheck: 'false', required: true,
    'data-field': 'tenant', 'aria-describedby': 'tenant-slug-help',
    value: localStorage.getItem(TENANT_NAME) || '',
  });
  const slot = h('div', { class: 'form-alert' });
  const form = h('form', { class: 'form', novalidate: true, id: 'signin-provider' },
    h('div', { class: 'field' },
      h('label', { for: 'tenant-slug' }, t('signin.tenant')),
      slug,
      h('p', { class: 'help', id: 'tenant-slug-help' }, t('signin.tenantHelp'))),
    slot,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('signin.withProvider'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const name = slug.value.trim().toLowerCase();
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) {
      showFormErrors(form, slot, { status: 400, code: 'INVALID_ARGUMENT', apiMessage: t('signin.tenantBad'),
        details: [{ field: 'tenant', description: t('signin.tenantBad') }] });
      slug.focus();
      return;
    }
    localStorage.setItem(TENANT_NAME, name);
    const q = new URLSearchParams({ tenant: name, returnTo: '/#/orgs' });
    location.assign(`/auth/login?${q}`);
  });
  return form;
}

export async function signInView(ctx) {
  ctx.crumbs([{ label: t('signin.title') }]);
  const notice = takeSignInNotice();
  const slot = h('div', { class: 'form-alert' });
  const input = h('input', {
    id: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    'data-field': 'key', 'aria-describedby': 'api-key-help',
  });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, t('signin.submit'));
  const form = h('form', { class: 'form', novalidate: true, id: 'signin-key' },
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
      go(session.role.operator ? '#/tenants' : '#/orgs');
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
      notice ? h('div', { class: 'alert alert-info', role: 'status' }, t(notice)) : null,
      providerForm(),
      h('h2', { class: 'signin-or' }, t('signin.withKey')),
      h('p', { class: 'lead' }, t('signin.lead')),
      form));
}
