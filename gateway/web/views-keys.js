// API keys: a tenant-wide admin's for their own tenant (#/keys), the operator's for any tenant
// (#/tenants/{id}/keys). The keys with their role and organisation, a form that issues one and
// shows it once (only its hash is kept), and revocation.
import { api, session } from './api.js';
import { h } from './dom.js';
import { clearFormErrors, showError, showFormErrors } from './errors.js';
import { formatDateTime, t } from './i18n.js';
import { copyButton } from './copy.js';
import { tenantKeysHref } from './nav.js';
import { refusedPage } from './refused.js';

const ROLES = ['viewer', 'assessor', 'admin'];

function newKeyCard(key) {
  return h('div', { class: 'card secret-card', id: 'new-key', role: 'status' },
    h('h2', {}, t('keys.newKeyTitle', { role: t(`pp.role.${key.role}`) })),
    h('p', {}, t('keys.shownOnce')),
    h('div', { class: 'copy-row' }, h('code', { class: 'secret', id: 'new-key-value' }, key.key),
      copyButton(key.key, 'copy-key')));
}

// orgs: the tenant's organisations to pin a key to, or null (the operator sees none).
function issueForm(ctx, tenantId, orgs, onIssued) {
  const slot = h('div', { class: 'form-alert' });
  const role = h('select', { id: 'key-role', 'data-field': 'role' },
    ROLES.map((r) => h('option', { value: r, selected: r === (orgs ? 'viewer' : 'admin') }, t(`pp.role.${r}`))));
  const org = orgs ? h('select', { id: 'key-org', 'data-field': 'organizationId' },
    h('option', { value: '' }, t('keys.everyOrg')),
    orgs.map((o) => h('option', { value: o.id }, o.displayName))) : null;
  const description = h('input', { id: 'key-description', type: 'text', maxlength: '200',
    'data-field': 'description', placeholder: t('keys.descriptionExample') });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', id: 'key-issue' }, t('keys.issue'));
  const field = (id, label, input, help) => h('div', { class: 'field' },
    h('label', { for: id }, label), input, help ? h('p', { class: 'help' }, help) : null);
  const form = h('form', { class: 'form', novalidate: true, id: 'key-form' },
    field('key-role', t('keys.role'), role, t('keys.roleHelp')),
    org ? field('key-org', t('keys.org'), org, t('keys.orgHelp')) : null,
    field('key-description', t('keys.description'), description),
    slot, h('div', { class: 'button-row' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    button.disabled = true;
    try {
      const body = { role: role.value, description: description.value.trim() };
      if (org && org.value) body.organizationId = org.value;
      const key = await api.createApiKey(tenantId, body);
      if (!ctx.current()) return;
      description.value = '';
      onIssued(key);
    } catch (err) {
      showFormErrors(form, slot, err);
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'card' }, h('h2', {}, t('keys.newTitle')), form);
}

function keyTable(ctx, tenantId, keys, orgNames, refresh) {
  if (!keys.length) return h('p', { class: 'empty', id: 'keys-empty' }, t('keys.empty'));
  const own = session.role.keyId;
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'key-list' },
    h('caption', { class: 'visually-hidden' }, t('keys.title')),
    h('thead', {}, h('tr', {}, [t('keys.description'), t('keys.role'), t('keys.org'), t('keys.created'), t('keys.state'), '']
      .map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, keys.map((key) => {
      const slot = h('div', { class: 'row-alert' });
      const revoked = Boolean(key.revokeTime);
      const revoke = h('button', { type: 'button', class: 'btn btn-small btn-danger', hidden: revoked }, t('keys.revoke'));
      revoke.addEventListener('click', async () => {
        const warning = key.id === own ? t('keys.confirmRevokeOwn') : t('keys.confirmRevoke', { id: key.id });
        if (!window.confirm(warning)) return;
        try {
          await api.revokeApiKey(tenantId, key.id);
          if (ctx.current()) refresh();
        } catch (err) { showError(slot, err); }
      });
      return h('tr', { dataset: { key: key.id }, class: revoked ? 'row-muted' : '' },
        h('th', { scope: 'row' }, key.description || h('span', { class: 'muted' }, t('keys.noDescription')),
          h('div', { class: 'muted small' }, h('code', {}, key.id), key.id === own ? ` · ${t('keys.thisKey')}` : '')),
        h('td', {}, t(`pp.role.${key.role}`)),
        h('td', {}, key.organizationId ? (orgNames.get(key.organizationId) || key.organizationId) : t('keys.everyOrg')),
        h('td', {}, formatDateTime(key.createTime)),
        h('td', {}, revoked ? h('span', { class: 'badge badge-revoked' }, t('keys.revokedAt', { when: formatDateTime(key.revokeTime) }))
          : h('span', { class: 'badge badge-active' }, t('keys.active'))),
        h('td', { class: 'row-actions' }, revoke, slot));
    }))));
}

async function keysPage(ctx, tenantId, { title, lead, orgs }) {
  let keys;
  try {
    keys = await api.listApiKeys(tenantId);
  } catch (err) {
    return refusedPage(err, 'keys.title', 'keys.needAdmin');
  }
  const orgNames = new Map((orgs || []).map((o) => [o.id, o.displayName]));
  const shown = h('div', {});
  const list = h('div', {});
  const refresh = async () => {
    try {
      list.replaceChildren(keyTable(ctx, tenantId, await api.listApiKeys(tenantId), orgNames, refresh));
    } catch (err) { showError(list, err); }
  };
  list.replaceChildren(keyTable(ctx, tenantId, keys, orgNames, refresh));
  return h('section', { class: 'page' },
    h('h1', {}, title),
    h('p', { class: 'lead' }, lead),
    shown,
    issueForm(ctx, tenantId, orgs, (key) => {
      shown.replaceChildren(newKeyCard(key));
      shown.querySelector('h2').scrollIntoView({ block: 'nearest' });
      refresh();
    }),
    h('div', { class: 'card' }, h('h2', {}, t('keys.listTitle')), list));
}

// The admin's own tenant's keys.
export async function keysView(ctx) {
  ctx.crumbs([{ label: t('keys.title') }]);
  let me;
  try {
    me = await api.me();
  } catch (err) {
    return refusedPage(err, 'keys.title', 'keys.needAdmin');
  }
  let orgs = [];
  try { orgs = await api.listOrganizations(); } catch { /* pinning is then offered by id only */ }
  return keysPage(ctx, me.tenantId, { title: t('keys.title'), lead: t('keys.lead'), orgs });
}

// One tenant's keys, for the operator (who cannot see the tenant's organisations).
export async function tenantKeysView(ctx) {
  const [tenantId] = ctx.params;
  let tenant = null;
  try {
    tenant = (await api.listTenants()).find((x) => x.id === tenantId) || null;
  } catch (err) {
    return refusedPage(err, 'keys.title', 'keys.needAdmin');
  }
  const name = tenant ? tenant.displayName : tenantId;
  ctx.crumbs([{ label: t('tn.title'), href: '#/tenants' }, { label: t('keys.tenantTitle', { name }) }]);
  return keysPage(ctx, tenantId, { title: t('keys.tenantTitle', { name }), lead: t('keys.operatorLead'), orgs: null });
}
