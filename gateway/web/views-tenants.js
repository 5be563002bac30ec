// Tenants (the operator's): every tenant with its short name, and a form that creates one; a
// new tenant's page of keys follows, where the operator issues its first admin key.
import { api, randomKey } from './api.js';
import { h } from './dom.js';
import { clearFormErrors, errorBox, showFormErrors } from './errors.js';
import { formatDateTime, t } from './i18n.js';
import { go, tenantKeysHref } from './nav.js';

function createForm(ctx) {
  const slot = h('div', { class: 'form-alert' });
  const name = h('input', { id: 'tenant-name', type: 'text', required: true, maxlength: '200', 'data-field': 'displayName',
    placeholder: 'ACME MSSP' });
  const slug = h('input', { id: 'tenant-new-slug', type: 'text', maxlength: '40', spellcheck: 'false', 'data-field': 'slug',
    placeholder: 'acme' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', id: 'tenant-create' }, t('tn.create'));
  // One intent, one tenant: a double click or a retry sends the same Idempotency-Key.
  let intent = randomKey();
  const form = h('form', { class: 'form', novalidate: true, id: 'tenant-form' },
    h('div', { class: 'field' }, h('label', { for: 'tenant-name' }, t('tn.name'), h('span', { class: 'req' }, ' *')), name),
    h('div', { class: 'field' }, h('label', { for: 'tenant-new-slug' }, t('tn.slug')), slug,
      h('p', { class: 'help' }, t('tn.slugHelp'))),
    slot, h('div', { class: 'button-row' }, button));
  form.addEventListener('input', () => { intent = randomKey(); });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    button.disabled = true;
    try {
      const body = { displayName: name.value.trim() };
      if (slug.value.trim()) body.slug = slug.value.trim();
      const tenant = await api.createTenant(body, intent);
      if (!ctx.current()) return;
      go(tenantKeysHref(tenant.id));
    } catch (err) {
      showFormErrors(form, slot, err);
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'card' }, h('h2', {}, t('tn.newTitle')), h('p', { class: 'help' }, t('tn.newHelp')), form);
}

export async function tenantsView(ctx) {
  ctx.crumbs([{ label: t('tn.title') }]);
  let tenants;
  try {
    tenants = await api.listTenants();
  } catch (err) {
    return h('section', { class: 'page' }, h('h1', {}, t('tn.title')),
      errorBox(err, { tone: err.status === 403 ? 'info' : 'error',
        extra: err.status === 403 ? h('p', {}, t('tn.needOperator')) : null }));
  }
  const table = tenants.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'tenant-list' },
    h('caption', { class: 'visually-hidden' }, t('tn.title')),
    h('thead', {}, h('tr', {}, [t('tn.name'), t('tn.slug'), t('tn.created'), ''].map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, tenants.map((tenant) => h('tr', { dataset: { tenant: tenant.id } },
      h('th', { scope: 'row' }, tenant.displayName, h('div', { class: 'muted small' }, h('code', {}, tenant.id))),
      h('td', {}, h('code', {}, tenant.slug || '')),
      h('td', {}, formatDateTime(tenant.createTime)),
      h('td', { class: 'row-actions' }, h('a', { class: 'btn btn-small', href: tenantKeysHref(tenant.id) }, t('tn.keys')))))))) :
    h('p', { class: 'empty', id: 'tenants-empty' }, t('tn.empty'));
  return h('section', { class: 'page' },
    h('h1', {}, t('tn.title')),
    h('p', { class: 'lead' }, t('tn.lead')),
    createForm(ctx),
    h('div', { class: 'card' }, h('h2', {}, t('tn.listTitle', { n: tenants.length })), table));
}
