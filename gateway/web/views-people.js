// People (a tenant-wide admin's): the tenant's identity provider, through which its people sign
// in with their company accounts, and the people who did, each with the role and the
// organisations they may see, which the admin can fix.
import { api } from './api.js';
import { h } from './dom.js';
import { clearFormErrors, showError, showFormErrors } from './errors.js';
import { formatDateTime, t } from './i18n.js';
import { refusedPage } from './refused.js';

const ROLES = ['viewer', 'assessor', 'admin'];

function roleSelect(id, value, { allowNone = false } = {}) {
  const options = (allowNone ? [''] : []).concat(ROLES);
  return h('select', { id }, options.map((r) => h('option', { value: r, selected: r === (value || '') },
    r ? t(`pp.role.${r}`) : t('pp.role.none'))));
}

// "soc-admins = admin" per line, both ways.
const mappingText = (roles) => Object.entries(roles || {}).map(([value, role]) => `${value} = ${role}`).join('\n');
function parseMapping(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const at = trimmed.lastIndexOf('=');
    out[(at < 0 ? trimmed : trimmed.slice(0, at)).trim()] = at < 0 ? '' : trimmed.slice(at + 1).trim();
  }
  return out;
}

function providerCard(ctx, provider) {
  const field = (id, label, input, help) => h('div', { class: 'field' },
    h('label', { for: id }, label), input, help ? h('p', { class: 'help' }, help) : null);
  const issuer = h('input', { id: 'idp-issuer', type: 'url', required: true, 'data-field': 'issuer',
    value: provider.issuer || '', placeholder: 'https://login.example.com/realms/acme' });
  const clientId = h('input', { id: 'idp-client', type: 'text', required: true, 'data-field': 'clientId',
    value: provider.clientId || '' });
  const secret = h('input', { id: 'idp-secret', type: 'password', autocomplete: 'new-password', 'data-field': 'clientSecret',
    placeholder: provider.clientSecretSet ? t('pp.secretKept') : '' });
  const scopes = h('input', { id: 'idp-scopes', type: 'text', 'data-field': 'scopes',
    value: (provider.scopes || ['email', 'profile']).join(' ') });
  const mapping = provider.claimMapping || {};
  const roleClaim = h('input', { id: 'idp-role-claim', type: 'text', 'data-field': 'claimMapping.roleClaim',
    value: mapping.roleClaim || 'groups' });
  const roles = h('textarea', { id: 'idp-roles', rows: 3, 'data-field': 'claimMapping.roles',
    placeholder: 'soc-admins = admin\nsoc-analysts = assessor' }, mappingText(mapping.roles));
  const defaultRole = roleSelect('idp-default-role', mapping.defaultRole, { allowNone: true });
  const orgClaim = h('input', { id: 'idp-org-claim', type: 'text', 'data-field': 'claimMapping.organizationClaim',
    value: mapping.organizationClaim || '' });
  const slot = h('div', { class: 'form-alert' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'idp-save' }, t('pp.save'));
  const remove = h('button', { type: 'button', class: 'btn btn-danger', id: 'idp-remove', hidden: !provider.issuer },
    t('pp.remove'));
  const form = h('form', { class: 'form', novalidate: true, id: 'idp-form' },
    field('idp-issuer', t('pp.issuer'), issuer, t('pp.issuerHelp', { callback: `${location.origin}/auth/callback` })),
    field('idp-client', t('pp.clientId'), clientId),
    field('idp-secret', t('pp.clientSecret'), secret, t('pp.secretHelp')),
    field('idp-scopes', t('pp.scopes'), scopes, t('pp.scopesHelp')),
    field('idp-role-claim', t('pp.roleClaim'), roleClaim, t('pp.roleClaimHelp')),
    field('idp-roles', t('pp.roles'), roles, t('pp.rolesHelp')),
    field('idp-default-role', t('pp.defaultRole'), defaultRole, t('pp.defaultRoleHelp')),
    field('idp-org-claim', t('pp.orgClaim'), orgClaim, t('pp.orgClaimHelp')),
    slot, h('div', { class: 'button-row' }, save, remove));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const body = {
      issuer: issuer.value.trim(),
      clientId: clientId.value.trim(),
      scopes: scopes.value.split(/[\s,]+/).filter(Boolean),
      claimMapping: { roleClaim: roleClaim.value.trim(), roles: parseMapping(roles.value) },
    };
    if (secret.value) body.clientSecret = secret.value;
    if (defaultRole.value) body.claimMapping.defaultRole = defaultRole.value;
    if (orgClaim.value.trim()) body.claimMapping.organizationClaim = orgClaim.value.trim();
    save.disabled = true;
    try {
      await api.putIdentityProvider(body);
      if (ctx.current()) ctx.reload();
    } catch (err) {
      showFormErrors(form, slot, err);
    } finally {
      save.disabled = false;
    }
  });
  remove.addEventListener('click', async () => {
    if (!window.confirm(t('pp.confirmRemove'))) return;
    try {
      await api.deleteIdentityProvider();
      ctx.reload();
    } catch (err) { showError(slot, err); }
  });
  return h('div', { class: 'card', id: 'idp-card' },
    h('h2', {}, t('pp.providerTitle')),
    h('p', { class: 'lead' }, provider.issuer ? t('pp.providerOn', { updated: formatDateTime(provider.updateTime) })
      : t('pp.providerOff')),
    form);
}

function scopeCell(person, orgNames) {
  const ids = person.organizationIds || [];
  if (!ids.length) return h('span', { class: 'muted' }, t('pp.allOrgs'));
  return ids.map((id) => h('span', { class: 'event-chip' }, orgNames.get(id) || id));
}

// A person's role and organisations, as an admin fixes them.
function editRow(ctx, person, orgs) {
  const role = roleSelect(`role-${person.id}`, person.role);
  const stored = person.organizationIds || [];
  // "Every organisation" is a choice of its own, never what an empty selection falls into.
  const every = h('input', { type: 'checkbox', id: `every-${person.id}`, checked: stored.length === 0 });
  const picks = orgs.map((o) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: o.id, checked: stored.includes(o.id) }), ' ', o.displayName));
  const boxes = () => picks.map((p) => p.querySelector('input'));
  const sync = () => { for (const b of boxes()) b.disabled = every.checked; };
  every.addEventListener('change', sync);
  sync();
  const slot = h('div', { class: 'row-alert' });
  const save = h('button', { type: 'button', class: 'btn btn-small btn-primary' }, t('pp.saveAccess'));
  save.addEventListener('click', async () => {
    const organizationIds = every.checked ? [] : boxes().filter((i) => i.checked).map((i) => i.value);
    if (!every.checked && organizationIds.length === 0) {
      showError(slot, { status: 400, code: 'INVALID_ARGUMENT', apiMessage: t('pp.pickSome') });
      return;
    }
    save.disabled = true;
    try {
      await api.updatePerson(person.id, { role: role.value, organizationIds });
      ctx.reload();
    } catch (err) {
      showError(slot, err);
    } finally {
      save.disabled = false;
    }
  });
  return h('tr', { class: 'edit-row' }, h('td', { colspan: 6 },
    h('div', { class: 'field' }, h('label', { for: role.id }, t('pp.role')), role),
    h('fieldset', { class: 'org-picks' }, h('legend', {}, t('pp.scope')), h('p', { class: 'help' }, t('pp.scopeHelp')),
      h('label', { class: 'check', for: every.id }, every, ' ', t('pp.everyOrg')),
      h('div', { class: 'org-pick-list' }, picks)),
    h('div', { class: 'button-row' }, save), slot));
}

function peopleTable(ctx, people, orgs) {
  if (!people.length) return h('p', { class: 'empty', id: 'people-empty' }, t('pp.empty'));
  const names = new Map(orgs.map((o) => [o.id, o.displayName]));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'people-list' },
    h('caption', { class: 'visually-hidden' }, t('pp.peopleTitle', { n: people.length })),
    h('thead', {}, h('tr', {}, [t('pp.name'), t('pp.role'), t('pp.scope'), t('pp.lastSignIn'), t('pp.setBy'), '']
      .map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, people.flatMap((p) => {
      let editor = null;
      const edit = h('button', { type: 'button', class: 'btn btn-small' }, t('pp.edit'));
      const row = h('tr', { dataset: { person: p.id } },
        h('th', { scope: 'row' }, p.displayName || p.subject, h('div', { class: 'muted small' }, p.email || p.subject)),
        h('td', {}, t(`pp.role.${p.role}`)),
        h('td', {}, scopeCell(p, names)),
        h('td', {}, formatDateTime(p.lastSignInTime)),
        h('td', {}, p.setByAdmin ? t('pp.byAdmin') : t('pp.byProvider')),
        h('td', { class: 'actions' }, edit));
      edit.addEventListener('click', () => {
        if (editor) {
          editor.remove();
          editor = null;
          return;
        }
        editor = editRow(ctx, p, orgs);
        row.after(editor);
      });
      return [row];
    }))));
}

export async function peopleView(ctx) {
  ctx.crumbs([{ label: t('pp.title') }]);
  let provider = {};
  let people;
  let orgs;
  try {
    [people, orgs] = await Promise.all([api.listPeople(), api.listOrganizations()]);
    provider = await api.getIdentityProvider().catch((err) => {
      if (err.status === 404) return {};
      throw err;
    });
  } catch (err) {
    return refusedPage(err, 'pp.title', 'pp.needAdmin');
  }
  const list = people.people || [];
  return h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('pp.title')), h('p', { class: 'lead' }, t('pp.lead'))),
    h('div', { class: 'card' }, h('h2', {}, t('pp.peopleTitle', { n: list.length })), peopleTable(ctx, list, orgs)),
    providerCard(ctx, provider));
}
