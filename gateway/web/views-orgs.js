// Organisations: the list and the form to add one (admin keys only).
import { api, session } from './api.js';
import { h } from './dom.js';
import { clearFormErrors, showError, showFormErrors } from './errors.js';
import { formatDate, t } from './i18n.js';
import { go, orgHref } from './nav.js';
import { learnAdmin, learnNotAdmin } from './session.js';

function orgTable(orgs) {
  if (!orgs.length) return h('p', { class: 'empty' }, t('orgs.empty'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('caption', { class: 'visually-hidden' }, t('orgs.title')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('orgs.name')),
      h('th', { scope: 'col' }, t('orgs.industry')),
      h('th', { scope: 'col', class: 'num' }, t('orgs.employees')),
      h('th', { scope: 'col' }, t('orgs.created')))),
    h('tbody', {}, orgs.map((o) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: orgHref(o.id) }, o.displayName || o.id)),
      h('td', {}, o.industry || '—'),
      h('td', { class: 'num' }, o.employeeCount ? String(o.employeeCount) : '—'),
      h('td', {}, formatDate(o.createTime)))))));
}

function createForm() {
  const slot = h('div', { class: 'form-alert' });
  const name = h('input', { id: 'org-name', type: 'text', required: true, maxlength: '200', 'data-field': 'displayName' });
  const industry = h('input', { id: 'org-industry', type: 'text', maxlength: '100', list: 'industries', 'data-field': 'industry' });
  const employees = h('input', { id: 'org-employees', type: 'number', min: '0', step: '1', inputmode: 'numeric', 'data-field': 'employeeCount' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, t('orgs.create'));
  const form = h('form', { class: 'form form-grid', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'org-name' }, t('orgs.name'), h('span', { class: 'req' }, ' *')), name),
    h('div', { class: 'field' }, h('label', { for: 'org-industry' }, t('orgs.industry')), industry,
      h('datalist', { id: 'industries' }, ['finance', 'manufacturing', 'public', 'healthcare', 'retail', 'it', 'energy']
        .map((v) => h('option', { value: v })))),
    h('div', { class: 'field' }, h('label', { for: 'org-employees' }, t('orgs.employees')), employees),
    h('div', { class: 'actions' }, button),
    slot);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const body = { displayName: name.value.trim() };
    if (industry.value.trim()) body.industry = industry.value.trim();
    if (employees.value !== '') body.employeeCount = Number(employees.value);
    button.disabled = true;
    try {
      const org = await api.createOrganization(body);
      learnAdmin();
      go(orgHref(org.id));
    } catch (err) {
      if (err.status === 403) {
        learnNotAdmin();
        showError(slot, { ...err, apiMessage: `${t('orgs.needAdmin')} ${err.apiMessage || ''}`.trim() });
      } else {
        showFormErrors(form, slot, err);
      }
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export async function orgsView(ctx) {
  ctx.crumbs([{ label: t('nav.orgs') }]);
  const orgs = await api.listOrganizations();
  orgs.sort((a, b) => (a.displayName || '').localeCompare(b.displayName || ''));
  return h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('orgs.title')),
      h('p', { class: 'lead' }, t('orgs.lead'))),
    // A key or person limited to some organisations sees theirs, not the tenant's all.
    h('div', { class: 'card' }, h('h2', {}, t(session.role.pinned ? 'orgs.yourTitle' : 'orgs.listTitle', { n: orgs.length })),
      orgTable(orgs)),
    h('div', { class: 'card' }, h('h2', {}, t('orgs.createTitle')),
      h('p', { class: 'help' }, t('orgs.createHelp')), createForm()));
}
