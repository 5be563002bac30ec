// The audit log (a tenant-wide admin's): who changed what across the tenant, newest first, a
// page at a time, and a check of the whole sealed chain.
import { api } from './api.js';
import { h } from './dom.js';
import { showError } from './errors.js';
import { formatDateTime, t } from './i18n.js';
import { orgHref } from './nav.js';
import { refusedPage } from './refused.js';

// Who did it, in words: a person (by name when known), a key (by its description), the operator.
function actorCell(actor, people, keys) {
  if (actor === 'operator') return t('au.operator');
  const person = people.get(actor);
  if (person) return h('span', { title: actor }, person.displayName || person.email || actor);
  const key = keys.get(actor);
  if (key && key.description) return h('span', { title: actor }, t('au.key', { description: key.description }));
  return h('code', {}, actor || '—');
}

function rows(entries, orgNames, people, keys) {
  return entries.map((e) => h('tr', { dataset: { entry: e.id } },
    h('td', { class: 'nowrap' }, formatDateTime(e.time)),
    h('td', {}, actorCell(e.actor, people, keys)),
    h('th', { scope: 'row' }, h('code', {}, e.action)),
    h('td', {}, e.organizationId
      ? (orgNames.has(e.organizationId) ? h('a', { href: orgHref(e.organizationId) }, orgNames.get(e.organizationId))
        : h('code', { title: t('au.deletedOrg') }, e.organizationId))
      : h('span', { class: 'muted' }, t('au.tenantLevel'))),
    h('td', {}, e.target ? h('code', {}, e.target) : '', e.detail ? h('div', { class: 'muted small' }, e.detail) : null),
    h('td', { class: 'muted small' }, e.clientAddress || '')));
}

function verifyCard(ctx) {
  const slot = h('div', { id: 'audit-verify-result', role: 'status' });
  const button = h('button', { type: 'button', class: 'btn', id: 'audit-verify' }, t('au.verify'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const v = await api.verifyAuditLog();
      if (!ctx.current()) return;
      const numbers = { entries: v.entriesChecked || 0, seals: v.sealsChecked || 0, unsealed: v.unsealed || 0 };
      slot.replaceChildren(v.intact
        ? h('div', { class: 'alert alert-success' }, h('p', { class: 'alert-title' }, t('au.intact')),
          h('p', {}, t('au.intactDetail', numbers)), v.sealsSigned ? null : h('p', {}, t('au.unsigned')))
        : h('div', { class: 'alert alert-error' }, h('p', { class: 'alert-title' }, t('au.broken')),
          h('p', {}, t('au.brokenDetail', { sequence: (v.firstBreak && v.firstBreak.sequence) || '?',
            reason: (v.firstBreak && v.firstBreak.reason) || '' }))));
    } catch (err) {
      showError(slot, err);
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'card' }, h('h2', {}, t('au.chainTitle')), h('p', { class: 'help' }, t('au.chainHelp')),
    h('div', { class: 'button-row' }, button), slot);
}

export async function auditView(ctx) {
  ctx.crumbs([{ label: t('au.title') }]);
  let page;
  try {
    page = await api.auditLog('');
  } catch (err) {
    return refusedPage(err, 'au.title', 'au.needAdmin');
  }
  // Names for the ids the entries hold; an entry stays readable by its ids without them.
  const [orgs, people, keys] = await Promise.all([
    api.listOrganizations().catch(() => []),
    api.listPeople().then((r) => (r && r.people) || []).catch(() => []),
    api.me().then((me) => api.listApiKeys(me.tenantId)).catch(() => []),
  ]);
  const orgNames = new Map(orgs.map((o) => [o.id, o.displayName]));
  const peopleById = new Map(people.map((p) => [p.id, p]));
  const keysById = new Map(keys.map((k) => [k.id, k]));
  const tbody = h('tbody', {}, rows(page.entries || [], orgNames, peopleById, keysById));
  const slot = h('div', {});
  const more = h('button', { type: 'button', class: 'btn', id: 'audit-more', hidden: !page.nextPageToken }, t('au.more'));
  let token = page.nextPageToken || '';
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const next = await api.auditLog(token);
      if (!ctx.current()) return;
      tbody.append(...rows(next.entries || [], orgNames, peopleById, keysById));
      token = next.nextPageToken || '';
      more.hidden = !token;
    } catch (err) {
      showError(slot, err);
    } finally {
      more.disabled = false;
    }
  });
  const table = (page.entries || []).length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'audit-list' },
    h('caption', { class: 'visually-hidden' }, t('au.title')),
    h('thead', {}, h('tr', {}, [t('au.time'), t('au.actor'), t('au.action'), t('au.org'), t('au.target'), t('au.address')]
      .map((label) => h('th', { scope: 'col' }, label)))),
    tbody)) : h('p', { class: 'empty' }, t('au.empty'));
  return h('section', { class: 'page' },
    h('h1', {}, t('au.title')),
    h('p', { class: 'lead' }, t('au.lead')),
    verifyCard(ctx),
    h('div', { class: 'card' }, h('h2', {}, t('au.entriesTitle')), table, slot, h('div', { class: 'button-row' }, more)));
}
